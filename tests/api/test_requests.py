"""Requests through the API: submit, screen, decide, withdraw, list; audit and freezing."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import msgspec

from core import clock, numbering
from core.db.notify import NotifyConsent
from core.db.tables import AuditLog, OutboxMessage, Request, RequestEvent
from tests.funeral import funeral_form
from tests.market.flow import allow_backdating
from tests.world import World

SERVICE = "funeral_aid.lump_sum"


async def submit(
    w: World, role: str = "intake", received: date | None = None, **form_changes: object
) -> dict:
    body = {
        "service_code": SERVICE,
        "citizen_id": w.citizen_id,
        "channel": "front_office",
        "office_id": w.office_id,
        "form": funeral_form(received, **form_changes),
    }
    if received:
        body["received_on"] = received.isoformat()
    r = await w.post(role, "/api/requests", body)
    assert r.status_code == 201, r.text
    return r.json()


async def test_submitted_request_is_journaled_screened_and_due(world: World) -> None:
    req = await submit(world)
    year = clock.today().year
    assert req["journal_number"].startswith(f"{year}-")
    assert req["status"] == "submitted"
    assert req["eligibility"] == "eligible"
    assert {f["rule"] for f in req["findings"]} >= {
        "funeral_aid.uninsured",
        "funeral_aid.within_deadline",
    }
    assert req["amount"] == "3209.00"
    assert date.fromisoformat(req["due_date"]) > date.fromisoformat(req["received_on"])
    assert req["history"][0]["to_status"] == "submitted"
    assert req["applicant"]["last_name"] == "Шевченко"


async def test_journal_numbers_are_consecutive_per_municipality(world: World) -> None:
    a = await submit(world)
    b = await submit(world, deceased_first_name="Іван")
    assert int(b["journal_number"].split("-")[1]) == int(a["journal_number"].split("-")[1]) + 1


async def test_the_answer_to_a_submission_is_the_request_as_read_back(world: World) -> None:
    """The submission answers with the rows it wrote (no read-back): the same as a read."""
    req = await submit(world)
    again = await world.get("caseworker", f"/api/requests/{req['id']}")
    assert again.status_code == 200, again.text
    assert again.json() == req


async def test_the_number_is_in_the_news_and_the_audit_written_with_it(world: World) -> None:
    """The journal number, the applicant's news quoting it and the audit row recording it
    are written together with the request (one statement on PostgreSQL): each holds the
    number taken."""
    await NotifyConsent(
        municipality=world.municipality_id,
        citizen=world.citizen_id,
        channel="email",
        address="oksana@example.org",
        given_at=clock.now(),
    ).save()
    results = await asyncio.gather(
        *[submit(world, deceased_first_name=f"Особа{i}") for i in range(4)]
    )
    for req in results:
        number = req["journal_number"]
        audit = await AuditLog.select(AuditLog.details).where(
            (AuditLog.action == "request.submit") & (AuditLog.subject_id == req["id"])
        )
        assert len(audit) == 1
        assert msgspec.json.decode(audit[0]["details"])["journal_number"] == number
        news = await OutboxMessage.select().where(OutboxMessage.request == req["id"])
        assert len(news) == 1
        assert f"№ {number}" in news[0]["subject"]
        assert f"№ {number}" in news[0]["body"]
        assert news[0]["recipient"] == "oksana@example.org"
        assert "@@" not in news[0]["body"] + news[0]["subject"] + audit[0]["details"]
        # ... and the request's id, taken as it was written: the news links to it, the
        # history row belongs to it.
        assert f"/desk/citizen/requests/{req['id']}" in news[0]["body"]
        assert str(numbering.ROW_ID) not in news[0]["body"]
        history = await RequestEvent.select(RequestEvent.to_status).where(
            RequestEvent.request == req["id"]
        )
        assert history == [{"to_status": "submitted"}]


async def test_parallel_submissions_get_distinct_journal_numbers(world: World) -> None:
    results = await asyncio.gather(
        *[submit(world, deceased_first_name=f"Особа{i}") for i in range(8)]
    )
    numbers = [r["journal_number"] for r in results]
    assert len(set(numbers)) == 8
    # gapless, each taken as its request was written
    serials = sorted(int(n.split("-")[1]) for n in numbers)
    assert serials == list(range(serials[0], serials[0] + 8))
    stored = await Request.select(Request.journal_number).where(
        Request.municipality == world.municipality_id
    )
    assert sorted(r["journal_number"] for r in stored) == sorted(numbers)


async def test_more_parallel_submissions_than_pooled_connections_all_complete(
    world: World,
) -> None:
    """A submission holds no pooled connection while it waits for another (on PostgreSQL
    the pool has 10: with each of 30 holding one and waiting for a second, none would
    ever finish)."""
    results = await asyncio.wait_for(
        asyncio.gather(*[submit(world, deceased_first_name=f"Особа{i}") for i in range(30)]),
        timeout=60,
    )
    assert len({r["journal_number"] for r in results}) == 30


async def test_bad_form_is_a_400_naming_each_field(world: World) -> None:
    form = funeral_form(death_date="not a date", iban=12345, relation="cousin") | {"unexpected": 1}
    form.pop("deceased_first_name")
    body = {"service_code": SERVICE, "citizen_id": world.citizen_id, "form": form}
    r = await world.post("intake", "/api/requests", body)
    assert r.status_code == 400
    keys = {e["key"] for e in r.json()["extra"]}
    assert keys == {
        "form.death_date",
        "form.iban",
        "form.relation",
        "form.deceased_first_name",
        "form.unexpected",
    }
    assert await Request.count().where(Request.municipality == world.municipality_id) == 0


async def test_bad_iban_checksum_is_a_400_on_the_iban_field(world: World) -> None:
    body = {
        "service_code": SERVICE,
        "citizen_id": world.citizen_id,
        "form": funeral_form(iban="UA238999980334179879010013932"),
    }
    r = await world.post("intake", "/api/requests", body)
    assert r.status_code == 400
    assert r.json()["extra"][0]["key"] == "form.iban"


async def test_unknown_service_citizen_and_office_are_named(world: World) -> None:
    base = {"service_code": SERVICE, "citizen_id": world.citizen_id, "form": funeral_form()}
    r = await world.post("intake", "/api/requests", base | {"service_code": "nope.x"})
    assert r.status_code == 404
    assert r.json()["extra"][0]["key"] == "service_code"
    r = await world.post("intake", "/api/requests", base | {"citizen_id": 999999})
    assert r.status_code == 400
    assert r.json()["extra"][0]["key"] == "citizen_id"
    r = await world.post("intake", "/api/requests", base | {"office_id": 999999})
    assert r.json()["extra"][0]["key"] == "office_id"
    r = await world.post("intake", "/api/requests", base | {"channel": "fax"})
    assert r.status_code == 400
    assert "channel" in r.text


async def test_approval_records_decision_inputs_and_audit(world: World) -> None:
    req = await submit(world)
    r = await world.post(
        "caseworker",
        f"/api/requests/{req['id']}/decision",
        {"decision": "approve", "comment": "ok"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "approved"
    assert body["amount"] == "3209.00"
    assert [h["to_status"] for h in body["history"]] == ["submitted", "approved"]
    assert body["history"][1]["actor"] == world.actors["caseworker"].username
    audit = await AuditLog.select(AuditLog.action).where(
        (AuditLog.subject == "request") & (AuditLog.subject_id == req["id"])
    )
    assert {"request.submit", "request.decide"} <= {a["action"] for a in audit}
    stored = await Request.select(Request.decision_inputs).where(Request.id == req["id"]).first()
    assert stored is not None
    assert "Шевченко" in str(stored["decision_inputs"])


async def test_second_decision_is_a_409(world: World) -> None:
    req = await submit(world)
    url = f"/api/requests/{req['id']}/decision"
    assert (await world.post("caseworker", url, {"decision": "approve"})).status_code == 200
    r = await world.post("caseworker", url, {"decision": "refuse", "refusal_ground": "late"})
    assert r.status_code == 409
    r = await world.post("intake", f"/api/requests/{req['id']}/withdraw", {})
    assert r.status_code == 409


async def test_refusal_cites_a_card_ground_and_shows_the_appeal(world: World) -> None:
    req = await submit(world)
    url = f"/api/requests/{req['id']}/decision"
    r = await world.post("caseworker", url, {"decision": "refuse", "refusal_ground": "because"})
    assert r.status_code == 400
    assert r.json()["extra"][0]["key"] == "refusal_ground"
    r = await world.post("caseworker", url, {"decision": "refuse", "refusal_ground": "documents"})
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "refused"
    assert body["refusal_text"]["uk"].startswith("Подано неповний пакет")
    assert "адміністративного суду" in body["appeal"]["uk"]


async def test_ineligible_request_cannot_be_approved(world: World) -> None:
    req = await submit(world, deceased_pensioner=True)
    assert req["eligibility"] == "not_eligible"
    r = await world.post(
        "caseworker", f"/api/requests/{req['id']}/decision", {"decision": "approve"}
    )
    assert r.status_code == 400
    assert "funeral_aid.uninsured" in r.json()["detail"]


async def test_second_application_for_the_same_deceased_is_not_eligible(world: World) -> None:
    first = await submit(world)
    await world.post("caseworker", f"/api/requests/{first['id']}/decision", {"decision": "approve"})
    second = await submit(world, death_record_number="other-number")
    assert second["eligibility"] == "not_eligible"
    finding = next(f for f in second["findings"] if f["rule"] == "funeral_aid.one_per_deceased")
    assert finding["outcome"] == "failed"


async def test_edits_of_the_citizen_never_change_a_past_decision(world: World) -> None:
    req = await submit(world)
    await world.post("caseworker", f"/api/requests/{req['id']}/decision", {"decision": "approve"})
    r = await world.patch("intake", f"/api/citizens/{world.citizen_id}", {"last_name": "Бондар"})
    assert r.status_code == 200
    detail = (await world.get("caseworker", f"/api/requests/{req['id']}")).json()
    assert detail["applicant"]["last_name"] == "Шевченко"
    assert detail["applicant_name"].startswith("Шевченко")


async def test_withdraw_by_the_citizen_and_not_by_another(world: World) -> None:
    req = await submit(world)
    other = await world.post(
        "intake",
        "/api/requests",
        {"service_code": SERVICE, "citizen_id": world.other_citizen_id, "form": funeral_form()},
    )
    r = await world.post("citizen", f"/api/requests/{other.json()['id']}/withdraw", {})
    assert r.status_code == 404
    r = await world.post("citizen", f"/api/requests/{req['id']}/withdraw", {"comment": "не треба"})
    assert r.status_code == 200
    assert r.json()["status"] == "withdrawn"


async def test_citizen_submits_online_only_for_self(world: World) -> None:
    body = {
        "service_code": SERVICE,
        "citizen_id": world.citizen_id,
        "form": funeral_form(),
        "channel": "front_office",
    }
    r = await world.post("citizen", "/api/requests", body)
    assert r.status_code == 201
    assert r.json()["channel"] == "online"
    r = await world.post("citizen", "/api/requests", body | {"citizen_id": world.other_citizen_id})
    assert r.status_code == 403


async def test_list_filters_and_pagination(world: World) -> None:
    await allow_backdating(world, 60)
    old = clock.today() - timedelta(days=40)
    overdue = await submit(world, received=old)
    await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": SERVICE,
            "citizen_id": world.citizen_id,
            "received_on": old.isoformat(),
            "form": funeral_form(old, deceased_first_name="Марія"),
        },
    )
    fresh = await submit(world, deceased_first_name="Ганна")
    await world.post("caseworker", f"/api/requests/{fresh['id']}/decision", {"decision": "approve"})
    r = await world.get("caseworker", "/api/requests", params={"overdue": "true"})
    page = r.json()
    assert page["total"] == 2
    assert overdue["id"] in {i["id"] for i in page["items"]}
    assert all(i["overdue"] for i in page["items"])
    r = await world.get("caseworker", "/api/requests", params={"status": "approved"})
    assert [i["id"] for i in r.json()["items"]] == [fresh["id"]]
    r = await world.get("caseworker", "/api/requests", params={"page_size": 2, "page": 2})
    assert r.json()["total"] == 3
    assert len(r.json()["items"]) == 1
    r = await world.get("caseworker", "/api/requests", params={"status": "bogus"})
    assert r.status_code == 400
    r = await world.get("caseworker", "/api/requests", params={"office_id": world.office_id})
    assert {i["id"] for i in r.json()["items"]} == {overdue["id"], fresh["id"]}


async def test_citizen_lists_only_own_requests(world: World) -> None:
    await submit(world)
    await world.post(
        "intake",
        "/api/requests",
        {"service_code": SERVICE, "citizen_id": world.other_citizen_id, "form": funeral_form()},
    )
    r = await world.get("citizen", "/api/requests")
    assert r.json()["total"] == 1
    assert r.json()["items"][0]["citizen_id"] == world.citizen_id


async def test_requests_of_another_municipality_are_invisible(
    world: World, platform, client
) -> None:
    from tests.world import make_world

    req = await submit(world)
    other = await make_world(platform, client)
    r = await other.get("caseworker", f"/api/requests/{req['id']}")
    assert r.status_code == 404
    assert (await other.get("caseworker", "/api/requests")).json()["total"] == 0


async def test_reading_a_request_is_audited(world: World) -> None:
    req = await submit(world)
    await world.get("auditor", f"/api/requests/{req['id']}")
    rows = await AuditLog.select().where(
        (AuditLog.action == "request.read") & (AuditLog.subject_id == req["id"])
    )
    assert rows
    assert rows[0]["actor_role"] == "auditor"
