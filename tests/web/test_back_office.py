"""The back office: the work queue (overdue first, filters in the address), a request's
page (frozen applicant beside today's, answers under labels, documents inline), the
decision with a ground from the card, and the decision letter."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from io import BytesIO
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from core import clock
from core.db.tables import AuditLog, Citizen
from core.platform import Platform
from tests.funeral import funeral_form
from tests.web.conftest import form_token, sign_in
from tests.world import World

SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages)


async def _submit(world: World, **extra: Any) -> dict[str, Any]:
    received = extra.pop("received_on", None)
    body: dict[str, Any] = {
        "service_code": "funeral_aid.lump_sum",
        "citizen_id": world.citizen_id,
        "form": funeral_form(received, **extra),
    }
    if received is not None:
        body["received_on"] = received.isoformat()
    r = await world.post("intake", "/api/requests", body)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


@pytest.mark.world_plugins("funeral_aid")
async def test_work_queue_puts_overdue_first_and_keeps_filters_in_the_address(
    world: World, visitor: httpx.AsyncClient
) -> None:
    fresh = await _submit(world, deceased_last_name="Свіжий")
    late = await _submit(
        world, deceased_last_name="Давній", received_on=clock.today() - timedelta(days=29)
    )
    assert late["overdue"], late
    await sign_in(visitor, f"{world.slug}.caseworker")
    queue = await visitor.get("/desk/requests")
    assert queue.status_code == 200
    numbers = re.findall(r'<a href="/desk/requests/\d+">(\d{4}-\d{6})</a>', queue.text)
    assert numbers.index(late["journal_number"]) < numbers.index(fresh["journal_number"])
    assert "прострочено" in queue.text
    only_late = await visitor.get("/desk/requests", params={"overdue": "1"})
    assert late["journal_number"] in only_late.text
    assert fresh["journal_number"] not in only_late.text
    assert 'id="overdue" name="overdue" value="1" checked' in only_late.text
    wrong = await visitor.get("/desk/requests", params={"service": "no.such"})
    assert wrong.status_code == 400
    assert 'id="service-error"' in wrong.text


@pytest.mark.world_plugins("funeral_aid")
async def test_request_page_then_refuse_with_a_ground_and_print_the_notice(
    world: World, visitor: httpx.AsyncClient
) -> None:
    req = await _submit(world)
    r = await world.post(
        "intake",
        f"/api/requests/{req['id']}/documents",
        files={"file": ("Свідоцтво.pdf", SCAN, "application/pdf")},
        data={"kind": "death_certificate"},
    )
    assert r.status_code == 201, r.text
    doc_id = r.json()["id"]
    # The register changes after submission: the page shows both.
    r = await world.patch(
        "intake", f"/api/citizens/{world.citizen_id}", {"address": "вул. Нова, 1"}
    )
    assert r.status_code == 200, r.text

    await sign_in(visitor, f"{world.slug}.caseworker")
    page = await visitor.get(f"/desk/requests/{req['id']}")
    assert page.status_code == 200, page.text
    assert "Прізвище померлої особи" in page.text  # answers under their labels
    assert "Син / дочка" in page.text
    assert "вул. Нова, 1" in page.text
    assert "змінено" in page.text
    assert "Свідоцтво.pdf" in page.text
    row = (
        await AuditLog.select(AuditLog.details)
        .where((AuditLog.action == "request.read") & (AuditLog.subject_id == req["id"]))
        .first()
    )
    assert row is not None  # the page is an audited read naming the applicant
    assert json.loads(row["details"])["citizen_ids"] == [world.citizen_id]
    inline = await visitor.get(f"/desk/documents/{doc_id}")
    assert inline.status_code == 200
    assert inline.headers["content-type"] == "application/pdf"
    assert inline.headers["content-disposition"].startswith("inline;")
    assert "UTF-8''%D0%A1" in inline.headers["content-disposition"]
    download = await visitor.get(f"/desk/documents/{doc_id}", params={"download": "1"})
    assert download.headers["content-disposition"].startswith("attachment;")

    undecided = await visitor.get(f"/desk/requests/{req['id']}/decision.pdf")
    assert undecided.status_code == 409

    token = form_token(page.text)
    no_ground = await visitor.post(
        f"/desk/requests/{req['id']}/decision",
        data={"_csrf": token, "decision": "refuse", "comment": "перевірено"},
    )
    assert no_ground.status_code == 400
    assert 'id="refusal_ground-error"' in no_ground.text
    assert "перевірено" in no_ground.text  # the comment is kept

    done = await visitor.post(
        f"/desk/requests/{req['id']}/decision",
        data={
            "_csrf": form_token(no_ground.text),
            "decision": "refuse",
            "refusal_ground": "not_resident",
            "comment": "перевірено",
        },
    )
    assert done.status_code == 303, done.text
    after = await visitor.get(done.headers["location"])
    assert "Рішення записано." in after.text
    assert "Померлий не був зареєстрований у громаді" in after.text
    letter = await visitor.get(f"/desk/requests/{req['id']}/decision.pdf")
    assert letter.status_code == 200
    text = _text(letter.content)
    assert "ПОВІДОМЛЕННЯ" in text
    assert "Померлий не був зареєстрований у громаді" in text
    assert "Порядок оскарження" in text


@pytest.mark.world_plugins("funeral_aid")
async def test_answers_are_under_labels_in_the_page_language(
    world: World, visitor: httpx.AsyncClient
) -> None:
    req = await _submit(world)
    await sign_in(visitor, f"{world.slug}.caseworker")
    english = await visitor.get(f"/desk/requests/{req['id']}", params={"lang": "en"})
    assert english.status_code == 200, english.text
    assert "Deceased&#39;s last name" in english.text
    assert "Son / daughter" in english.text
    assert "Прізвище померлої особи" not in english.text
    assert "Син / дочка" not in english.text
    ukrainian = await visitor.get(f"/desk/requests/{req['id']}", params={"lang": "uk"})
    assert "Прізвище померлої особи" in ukrainian.text
    assert "Син / дочка" in ukrainian.text
    assert "Deceased&#39;s last name" not in ukrainian.text
    # The application stays Ukrainian, whatever language the desk is read in.
    await visitor.get("/desk/requests", params={"lang": "en"})
    paper = await visitor.get(f"/desk/requests/{req['id']}/application.pdf")
    assert paper.status_code == 200
    text = _text(paper.content)
    assert "Прізвище померлої особи" in text
    assert "Deceased" not in text


@pytest.mark.world_plugins("funeral_aid")
async def test_approve_and_print_the_decision(world: World, visitor: httpx.AsyncClient) -> None:
    req = await _submit(world)
    await sign_in(visitor, f"{world.slug}.caseworker")
    page = await visitor.get(f"/desk/requests/{req['id']}")
    done = await visitor.post(
        f"/desk/requests/{req['id']}/decision",
        data={"_csrf": form_token(page.text), "decision": "approve"},
    )
    assert done.status_code == 303, done.text
    again = await visitor.post(
        f"/desk/requests/{req['id']}/decision",
        data={"_csrf": form_token(page.text), "decision": "approve"},
    )
    assert again.status_code == 409  # decided once; the page says so in words
    assert "<html" in again.text
    text = _text((await visitor.get(f"/desk/requests/{req['id']}/decision.pdf")).content)
    assert "РІШЕННЯ" in text
    assert "Допомога на поховання" in text


@pytest.mark.world_plugins("funeral_aid")
async def test_intake_sees_the_queue_but_may_not_decide(
    world: World, visitor: httpx.AsyncClient
) -> None:
    req = await _submit(world)
    await sign_in(visitor, f"{world.slug}.intake")
    page = await visitor.get(f"/desk/requests/{req['id']}")
    assert page.status_code == 200
    assert "Записати рішення" not in page.text
    r = await visitor.post(
        f"/desk/requests/{req['id']}/decision",
        data={"_csrf": form_token(page.text), "decision": "approve"},
    )
    assert r.status_code == 403


async def test_assign_an_approved_request_to_a_contract_with_room(
    world: World, visitor: httpx.AsyncClient, platform: Platform
) -> None:
    from tests.market.flow import NIGHT, direct_contract, example_form, homeless_person

    today = clock.today()
    contract = await direct_contract(world, today - timedelta(days=5), today + timedelta(days=60))
    await homeless_person(world, registered_on=today - timedelta(days=3))
    await Citizen.update({Citizen.settlement: "Ковель"}).where(Citizen.id == world.citizen_id)
    r = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": NIGHT,
            "citizen_id": world.citizen_id,
            "form": example_form(platform, NIGHT),
        },
    )
    assert r.status_code == 201, r.text
    req = r.json()
    await sign_in(visitor, f"{world.slug}.caseworker")
    page = await visitor.get(f"/desk/requests/{req['id']}")
    assert "Передати надавачу" not in page.text  # not approved yet
    approved = await visitor.post(
        f"/desk/requests/{req['id']}/decision",
        data={"_csrf": form_token(page.text), "decision": "approve"},
    )
    assert approved.status_code == 303, approved.text
    page = await visitor.get(f"/desk/requests/{req['id']}")
    assert f"№ {contract['number']}" in page.text
    none = await visitor.post(
        f"/desk/requests/{req['id']}/assign", data={"_csrf": form_token(page.text)}
    )
    assert none.status_code == 400
    assert 'id="contract_id-error"' in none.text
    done = await visitor.post(
        f"/desk/requests/{req['id']}/assign",
        data={"_csrf": form_token(page.text), "contract_id": str(contract["id"])},
    )
    assert done.status_code == 303, done.text
    after = await visitor.get(done.headers["location"])
    assert "Звернення передано надавачу." in after.text
    assert "Передано надавачу" in after.text  # the status in words
