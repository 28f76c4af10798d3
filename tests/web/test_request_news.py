"""News of a request to the applicant: consent given in the cabinet or recorded at the
front office, an e-mail when the request is received and when it is decided (through a
local SMTP server), none without consent, and the deliveries on the request pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from core.db.tables import AuditLog, OutboxMessage
from core.notify import outbox
from core.platform import Platform
from tests.funeral import funeral_form
from tests.mailbox import SITE, Mailbox, body
from tests.web.conftest import form_token, sign_in
from tests.world import World


async def _submit(world: World, citizen_id: int, deceased: str) -> dict[str, Any]:
    r = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": citizen_id,
            "form": funeral_form(None, deceased_last_name=deceased),
        },
    )
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


@pytest.mark.world_plugins("funeral_aid")
async def test_consent_in_the_cabinet_then_news_of_receipt_and_decision(
    world: World, app: Any, visitor: httpx.AsyncClient, smtp: Mailbox
) -> None:
    address = f"oksana.news.{world.slug}@example.org"
    await sign_in(visitor, f"{world.slug}.citizen")
    data = await visitor.get("/desk/citizen/data")
    assert "Повідомлень не надсилаємо" in data.text
    bad = await visitor.post(
        "/desk/citizen/data/notifications",
        data={"_csrf": form_token(data.text), "notify_email": "oksana", "notify_agree": "on"},
    )
    assert bad.status_code == 400
    assert 'id="notify_email-error"' in bad.text
    saved = await visitor.post(
        "/desk/citizen/data/notifications",
        data={"_csrf": form_token(data.text), "notify_email": address, "notify_agree": "on"},
    )
    assert saved.status_code == 303
    data = await visitor.get("/desk/citizen/data?notify=saved")
    assert f"Лист на {address}" in data.text

    req = await _submit(world, world.citizen_id, "Новинний")
    await outbox.settle()
    assert [m["To"] for m in smtp.mails] == [address]
    received = body(smtp.mails[0])
    assert f"Ваше звернення № {req['journal_number']}" in received
    assert "прийнято до розгляду" in received
    assert f"{SITE}/desk/citizen/requests/{req['id']}" in received, received

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as staff:
        await sign_in(staff, f"{world.slug}.caseworker")
        page = await staff.get(f"/desk/requests/{req['id']}")
        decided = await staff.post(
            f"/desk/requests/{req['id']}/decision",
            data={"_csrf": form_token(page.text), "decision": "approve"},
        )
        assert decided.status_code == 303, decided.text
        await outbox.settle()
        # The decision's news, then the invitation to rate it (same transaction).
        assert len(smtp.mails) == 3
        assert "/survey/" in body(smtp.mails[2])
        assert "рішення — надати послугу" in body(smtp.mails[1])
        assert "has been decided: the service is granted" in body(smtp.mails[1])
        # The request's page lists both messages and their state.
        page = await staff.get(f"/desk/requests/{req['id']}")
        assert "Повідомлення заявнику" in page.text
        assert page.text.count("надіслано") >= 2
        assert address in page.text
    mine = await visitor.get(f"/desk/citizen/requests/{req['id']}")
    assert "рішення: надати" in mine.text
    assert address not in mine.text.split("Повідомлення вам")[1].split("</section>")[0]

    # Withdrawn consent: no more messages.
    data = await visitor.get("/desk/citizen/data")
    await visitor.post(
        "/desk/citizen/data/notifications",
        data={"_csrf": form_token(data.text), "notify_email": address},
    )
    await _submit(world, world.citizen_id, "Безлистовий")
    await outbox.settle()
    assert len(smtp.mails) == 3
    audited = await AuditLog.select(AuditLog.details).where(
        (AuditLog.action == "citizen.notify_consent") & (AuditLog.subject_id == world.citizen_id)
    )
    assert len(audited) == 2


@pytest.mark.world_plugins("funeral_aid")
async def test_no_consent_no_message_and_the_front_office_records_a_paper_one(
    world: World, app: Any, visitor: httpx.AsyncClient, smtp: Mailbox
) -> None:
    mine = OutboxMessage.citizen == world.other_citizen_id
    before = await OutboxMessage.count().where(mine)
    await _submit(world, world.other_citizen_id, "Беззгодний")
    await outbox.settle()
    assert smtp.mails == []
    assert await OutboxMessage.count().where(mine) == before

    address = f"petro.news.{world.slug}@example.org"
    await sign_in(visitor, f"{world.slug}.intake")
    card = await visitor.get(f"/desk/front-office/citizens/{world.other_citizen_id}")
    assert "Особа письмово погодилася" in card.text
    saved = await visitor.post(
        f"/desk/front-office/citizens/{world.other_citizen_id}/notifications",
        data={"_csrf": form_token(card.text), "notify_email": address, "notify_agree": "on"},
    )
    assert saved.status_code == 303
    await _submit(world, world.other_citizen_id, "Паперовий")
    await outbox.settle()
    assert [m["To"] for m in smtp.mails] == [address]

    english = await visitor.get(
        f"/desk/front-office/citizens/{world.other_citizen_id}?lang=en&notify=saved"
    )
    assert "News of my requests" in english.text
    assert f"An e-mail to {address}" in english.text


@pytest.mark.world_plugins("funeral_aid")
async def test_news_by_sms_through_the_file_gateway(
    world: World,
    platform: Platform,
    visitor: httpx.AsyncClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = msgspec.structs.replace(platform.settings, sms_dir=str(tmp_path))
    monkeypatch.setattr(platform, "settings", settings)
    await sign_in(visitor, f"{world.slug}.citizen")
    data = await visitor.get("/desk/citizen/data")
    bad = await visitor.post(
        "/desk/citizen/data/notifications",
        data={
            "_csrf": form_token(data.text),
            "notify_channel": "sms",
            "notify_phone": "12",
            "notify_agree": "on",
        },
    )
    assert bad.status_code == 400
    assert 'id="notify_phone-error"' in bad.text
    saved = await visitor.post(
        "/desk/citizen/data/notifications",
        data={
            "_csrf": form_token(data.text),
            "notify_channel": "sms",
            "notify_phone": "067 765 43 21",
            "notify_agree": "on",
        },
    )
    assert saved.status_code == 303
    shown = await visitor.get("/desk/citizen/data")
    assert "SMS на +380677654321" in shown.text
    r = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": world.citizen_id,
            "form": funeral_form(None, deceased_last_name="Смсний"),
        },
    )
    assert r.status_code == 201, r.text
    await outbox.settle()
    lines: list[dict[str, Any]] = [
        json.loads(line) for line in (tmp_path / "sms.log").read_text().splitlines()
    ]
    assert [line["to"] for line in lines] == ["+380677654321"]
    assert lines[0]["text"].startswith(f"Звернення {r.json()['journal_number']} прийнято")
