"""Rental point over HTTP: inventory, loans (issue, extend, return), the waiting list in
order of priority, who sees what, and the refusals of every role."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from core import clock
from core.workflow.calendar import is_working_day, next_working_day
from tests.market.flow import (
    allow_backdating,
    budget_line,
    ok,
    second_provider_user,
    verify_providers,
)
from tests.world import World

BASE = "/api/ext/rental_aids"
CODE = "rental_aids.loan"
_numbers = itertools.count(1)


def previous_month() -> tuple[date, date]:
    end = clock.today().replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


async def rental_contract(
    w: World, per_day: str = "13.37", cleaning: str = "45.05"
) -> dict[str, Any]:
    """A direct contract with the world's provider, which runs the rental point."""
    line = await budget_line(w)
    await verify_providers(w)
    start, _ = previous_month()
    body = {
        "provider_id": w.provider_id,
        "service_code": CODE,
        "period_start": f"{start.year - 1}-01-01",  # loans issued months back
        "period_end": f"{clock.today().year}-12-31",
        "tariff": {"per_item_day": per_day, "per_return_cleaning": cleaning},
        "volume_cap": "10000",
        "money_cap": "100000.00",
        "budget_line_id": line["id"],
    }
    return await ok(await w.post("admin", "/api/contracts", body), 201)


async def device_type(w: World, code: str = "wheelchair") -> None:
    r = await w.post(
        "admin",
        f"{BASE}/device-types",
        {"code": code, "name_uk": f"Тип {code}", "name_en": f"Type {code}"},
    )
    assert r.status_code in (201, 409), r.text


async def item(
    w: World, code: str = "wheelchair", role: str = "provider", **body: Any
) -> dict[str, Any]:
    await device_type(w, code)
    payload = {"device_code": code, "inventory_number": f"ІН-{next(_numbers):05d}", **body}
    return await ok(await w.post(role, f"{BASE}/items", payload), 201)


async def citizen(w: World, last_name: str, **extra: Any) -> int:
    body = {"last_name": last_name, "first_name": "Марія", "settlement": "Ковель", **extra}
    return int((await ok(await w.post("intake", "/api/citizens", body), 201))["id"])


async def assigned(
    w: World,
    contract_id: int,
    citizen_id: int | None = None,
    received: date | None = None,
    **form: Any,
) -> dict[str, Any]:
    """A loan request, approved and assigned to the rental point's contract, both on
    ``received`` (today by default; an earlier day is entered late)."""
    on = received or clock.today()
    if received is not None:
        await allow_backdating(w)
    body = {
        "device_type": "wheelchair",
        "medical_conclusion_number": f"Т-{next(_numbers)}",
        "medical_conclusion_date": (on - timedelta(days=2)).isoformat(),
        "needed_from": on.isoformat(),
        "planned_term_days": 60,
        **form,
    }
    req = await ok(
        await w.post(
            "intake",
            "/api/requests",
            {
                "service_code": CODE,
                "citizen_id": citizen_id or w.citizen_id,
                "form": body,
                "received_on": on.isoformat(),
            },
        ),
        201,
    )
    assert req["eligibility"] == "eligible", req["findings"]
    await ok(
        await w.post("caseworker", f"/api/requests/{req['id']}/decision", {"decision": "approve"})
    )
    await ok(
        await w.post(
            "caseworker",
            f"/api/requests/{req['id']}/assign",
            {"contract_id": contract_id, "assigned_on": on.isoformat()},
        ),
        201,
    )
    return req


async def issue(
    w: World, request_id: int, item_id: int, role: str = "provider", **body: Any
) -> Any:
    return await w.post(
        role, f"{BASE}/loans", {"request_id": request_id, "item_id": item_id, **body}
    )


def field_of(r: Any) -> str:
    return str(r.json()["extra"][0]["key"])


# ------------------------------------------------------------------------- inventory
async def test_device_types_are_managed_by_the_admin_and_read_by_staff(world: World) -> None:
    w = world
    made = await ok(
        await w.post(
            "admin",
            f"{BASE}/device-types",
            {"code": "rollator", "name_uk": "Ролятор", "name_en": "Rollator"},
        ),
        201,
    )
    assert made["name"] == {"uk": "Ролятор", "en": "Rollator"}
    again = await w.post(
        "admin", f"{BASE}/device-types", {"code": "rollator", "name_uk": "x", "name_en": "x"}
    )
    assert again.status_code == 409
    assert field_of(again) == "code"
    bad = await w.post(
        "admin", f"{BASE}/device-types", {"code": "Візок", "name_uk": "x", "name_en": "x"}
    )
    assert bad.status_code == 400
    for role in ("caseworker", "provider", "citizen"):
        r = await w.post(
            role, f"{BASE}/device-types", {"code": "x1", "name_uk": "x", "name_en": "x"}
        )
        assert r.status_code == 403, role
    renamed = await ok(
        await w.patch("admin", f"{BASE}/device-types/{made['id']}", {"name_en": "Rollator walker"})
    )
    assert renamed["name"]["en"] == "Rollator walker"
    for role in ("auditor", "intake", "provider"):
        listed = await ok(await w.get(role, f"{BASE}/device-types"))
        assert [t["code"] for t in listed] == ["rollator"], role
    assert (await w.get("citizen", f"{BASE}/device-types")).status_code == 403


async def test_a_provider_manages_only_its_own_items(world: World) -> None:
    w = world
    mine = await item(w, serial="SN-1", location="Склад")
    assert mine["provider_id"] == w.provider_id
    assert mine["status"] == "available"
    assert mine["device_name"]["uk"] == "Тип wheelchair"
    theirs = await item(w, role="admin", provider_id=w.other_provider_id)
    twice = await w.post(
        "admin",
        f"{BASE}/items",
        {
            "device_code": "wheelchair",
            "inventory_number": mine["inventory_number"],
            "provider_id": w.provider_id,
        },
    )
    assert twice.status_code == 409
    assert field_of(twice) == "inventory_number"
    unknown = await w.post(
        "provider", f"{BASE}/items", {"device_code": "hovercraft", "inventory_number": "X-1"}
    )
    assert unknown.status_code == 400
    assert field_of(unknown) == "device_code"
    no_point = await w.post(
        "admin", f"{BASE}/items", {"device_code": "wheelchair", "inventory_number": "X-2"}
    )
    assert no_point.status_code == 400
    assert field_of(no_point) == "provider_id"
    listed = await ok(await w.get("provider", f"{BASE}/items"))
    assert [i["id"] for i in listed["items"]] == [mine["id"]]
    assert (await ok(await w.get("auditor", f"{BASE}/items")))["total"] == 2
    assert (await w.get("provider", f"{BASE}/items/{theirs['id']}")).status_code == 404
    r = await w.patch("provider", f"{BASE}/items/{theirs['id']}", {"status": "in_repair"})
    assert r.status_code == 404
    fixed = await ok(
        await w.patch("provider", f"{BASE}/items/{mine['id']}", {"status": "in_repair"})
    )
    assert fixed["status"] == "in_repair"
    r = await w.patch("provider", f"{BASE}/items/{mine['id']}", {"status": "on_loan"})
    assert r.status_code == 400
    for role in ("caseworker", "intake", "citizen", "accountant"):
        r = await w.post(
            role, f"{BASE}/items", {"device_code": "wheelchair", "inventory_number": "Z"}
        )
        assert r.status_code == 403, role


# ----------------------------------------------------------------------------- loans
async def test_issue_extend_and_return_with_acts(world: World) -> None:
    w = world
    contract = await rental_contract(w)
    req = await assigned(w, contract["id"])
    chair = await item(w, serial="WC-77", condition="good")
    loan = await ok(await issue(w, req["id"], chair["id"], handover_note="З підніжками"), 201)
    today = clock.today()
    assert loan["status"] == "active"
    assert loan["issued_on"] == today.isoformat()
    assert loan["due_on"] == (today + timedelta(days=90)).isoformat()
    assert loan["deposit"] == "0.00"
    assert loan["condition_at_issue"] == "good"
    act = loan["handover_act"]
    for words in (
        chair["inventory_number"],
        "WC-77",
        "стан добрий",
        contract["number"],
        "З підніжками",
    ):
        assert words in act["uk"], words
    assert "Act of handover" in act["en"]
    assert (await ok(await w.get("caseworker", f"{BASE}/items/{chair['id']}")))[
        "status"
    ] == "on_loan"

    again = await issue(w, req["id"], (await item(w))["id"])
    assert again.status_code == 409
    assert field_of(again) == "request_id"
    walker = await item(w, code="walker")
    other = await assigned(w, contract["id"], w.other_citizen_id)
    wrong = await issue(w, other["id"], walker["id"])
    assert wrong.status_code == 409
    assert field_of(wrong) == "item_id"
    busy = await issue(w, other["id"], chair["id"])
    assert busy.status_code == 409
    assert "не вільний" in busy.json()["detail"]

    url = f"{BASE}/loans/{loan['id']}"
    same = await w.post(
        "provider",
        f"{url}/extend",
        {
            "conclusion_number": req["form"]["medical_conclusion_number"],
            "conclusion_date": req["form"]["medical_conclusion_date"],
        },
    )
    assert same.status_code == 409
    assert field_of(same) == "conclusion_number"
    stale = await w.post(
        "provider",
        f"{url}/extend",
        {"conclusion_number": "Н-1", "conclusion_date": (today - timedelta(days=31)).isoformat()},
    )
    assert stale.status_code == 400
    assert field_of(stale) == "conclusion_date"
    extended = await ok(
        await w.post(
            "caseworker",
            f"{url}/extend",
            {"conclusion_number": "Н-2", "conclusion_date": today.isoformat()},
        )
    )
    assert extended["due_on"] == (today + timedelta(days=180)).isoformat()
    assert extended["extensions"] == 1
    longest = await w.post(
        "provider",
        f"{url}/extend",
        {"conclusion_number": "Н-3", "conclusion_date": today.isoformat()},
    )
    assert longest.status_code == 409
    assert "180" in longest.json()["detail"]

    no_note = await w.post("provider", f"{url}/return", {"condition": "damaged"})
    assert no_note.status_code == 400
    assert field_of(no_note) == "damage_note"
    back = await ok(
        await w.post(
            "provider",
            f"{url}/return",
            {"condition": "damaged", "damage_noted": True, "damage_note": "Тріснула рама"},
        )
    )
    assert back["status"] == "returned"
    assert back["damage_noted"] is True
    assert back["returned_on"] == today.isoformat()
    stored = await ok(await w.get("provider", f"{BASE}/items/{chair['id']}"))
    assert stored["status"] == "in_repair"
    assert stored["condition"] == "damaged"
    twice = await w.post("provider", f"{url}/return", {"condition": "good"})
    assert twice.status_code == 409


async def test_extension_days_are_capped_by_the_longest_term(world: World) -> None:
    w = world
    contract = await rental_contract(w)
    req = await assigned(w, contract["id"])
    loan = await ok(await issue(w, req["id"], (await item(w))["id"]), 201)
    today = clock.today().isoformat()
    r = await w.post(
        "provider",
        f"{BASE}/loans/{loan['id']}/extend",
        {"conclusion_number": "Н-9", "conclusion_date": today, "days": 91},
    )
    assert r.status_code == 400
    assert field_of(r) == "days"
    assert "90" in r.json()["detail"]
    done = await ok(
        await w.post(
            "provider",
            f"{BASE}/loans/{loan['id']}/extend",
            {"conclusion_number": "Н-9", "conclusion_date": today, "days": 30},
        )
    )
    assert done["due_on"] == (clock.today() + timedelta(days=120)).isoformat()


async def test_an_item_is_issued_only_against_an_assigned_request(world: World) -> None:
    w = world
    contract = await rental_contract(w)
    chair = await item(w)
    form = {
        "device_type": "wheelchair",
        "medical_conclusion_number": "А-1",
        "medical_conclusion_date": clock.today().isoformat(),
        "needed_from": clock.today().isoformat(),
        "planned_term_days": 30,
    }
    req = await ok(
        await w.post(
            "intake",
            "/api/requests",
            {"service_code": CODE, "citizen_id": w.citizen_id, "form": form},
        ),
        201,
    )
    r = await issue(w, req["id"], chair["id"], role="caseworker")
    assert r.status_code == 409
    assert field_of(r) == "request_id"
    await ok(
        await w.post("caseworker", f"/api/requests/{req['id']}/decision", {"decision": "approve"})
    )
    r = await issue(w, req["id"], chair["id"], role="caseworker")
    assert r.status_code == 409  # approved, not yet assigned
    await ok(
        await w.post(
            "caseworker", f"/api/requests/{req['id']}/assign", {"contract_id": contract["id"]}
        ),
        201,
    )
    future = (clock.today() + timedelta(days=1)).isoformat()
    r = await issue(w, req["id"], chair["id"], issued_on=future)
    assert r.status_code == 400
    assert field_of(r) == "issued_on"
    assert (await issue(w, 999_999_999, chair["id"])).status_code == 404
    assert (await issue(w, req["id"], 999_999_999)).status_code == 404
    for role in ("intake", "citizen", "accountant", "auditor"):
        assert (await issue(w, req["id"], chair["id"], role=role)).status_code == 403, role
    assert (await issue(w, req["id"], chair["id"], role="caseworker")).status_code == 201


async def test_an_item_is_not_issued_before_the_request_is_assigned(world: World) -> None:
    """A loan's item-days are deliveries: none may be dated before the assignment."""
    w = world
    contract = await rental_contract(w)
    chair = await item(w)
    received = clock.today() - timedelta(days=10)
    assigned_on = clock.today() - timedelta(days=4)  # an assignment entered later
    other = await ok(
        await w.post(
            "intake",
            "/api/requests",
            {
                "service_code": "rental_aids.loan",
                "citizen_id": w.other_citizen_id,
                "form": {
                    "device_type": "wheelchair",
                    "medical_conclusion_number": "Б-7",
                    "medical_conclusion_date": (received - timedelta(days=2)).isoformat(),
                    "needed_from": received.isoformat(),
                    "planned_term_days": 60,
                },
                "received_on": received.isoformat(),
            },
        ),
        201,
    )
    await ok(
        await w.post("caseworker", f"/api/requests/{other['id']}/decision", {"decision": "approve"})
    )
    await ok(
        await w.post(
            "caseworker",
            f"/api/requests/{other['id']}/assign",
            {"contract_id": contract["id"], "assigned_on": assigned_on.isoformat()},
        ),
        201,
    )
    early = await issue(
        w, other["id"], chair["id"], issued_on=(assigned_on - timedelta(days=1)).isoformat()
    )
    assert early.status_code == 400, early.text
    assert early.json()["extra"][0]["key"] == "issued_on"
    assert f"{assigned_on:%d.%m.%Y}" in early.text
    await ok(await issue(w, other["id"], chair["id"], issued_on=assigned_on.isoformat()), 201)


async def test_overdue_loans_are_listed_with_their_days(world: World) -> None:
    w = world
    contract = await rental_contract(w)
    # a working day about 100 days ago: a request is dated on a working day
    long_ago = next_working_day(clock.today() - timedelta(days=100))
    late = await assigned(w, contract["id"], received=long_ago)
    loan = await ok(
        await issue(w, late["id"], (await item(w))["id"], issued_on=long_ago.isoformat()), 201
    )
    fresh = await assigned(w, contract["id"], w.other_citizen_id)
    await ok(await issue(w, fresh["id"], (await item(w))["id"]), 201)
    listed = await ok(await w.get("provider", f"{BASE}/loans/overdue"))
    assert [(x["id"], x["days_overdue"], x["overdue"]) for x in listed["items"]] == [
        (loan["id"], (clock.today() - long_ago).days - 90, True)
    ]
    assert (await ok(await w.get("auditor", f"{BASE}/loans/overdue")))["total"] == 1
    assert (await w.get("citizen", f"{BASE}/loans/overdue")).status_code == 403


async def test_citizens_and_providers_see_only_their_own_loans(world: World) -> None:
    w = world
    contract = await rental_contract(w)
    own = await assigned(w, contract["id"], w.citizen_id)
    theirs = await assigned(w, contract["id"], w.other_citizen_id)
    mine = await ok(await issue(w, own["id"], (await item(w))["id"]), 201)
    other = await ok(await issue(w, theirs["id"], (await item(w))["id"]), 201)
    seen = await ok(await w.get("citizen", f"{BASE}/loans"))
    assert [x["id"] for x in seen["items"]] == [mine["id"]]
    assert (await w.get("citizen", f"{BASE}/loans/{mine['id']}")).status_code == 200
    assert (await w.get("citizen", f"{BASE}/loans/{other['id']}")).status_code == 404
    assert (await ok(await w.get("provider", f"{BASE}/loans")))["total"] == 2
    staff = await ok(
        await w.get("caseworker", f"{BASE}/loans", params={"citizen_id": w.other_citizen_id})
    )
    assert [x["id"] for x in staff["items"]] == [other["id"]]

    await second_provider_user(w)
    assert (await ok(await w.get("provider2", f"{BASE}/loans")))["total"] == 0
    assert (await w.get("provider2", f"{BASE}/loans/{mine['id']}")).status_code == 404
    assert (await ok(await w.get("provider2", f"{BASE}/items")))["total"] == 0
    spare = await item(w)
    r = await issue(w, own["id"], spare["id"], role="provider2")
    assert r.status_code == 404
    r = await w.post("provider2", f"{BASE}/loans/{mine['id']}/return", {"condition": "good"})
    assert r.status_code == 404
    r = await w.post("citizen", f"{BASE}/loans/{mine['id']}/return", {"condition": "good"})
    assert r.status_code == 403


# ---------------------------------------------------------------------- waiting list
def working_days_back(n: int) -> date:
    """The n-th working day before today: receipts on a weekend count from the Monday
    after, so distinct receipt dates need distinct working days."""
    day = clock.today()
    while n:
        day -= timedelta(days=1)
        n -= is_working_day(day)
    return day


async def test_the_waiting_list_serves_by_priority_then_date(world: World) -> None:
    w = world
    contract = await rental_contract(w)
    walker = await item(w, code="walker")
    today = clock.today()
    first = await assigned(w, contract["id"], device_type="walker")
    loan = await ok(await issue(w, first["id"], walker["id"]), 201)
    people = [w.other_citizen_id] + [await citizen(w, f"Черга{i}") for i in range(3)]
    other_b = await assigned(
        w, contract["id"], people[0], working_days_back(3), device_type="walker"
    )
    disabled_c = await assigned(
        w,
        contract["id"],
        people[1],
        today - timedelta(days=1),
        device_type="walker",
        has_disability_certificate=True,
    )
    state_d = await assigned(
        w, contract["id"], people[2], today, device_type="walker", waiting_for_state_device=True
    )
    other_e = await assigned(
        w, contract["id"], people[3], working_days_back(5), device_type="walker"
    )
    entries = {}
    for role, req in (
        ("caseworker", other_b),
        ("intake", disabled_c),
        ("provider", state_d),
        ("admin", other_e),
    ):
        entries[req["id"]] = await ok(
            await w.post(role, f"{BASE}/waiting-list", {"request_id": req["id"]}), 201
        )
    assert entries[state_d["id"]]["priority"] == 0
    assert entries[disabled_c["id"]]["priority"] == 1
    assert entries[other_b["id"]]["priority_label"]["en"] == "Other applicants"
    queue = await ok(await w.get("caseworker", f"{BASE}/waiting-list"))
    order = [state_d["id"], disabled_c["id"], other_e["id"], other_b["id"]]
    assert [(e["request_id"], e["position"]) for e in queue] == [
        (rid, n) for n, rid in enumerate(order, 1)
    ]
    twice = await w.post("caseworker", f"{BASE}/waiting-list", {"request_id": other_b["id"]})
    assert twice.status_code == 409
    cane = await item(w, code="cane")
    cane_req = await assigned(w, contract["id"], people[0], device_type="cane")
    free = await w.post("caseworker", f"{BASE}/waiting-list", {"request_id": cane_req["id"]})
    assert free.status_code == 409
    assert cane["inventory_number"] in free.json()["detail"]
    assert (await w.post("citizen", f"{BASE}/waiting-list", {"request_id": 1})).status_code == 403

    await ok(await w.post("provider", f"{BASE}/loans/{loan['id']}/return", {"condition": "good"}))
    offered = entries[state_d["id"]]["id"]
    assert (await ok(await w.get("provider", f"{BASE}/items/{walker['id']}")))[
        "offered_to"
    ] == offered
    queue = await ok(await w.get("provider", f"{BASE}/waiting-list"))
    assert [(e["request_id"], e["status"], e["position"]) for e in queue] == [
        (state_d["id"], "offered", None),
        (disabled_c["id"], "waiting", 1),
        (other_e["id"], "waiting", 2),
        (other_b["id"], "waiting", 3),
    ]
    jump = await issue(w, other_b["id"], walker["id"])
    assert jump.status_code == 409
    assert field_of(jump) == "item_id"
    second = await ok(await issue(w, state_d["id"], walker["id"]), 201)
    served = await ok(await w.get("auditor", f"{BASE}/waiting-list", params={"status": "served"}))
    assert [e["request_id"] for e in served] == [state_d["id"]]

    gone = await ok(
        await w.post("caseworker", f"{BASE}/waiting-list/{entries[disabled_c['id']]['id']}/cancel")
    )
    assert gone["status"] == "cancelled"
    await ok(await w.post("provider", f"{BASE}/loans/{second['id']}/return", {"condition": "good"}))
    queue = await ok(await w.get("provider", f"{BASE}/waiting-list"))
    assert [(e["request_id"], e["status"]) for e in queue] == [
        (other_e["id"], "offered"),
        (other_b["id"], "waiting"),
    ]
