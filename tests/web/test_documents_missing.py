"""Documents missing: before the decision, the caseworker ticks the card's documents the
request lacks; the request stays submitted, its history says so, and the applicant who
agreed to news gets an e-mail naming them (none without consent)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from core.db.tables import AuditLog, OutboxMessage, RequestEvent
from core.notify import outbox
from tests.funeral import funeral_form
from tests.mailbox import Mailbox, body
from tests.web.conftest import form_token, sign_in
from tests.world import World

APPLICATION = "Заява"
TAX_NUMBER = "РНОКПП заявника"


async def _submit(world: World, deceased: str) -> dict[str, Any]:
    r = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": world.citizen_id,
            "form": funeral_form(None, deceased_last_name=deceased),
        },
    )
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def _consent(visitor: httpx.AsyncClient, world: World, address: str) -> None:
    await sign_in(visitor, f"{world.slug}.citizen")
    data = await visitor.get("/desk/citizen/data")
    saved = await visitor.post(
        "/desk/citizen/data/notifications",
        data={"_csrf": form_token(data.text), "notify_email": address, "notify_agree": "on"},
    )
    assert saved.status_code == 303


@pytest.mark.world_plugins("funeral_aid")
async def test_the_applicant_is_told_which_documents_to_bring(
    world: World, app: Any, visitor: httpx.AsyncClient, smtp: Mailbox
) -> None:
    address = f"docs.{world.slug}@example.org"
    await _consent(visitor, world, address)
    req = await _submit(world, "Документний")
    await outbox.settle()
    before = len(smtp.mails)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as staff:
        await sign_in(staff, f"{world.slug}.caseworker")
        page = await staff.get(f"/desk/requests/{req['id']}")
        assert "Бракує документів" in page.text
        assert f'value="{TAX_NUMBER}"' in page.text
        token = form_token(page.text)

        nothing = await staff.post(
            f"/desk/requests/{req['id']}/documents-missing", data={"_csrf": token}
        )
        assert nothing.status_code == 400
        assert 'id="missing_documents-error"' in nothing.text
        assert "позначте документи" in nothing.text

        stranger = await staff.post(
            f"/desk/requests/{req['id']}/documents-missing",
            data={"_csrf": token, "missing_documents": "Паспорт марсіанина"},
        )
        assert stranger.status_code == 400
        assert "немає в картці" in stranger.text

        asked = await staff.post(
            f"/desk/requests/{req['id']}/documents-missing",
            data={
                "_csrf": token,
                "missing_documents": [APPLICATION, TAX_NUMBER],
                "missing_comment": "підпис на заяві",
            },
        )
        assert asked.status_code == 303, asked.text
        page = await staff.get(asked.headers["location"])
        assert "Заявника повідомлено, яких документів бракує." in page.text
        assert "Бракує документів / Documents missing: Заява; РНОКПП заявника; підпис" in page.text

    await outbox.settle()
    assert len(smtp.mails) == before + 1
    mail = smtp.mails[-1]
    assert mail["To"] == address
    text = body(mail)
    assert f"Ваше звернення № {req['journal_number']}" in text
    assert "потребує документів, яких бракує: Заява; РНОКПП заявника; підпис на заяві" in text
    assert "needs documents that are missing" in text
    status = await world.get("caseworker", f"/api/requests/{req['id']}")
    assert status.json()["status"] == "submitted"
    assert (
        await AuditLog.count().where(
            (AuditLog.action == "request.documents_missing") & (AuditLog.subject_id == req["id"])
        )
        == 1
    )


@pytest.mark.world_plugins("funeral_aid")
async def test_no_consent_no_message_and_a_decided_request_is_refused(
    world: World, app: Any
) -> None:
    req = await _submit(world, "Безпогодний")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as staff:
        await sign_in(staff, f"{world.slug}.caseworker")
        page = await staff.get(f"/desk/requests/{req['id']}")
        token = form_token(page.text)
        asked = await staff.post(
            f"/desk/requests/{req['id']}/documents-missing",
            data={"_csrf": token, "missing_documents": APPLICATION},
        )
        assert asked.status_code == 303, asked.text
        assert not await OutboxMessage.exists().where(
            (OutboxMessage.request == req["id"])
            & (OutboxMessage.event == "request.documents_missing")
        )
        assert await RequestEvent.exists().where(
            (RequestEvent.request == req["id"]) & RequestEvent.comment.like("Бракує документів%")
        )

        decided = await staff.post(
            f"/desk/requests/{req['id']}/decision",
            data={"_csrf": token, "decision": "approve"},
        )
        assert decided.status_code == 303, decided.text
        late = await staff.post(
            f"/desk/requests/{req['id']}/documents-missing",
            data={"_csrf": token, "missing_documents": APPLICATION},
        )
        assert late.status_code == 409
        assert "документи запитують лише до рішення" in late.text
        assert 'role="alert"' in late.text

        intake = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        async with intake:
            await sign_in(intake, f"{world.slug}.intake")
            page = await intake.get(f"/desk/requests/{req['id']}")
            refused = await intake.post(
                f"/desk/requests/{req['id']}/documents-missing",
                data={"_csrf": form_token(page.text), "missing_documents": APPLICATION},
            )
            assert refused.status_code == 403


@pytest.mark.world_plugins("funeral_aid")
async def test_a_document_the_municipality_asks_for_may_be_missing_too(
    world: World, app: Any
) -> None:
    local = {
        "extra_documents": [
            {"name": {"uk": "Довідка старости", "en": "Certificate of the starosta"}}
        ]
    }
    saved = await world.put("admin", "/api/local-cards/funeral_aid.lump_sum", local)
    assert saved.status_code == 200, saved.text
    req = await _submit(world, "Місцевий")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as staff:
        await sign_in(staff, f"{world.slug}.caseworker")
        page = await staff.get(f"/desk/requests/{req['id']}")
        assert 'value="Довідка старости"' in page.text
        asked = await staff.post(
            f"/desk/requests/{req['id']}/documents-missing",
            data={"_csrf": form_token(page.text), "missing_documents": "Довідка старости"},
        )
        assert asked.status_code == 303, asked.text
    assert await RequestEvent.exists().where(
        (RequestEvent.request == req["id"]) & RequestEvent.comment.like("%Довідка старости%")
    )
