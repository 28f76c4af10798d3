"""The admin rewords a message: a preview with sample values, a refusal naming the field
for a variable the message does not have, the new wording in force for the next news
(through a local SMTP server), the history, and the default restored."""

from __future__ import annotations

import re

import httpx
import pytest

from core import clock
from core.db.notify import NotifyConsent
from core.notify import outbox
from tests.funeral import funeral_form
from tests.mailbox import Mailbox, body
from tests.web.conftest import form_token, sign_in
from tests.world import World

PAGE = "/desk/admin/messages/request.submitted"


def _fields(html: str, **changed: str) -> dict[str, str]:
    data: dict[str, str] = {"_csrf": form_token(html)}
    for name in ("subject_uk", "subject_en"):
        found = re.search(rf'name="{name}" type="text" maxlength="255" value="([^"]*)"', html)
        assert found, name
        data[name] = found.group(1)
    for name in ("body_uk", "body_en", "sms_uk"):
        found = re.search(rf'name="{name}" rows="\d+"[^>]*>([^<]*)</textarea>', html)
        assert found, name
        data[name] = found.group(1).replace("&#34;", '"').replace("&#39;", "'")
    data.update(changed)
    return data


@pytest.mark.world_plugins("funeral_aid")
async def test_reword_preview_save_and_restore(
    world: World, visitor: httpx.AsyncClient, smtp: Mailbox
) -> None:
    await sign_in(visitor, f"{world.slug}.admin")
    listing = await visitor.get("/desk/admin/messages")
    assert listing.status_code == 200
    assert "Звернення прийнято" in listing.text
    assert "типовий текст" in listing.text
    page = await visitor.get(PAGE)
    assert page.status_code == 200
    assert "{{ number }}" in page.text

    wording = "Шановні! Звернення {{ number }} отримали, відповімо до {{ due }}."
    shown = await visitor.post(PAGE, data=_fields(page.text, body_uk=wording, action="preview"))
    assert shown.status_code == 200
    assert "Шановні! Звернення 2026-000123 отримали, відповімо до 15.12.2026." in shown.text

    bad = await visitor.post(
        PAGE, data=_fields(page.text, body_uk="Звернення {{ nomer }}", action="save")
    )
    assert bad.status_code == 400
    assert 'id="body_uk-error"' in bad.text
    assert "nomer" in bad.text

    saved = await visitor.post(PAGE, data=_fields(page.text, body_uk=wording, action="save"))
    assert saved.status_code == 303
    again = await visitor.get(PAGE + "?saved=1")
    assert "Збережено" in again.text
    assert "Історія змін" in again.text
    assert "admin user" in again.text

    await NotifyConsent(
        municipality=world.municipality_id,
        citizen=world.citizen_id,
        channel="email",
        address=f"wording.{world.slug}@example.org",
        given_at=clock.now(),
    ).save()
    r = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": world.citizen_id,
            "form": funeral_form(None, deceased_last_name="Шаблонний"),
        },
    )
    assert r.status_code == 201, r.text
    await outbox.settle()
    number = r.json()["journal_number"]
    assert f"Шановні! Звернення {number} отримали" in body(smtp.mails[-1])

    restored = await visitor.post(PAGE, data=_fields(page.text, action="default"))
    assert restored.status_code == 303
    page = await visitor.get(PAGE)
    assert "прийнято до розгляду" in page.text
    missing = await visitor.get("/desk/admin/messages/no.such")
    assert missing.status_code == 404
    english = await visitor.get("/desk/admin/messages?lang=en")
    assert "Message wording" in english.text


async def test_only_the_admin_rewords(world: World, visitor: httpx.AsyncClient) -> None:
    await sign_in(visitor, f"{world.slug}.caseworker")
    assert (await visitor.get("/desk/admin/messages")).status_code == 403
