"""Pages a plugin adds to the desk, proven with the register of homeless persons: the
menu entry where the plugin is enabled, the list with its search, taking a person on
record (an error beside its field, nothing typed lost), the entry, the certificate,
removal with a reason; a role not allowed gets 403, a municipality without the plugin 404."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest

from core import clock
from core.db.tables import AuditLog
from tests.web.conftest import form_token, sign_in
from tests.world import World

BASE = "/desk/ext/homeless/register"


async def _register(visitor: httpx.AsyncClient, citizen: int | str, **extra: str) -> httpx.Response:
    form = await visitor.get(f"{BASE}/new")
    assert form.status_code == 200, form.text
    data = {"_csrf": form_token(form.text), "citizen": str(citizen), "channel": "application"}
    data.update(extra)
    return await visitor.post(f"{BASE}/new", data=data)


@pytest.mark.world_plugins("homeless")
async def test_register_a_person_find_them_certify_and_remove(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.intake")
    home = await visitor.get("/desk/front-office")
    assert f'href="{BASE}"' in home.text
    assert home.headers["cache-control"] == "no-store"
    empty = await visitor.get(BASE)
    assert empty.status_code == 200, empty.text
    assert "Записів не знайдено" in empty.text
    assert "Content-Security-Policy" in empty.headers

    wrong = await _register(visitor, "999999", confidential_notes="Ночує на вокзалі")
    assert wrong.status_code == 400
    assert 'id="citizen-error"' in wrong.text
    assert 'aria-invalid="true"' in wrong.text
    assert "Ночує на вокзалі" in wrong.text  # nothing typed is lost

    for when in ("1800-01-01", (clock.today() + timedelta(days=1)).isoformat()):
        dated = await _register(visitor, world.citizen_id, registered_on=when)
        assert dated.status_code == 400, dated.text
        assert 'id="registered_on-error"' in dated.text
        assert f'value="{when}"' in dated.text

    done = await _register(
        visitor, world.citizen_id, has_identity_documents="on", confidential_notes="Примітка"
    )
    assert done.status_code == 303, done.text
    entry_href = done.headers["location"].split("?")[0]
    entry = await visitor.get(done.headers["location"])
    assert entry.status_code == 200
    assert "Особу взято на облік" in entry.text
    number = re.search(r"Довідка № (БО-\d{4}-\d{5})", entry.text)
    assert number, entry.text
    again = await _register(visitor, world.citizen_id)
    assert again.status_code == 409
    assert 'id="citizen-error"' in again.text

    found = await visitor.get(BASE, params={"certificate": number.group(1)})
    assert number.group(1) in found.text
    assert "Знайдено: 1" in found.text
    english = await visitor.get(BASE, params={"lang": "en"})
    assert "Register of homeless persons" in english.text
    assert "Homeless register" in english.text  # the menu entry in English
    await visitor.get(BASE, params={"lang": "uk"})

    cert = await visitor.get(f"{entry_href}/certificate")
    assert cert.status_code == 200
    assert "Закону України" in cert.text
    reads = await AuditLog.select(AuditLog.action).where(
        AuditLog.municipality == world.municipality_id
    )
    actions = {r["action"] for r in reads}
    assert {"homeless.search", "homeless.read", "homeless.certificate"} <= actions

    # the intake may register but not remove: no removal form, and the post is refused
    assert 'action="' + entry_href + '/remove"' not in entry.text
    refused = await visitor.post(
        f"{entry_href}/remove", data={"_csrf": form_token(entry.text), "reason": "x"}
    )
    assert refused.status_code == 403

    await visitor.post("/sign-out", data={"_csrf": form_token(entry.text)})
    await sign_in(visitor, f"{world.slug}.caseworker")
    page = await visitor.get(entry_href)
    assert f'action="{entry_href}/remove"' in page.text
    blank = await visitor.post(
        f"{entry_href}/remove", data={"_csrf": form_token(page.text), "reason": "  "}
    )
    assert blank.status_code == 400
    assert 'id="reason-error"' in blank.text
    removed = await visitor.post(
        f"{entry_href}/remove",
        data={"_csrf": form_token(page.text), "reason": "Отримав житло"},
    )
    assert removed.status_code == 303
    after = await visitor.get(removed.headers["location"])
    assert "Особу знято з обліку" in after.text
    assert "Отримав житло" in after.text


@pytest.mark.world_plugins("homeless")
async def test_roles_not_allowed_get_403_and_no_menu_entry(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.auditor")
    listed = await visitor.get(BASE)
    assert listed.status_code == 200
    assert (await visitor.get(f"{BASE}/new")).status_code == 403
    await visitor.post("/sign-out", data={"_csrf": form_token(listed.text)})
    await sign_in(visitor, f"{world.slug}.accountant")
    home = await visitor.get("/desk/accounts")
    assert BASE not in home.text
    refused = await visitor.get(BASE)
    assert refused.status_code == 403
    assert "<html" in refused.text


async def test_post_without_the_form_token_is_refused(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.intake")
    r = await visitor.post(f"{BASE}/new", data={"citizen": str(world.citizen_id)})
    assert r.status_code == 403


@pytest.mark.world_plugins("funeral_aid")
async def test_closed_where_the_plugin_is_not_enabled(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.intake")
    home = await visitor.get("/desk/front-office")
    assert BASE not in home.text
    r = await visitor.get(BASE)
    assert r.status_code == 404
    assert "<html" in r.text
    assert "не ввімкнено" in r.text or "не знайдено" in r.text.lower()
