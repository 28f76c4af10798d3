"""The register of assistants as desk pages a plugin adds: the list with its search, an
entry, the certificate PDF, termination (a missing ground beside its field, nothing typed
lost); a role not allowed gets 403, a municipality without the plugin 404."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest

from core import clock
from core.db.tables import AuditLog
from plugins.assistant_registration.demo import prepare
from tests.web.conftest import form_token, sign_in
from tests.world import World

BASE = "/desk/ext/assistant_registration/register"


async def _entries(world: World) -> None:
    """Two entries through the plugin's own demo: the second one terminated."""
    await prepare(
        world.actors["admin"],
        [world.citizen_id, world.other_citizen_id],
        clock.today() - timedelta(days=30),
    )


@pytest.mark.world_plugins("assistant_registration")
async def test_list_entry_certificate_and_termination(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await _entries(world)
    await sign_in(visitor, f"{world.slug}.caseworker")
    home = await visitor.get("/desk/back-office")
    assert f'href="{BASE}"' in home.text
    listed = await visitor.get(BASE)
    assert listed.status_code == 200, listed.text
    assert "Знайдено: 2" in listed.text
    active = await visitor.get(BASE, params={"status": "active"})
    assert "Знайдено: 1" in active.text
    bad = await visitor.get(BASE, params={"status": "nonsense"})
    assert bad.status_code == 400
    assert 'id="status-error"' in bad.text
    href = re.search(rf'href="({BASE}/\d+)"', active.text)
    assert href, active.text
    entry_href = href.group(1)
    entry = await visitor.get(entry_href)
    assert entry.status_code == 200
    assert f'action="{entry_href}/terminate"' in entry.text

    pdf = await visitor.get(f"{entry_href}/certificate.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["cache-control"] == "no-store"
    actions = {
        r["action"]
        for r in await AuditLog.select(AuditLog.action).where(
            AuditLog.municipality == world.municipality_id
        )
    }
    assert {
        "assistant_registration.search",
        "assistant_registration.read",
        "assistant_registration.certificate",
    } <= actions

    token = form_token(entry.text)
    missing = await visitor.post(
        f"{entry_href}/terminate", data={"_csrf": token, "note": "Переїхав до Києва"}
    )
    assert missing.status_code == 400
    assert 'id="reason-error"' in missing.text
    assert "Переїхав до Києва" in missing.text
    future = (clock.today() + timedelta(days=3)).isoformat()
    later = await visitor.post(
        f"{entry_href}/terminate",
        data={"_csrf": token, "reason": "assistant_request", "terminated_on": future},
    )
    assert later.status_code == 400
    assert 'id="terminated_on-error"' in later.text
    assert 'value="assistant_request" selected' in later.text
    done = await visitor.post(
        f"{entry_href}/terminate",
        data={"_csrf": token, "reason": "assistant_request", "note": "Переїхав"},
    )
    assert done.status_code == 303, done.text
    after = await visitor.get(done.headers["location"])
    assert "Реєстрацію помічника припинено" in after.text
    assert "за заявою помічника" in after.text
    gone = await visitor.get(f"{entry_href}/certificate.pdf")
    assert gone.status_code == 409
    assert "<html" in gone.text


@pytest.mark.world_plugins("assistant_registration")
async def test_roles_not_allowed_get_403(world: World, visitor: httpx.AsyncClient) -> None:
    await _entries(world)
    await sign_in(visitor, f"{world.slug}.auditor")
    listed = await visitor.get(BASE)
    assert listed.status_code == 200
    entry_href = re.search(rf'href="({BASE}/\d+)"', listed.text)
    assert entry_href
    page = await visitor.get(entry_href.group(1))
    assert "/terminate" not in page.text
    refused = await visitor.post(
        f"{entry_href.group(1)}/terminate",
        data={"_csrf": form_token(page.text), "reason": "person_request"},
    )
    assert refused.status_code == 403
    await visitor.post("/sign-out", data={"_csrf": form_token(page.text)})
    await sign_in(visitor, f"{world.slug}.provider")
    assert (await visitor.get(BASE)).status_code == 403


@pytest.mark.world_plugins("homeless")
async def test_closed_where_the_plugin_is_not_enabled(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.caseworker")
    home = await visitor.get("/desk/back-office")
    assert BASE not in home.text
    assert "/desk/ext/homeless/register" in home.text
    r = await visitor.get(BASE)
    assert r.status_code == 404
    assert "<html" in r.text
