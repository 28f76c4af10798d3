"""Assistant registration through the API: request → approval → register entry →
certificate → termination; the limit per assistant; roles; audit; concurrency."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import pypdf
import pytest

from core import clock
from core.db.tables import AuditLog, Request
from plugins.assistant_registration.events import drain
from plugins.assistant_registration.service import CODE
from tests.plugins.test_assistant_registration_rules import assistant_form
from tests.world import World

BASE = "/api/ext/assistant_registration/register"
LIMIT = "assistant_registration.max_persons_per_assistant"


async def submit(w: World, role: str, person: int, **changes: Any) -> dict[str, Any]:
    body = {"service_code": CODE, "citizen_id": person, "form": assistant_form(person, **changes)}
    r = await w.post(role, "/api/requests", body)
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()
    return data


async def approve(w: World, request_id: int) -> None:
    r = await w.post("caseworker", f"/api/requests/{request_id}/decision", {"decision": "approve"})
    assert r.status_code == 200, r.text
    await drain()  # the on_event path has made (or refused) the entry


async def entry_of(w: World, request_id: int) -> dict[str, Any] | None:
    r = await w.get("intake", BASE, params={"request_id": request_id})
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items[0] if items else None


async def registered(w: World, person: int, **changes: Any) -> dict[str, Any]:
    request = await submit(w, "intake", person, **changes)
    assert request["eligibility"] == "eligible", request["findings"]
    await approve(w, request["id"])
    entry = await entry_of(w, request["id"])
    assert entry is not None
    return entry


async def set_limit(w: World, value: int) -> None:
    body = {"key": LIMIT, "valid_from": "2020-01-01", "value": value}
    r = await w.post("admin", "/api/parameters", body)
    assert r.status_code in (200, 201), r.text


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


async def test_citizen_to_certificate_to_termination(world: World) -> None:
    w = world
    request = await submit(w, "citizen", w.citizen_id)
    assert request["channel"] == "online"
    assert request["eligibility"] == "eligible", request["findings"]
    await approve(w, request["id"])

    # the on_event path made the entry; the explicit endpoint finds the same one
    made = await entry_of(w, request["id"])
    assert made is not None
    r = await w.post("intake", f"{BASE}/from-request/{request['id']}")
    assert r.status_code == 200, r.text
    entry = r.json()
    assert entry["id"] == made["id"]
    year = clock.today().year
    assert entry["number"].startswith(f"ПМ-{year}-")
    assert len(entry["number"]) == len(f"ПМ-{year}-0001")
    assert entry["person_id"] == w.citizen_id
    assert entry["person_name"] == "Шевченко Оксана Іванівна"
    assert entry["assistant_name"] == "Мельник Андрій Петрович"
    assert entry["assistant_tax_number"] == "3652504575"
    assert entry["status"] == "active"
    assert entry["registered_on"] == clock.today().isoformat()

    r = await w.get("citizen", f"{BASE}/{entry['id']}/certificate.pdf")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    text = pdf_text(r.content)
    assert f"ПОСВІДЧЕННЯ ПОМІЧНИКА № {entry['number']}" in text
    assert "Мельник Андрій Петрович" in text
    assert "Шевченко Оксана Іванівна" in text
    assert "статті 78 Цивільного кодексу України" in text
    assert "дрібні побутові правочини" in text
    assert "виконавчий комітет ради" in text
    assert "(підпис)" in text

    r = await w.post(
        "caseworker",
        f"{BASE}/{entry['id']}/terminate",
        {"reason": "person_request", "note": "Заява особи від сьогодні"},
    )
    assert r.status_code == 200, r.text
    ended = r.json()
    assert ended["status"] == "terminated"
    assert ended["terminated_on"] == clock.today().isoformat()
    assert ended["termination_reason"] == "person_request"
    assert ended["termination_reason_text"]["uk"] == "за заявою особи"

    # the history stays readable; no certificate for a terminated entry
    r = await w.get("auditor", f"{BASE}/{entry['id']}")
    assert r.status_code == 200
    assert r.json()["status"] == "terminated"
    r = await w.get("intake", BASE, params={"status": "terminated", "person_id": w.citizen_id})
    assert [e["id"] for e in r.json()["items"]] == [entry["id"]]
    r = await w.get("intake", f"{BASE}/{entry['id']}/certificate.pdf")
    assert r.status_code == 409
    assert "припинено" in r.json()["detail"]
    r = await w.post("caseworker", f"{BASE}/{entry['id']}/terminate", {"reason": "person_death"})
    assert r.status_code == 409


async def test_the_same_pair_again_is_refused_until_terminated(world: World) -> None:
    w = world
    first = await registered(w, w.citizen_id)
    again = await submit(w, "intake", w.citizen_id)
    assert again["eligibility"] == "not_eligible"
    finding = next(f for f in again["findings"] if f["rule"].endswith("one_registration_per_pair"))
    assert "вже зареєстровано для особи" in finding["message"]["uk"]
    r = await w.post("caseworker", f"/api/requests/{again['id']}/decision", {"decision": "approve"})
    assert r.status_code == 400

    # naming an active entry as the previous one is refused at registration
    early = await submit(w, "intake", w.citizen_id, previous_entry_number=first["number"])
    assert early["eligibility"] == "eligible"
    await approve(w, early["id"])
    assert await entry_of(w, early["id"]) is None
    r = await w.post("intake", f"{BASE}/from-request/{early['id']}")
    assert r.status_code == 409
    assert "вже зареєстровано" in r.json()["detail"]

    # a number that is no terminated entry of this pair is refused too
    r = await w.post("intake", f"{BASE}/{first['id']}/terminate", {"reason": "assistant_request"})
    assert r.status_code == 200
    wrong = await submit(w, "intake", w.citizen_id, previous_entry_number="ПМ-1999-0001")
    await approve(w, wrong["id"])
    r = await w.post("intake", f"{BASE}/from-request/{wrong['id']}")
    assert r.status_code == 409
    assert r.json()["extra"][0]["key"] == "previous_entry_number"


async def test_a_terminated_pair_may_be_registered_again(world: World) -> None:
    w = world
    first = await registered(w, w.citizen_id)
    r = await w.post("intake", f"{BASE}/{first['id']}/terminate", {"reason": "assistant_request"})
    assert r.status_code == 200
    renewed = await registered(w, w.citizen_id, previous_entry_number=first["number"])
    assert renewed["id"] != first["id"]
    assert renewed["status"] == "active"
    r = await w.get("intake", BASE, params={"person_id": w.citizen_id})
    assert {e["status"] for e in r.json()["items"]} == {"active", "terminated"}


async def test_the_limit_per_assistant_and_termination_frees_it(world: World) -> None:
    w = world
    await set_limit(w, 1)
    first = await registered(w, w.citizen_id)
    second = await submit(w, "intake", w.other_citizen_id)
    limit = next(f for f in second["findings"] if f["rule"].endswith("persons_per_assistant"))
    assert "не більше ніж для 1 осіб" in limit["message"]["uk"]
    await approve(w, second["id"])
    assert await entry_of(w, second["id"]) is None  # the event path was refused
    r = await w.post("intake", f"{BASE}/from-request/{second['id']}")
    assert r.status_code == 409
    assert "найбільше — 1" in r.json()["detail"]
    assert r.json()["extra"][0]["key"] == "assistant"

    r = await w.post("caseworker", f"{BASE}/{first['id']}/terminate", {"reason": "person_death"})
    assert r.status_code == 200
    r = await w.post("intake", f"{BASE}/from-request/{second['id']}")
    assert r.status_code == 201, r.text
    assert r.json()["person_id"] == w.other_citizen_id
    r = await w.get("auditor", f"{BASE}/{first['id']}")
    assert r.json()["termination_reason"] == "person_death"


async def test_search_by_person_or_assistant(world: World) -> None:
    w = world
    entry = await registered(w, w.citizen_id)
    await registered(
        w,
        w.other_citizen_id,
        assistant_last_name="Бондар",
        assistant_first_name="Олена",
        assistant_tax_number=None,
    )
    cases: list[tuple[dict[str, Any], int]] = [
        ({"person": "шевченко"}, 1),
        ({"person": "ОКСАНА"}, 1),
        ({"person": "3184710691"}, 1),
        ({"assistant": "мельник андрій"}, 1),
        ({"assistant": "3652504575"}, 1),
        ({"assistant": "бондар"}, 1),
        ({"assistant": "нікого"}, 0),
        ({"number": entry["number"]}, 1),
        ({"person": "%"}, 0),  # LIKE wildcards are matched literally
        ({"assistant": "_"}, 0),
        ({"number": "%"}, 0),
        ({}, 2),
    ]
    for query, count in cases:
        r = await w.get("auditor", BASE, params=query)
        assert r.status_code == 200, (query, r.text)
        assert r.json()["total"] == count, query
    # a citizen sees only the entries where they are the person
    r = await w.get("citizen", BASE)
    assert [e["person_id"] for e in r.json()["items"]] == [w.citizen_id]


async def test_roles_and_ownership(world: World) -> None:
    w = world
    mine = await registered(w, w.citizen_id)
    other = await registered(w, w.other_citizen_id, assistant_tax_number="1759013776")
    assert (await w.get("citizen", f"{BASE}/{mine['id']}")).status_code == 200
    assert (await w.get("citizen", f"{BASE}/{other['id']}")).status_code == 404
    assert (await w.get("citizen", f"{BASE}/{other['id']}/certificate.pdf")).status_code == 404
    for role in ("citizen", "auditor", "accountant", "provider"):
        r = await w.post(role, f"{BASE}/{mine['id']}/terminate", {"reason": "person_request"})
        assert r.status_code == 403, role
        r = await w.post(role, f"{BASE}/from-request/{mine['request_id']}")
        assert r.status_code == 403, role
    for reader in ("accountant", "provider", None):
        r = await w.get(reader, BASE)
        assert r.status_code == (401 if reader is None else 403), reader
    assert (await w.get("auditor", f"{BASE}/{mine['id']}/certificate.pdf")).status_code == 200


async def test_every_read_is_audited(world: World) -> None:
    w = world
    entry = await registered(w, w.citizen_id)
    await w.get("auditor", f"{BASE}/{entry['id']}")
    await w.get("citizen", f"{BASE}/{entry['id']}/certificate.pdf")
    await w.get("intake", BASE, params={"person": "шевченко"})
    rows = await AuditLog.select(AuditLog.action, AuditLog.actor_role, AuditLog.subject_id).where(
        AuditLog.municipality == w.municipality_id
    )
    seen = {(r["action"], r["actor_role"], r["subject_id"]) for r in rows}
    assert ("assistant_registration.register", "caseworker", entry["id"]) in seen
    assert ("assistant_registration.read", "auditor", entry["id"]) in seen
    assert ("assistant_registration.certificate", "citizen", entry["id"]) in seen
    assert ("assistant_registration.search", "intake", None) in seen


async def test_from_request_refuses_what_it_cannot_register(world: World) -> None:
    w = world
    pending = await submit(w, "intake", w.citizen_id)
    r = await w.post("intake", f"{BASE}/from-request/{pending['id']}")
    assert r.status_code == 409
    assert "не схвалене" in r.json()["detail"]
    other = Request(
        municipality=w.municipality_id,
        journal_number="T-1",
        service_code="funeral_aid.lump_sum",
        citizen=w.citizen_id,
        channel="front_office",
        eligibility="eligible",
        status="approved",
        received_on=clock.today(),
        due_date=clock.today(),
    )
    await other.save()
    r = await w.post("intake", f"{BASE}/from-request/{other.id}")
    assert r.status_code == 400
    assert r.json()["extra"][0]["key"] == "request_id"
    r = await w.post("intake", f"{BASE}/from-request/2147483000")
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"reason": "bored"}, 400),
        ({"reason": "person_request", "terminated_on": "2099-01-01"}, 400),
        ({"reason": "person_request", "terminated_on": "2999-01-01"}, 422),
        ({"reason": "person_request", "terminated_on": "2000-01-01"}, 400),
        ({"reason": "person_request", "note": "x" * 1001}, 400),
        ({}, 400),
    ],
)
async def test_termination_input_is_checked(
    world: World, body: dict[str, Any], status: int
) -> None:
    entry = await registered(world, world.citizen_id)
    r = await world.post("caseworker", f"{BASE}/{entry['id']}/terminate", body)
    assert r.status_code == status, r.text
    r = await world.get("caseworker", f"{BASE}/{entry['id']}")
    assert r.json()["status"] == "active"


async def test_termination_on_the_day_of_registration(world: World) -> None:
    entry = await registered(world, world.citizen_id)
    r = await world.post(
        "caseworker",
        f"{BASE}/{entry['id']}/terminate",
        {"reason": "person_declared_incapable", "terminated_on": entry["registered_on"]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["terminated_on"] == entry["registered_on"]
    assert "недієздатною" in r.json()["termination_reason_text"]["uk"]


async def test_concurrent_registrations_make_one_entry_and_keep_the_limit(world: World) -> None:
    w = world
    await set_limit(w, 1)
    a = await submit(w, "intake", w.citizen_id)
    b = await submit(w, "intake", w.other_citizen_id)
    decision = {"decision": "approve"}
    for req in (a, b):
        r = await w.post("caseworker", f"/api/requests/{req['id']}/decision", decision)
        assert r.status_code == 200
    calls = [w.post("intake", f"{BASE}/from-request/{req['id']}") for req in (a, b, a, b)]
    replies = await asyncio.gather(*calls)
    await drain()
    assert all(r.status_code in (200, 201, 409) for r in replies), [r.text for r in replies]
    r = await w.get("intake", BASE, params={"assistant": "3652504575", "status": "active"})
    assert r.json()["total"] == 1
    ids = {r.json()["id"] for r in replies if r.status_code in (200, 201)}
    assert len(ids) == 1
