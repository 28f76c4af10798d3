"""Housing subsidy over HTTP: households, the calculation with its trace, the assignment,
the history, the recalculation, and the money path to the utility providers' registers."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from core import clock
from core.platform import Platform
from plugins.subsidies.formula import explain
from plugins.subsidies.model import SubsidyForm
from plugins.subsidies.periods import income_quarters, season_of
from plugins.subsidies.trace import Lookup
from tests.market.flow import budget_line, ok, this_year
from tests.plugins.test_subsidies_formula import form, params, person, util
from tests.world import IBAN, World

BASE = "/api/ext/subsidies"
TODAY = date.min


@pytest.fixture(autouse=True)
def _today() -> None:
    """Today, and the dates taken from it, as each test starts: a run at the real time
    may cross midnight, after which dates taken at import would be yesterday's."""
    global TODAY
    TODAY = clock.today()


def counted_quarters() -> tuple[tuple[int, int], ...]:
    season, start, _ = season_of(clock.today(), False, Lookup(params()))
    return income_quarters(season, start)


def earner(name: str, quarterly: str) -> dict[str, Any]:
    """A member with the same income in whichever quarters count today."""
    out = person(name, quarterly=None)
    out["working"] = True
    out["incomes"] = [
        {"kind": "salary", "year": y, "quarter": q, "amount": quarterly}
        for y, q in counted_quarters()
    ]
    return out


async def utility_provider(w: World, name: str, edrpou: str = "37993783") -> int:
    body = {"name": name, "kind": "utility", "iban": IBAN, "edrpou": edrpou}
    p = await ok(await w.post("admin", "/api/providers", body), 201)
    await ok(await w.post("admin", f"/api/providers/{p['id']}/verify", {"verified": True}))
    return int(p["id"])


async def contract(w: World, provider_id: int, line_id: int, start: date | None = None) -> int:
    """A direct contract with the utility provider from ``start`` (1 January) to the
    end of the year."""
    c = await ok(
        await w.post(
            "admin",
            "/api/contracts",
            {
                "provider_id": provider_id,
                "service_code": "subsidies.housing",
                "period_start": (start or date(this_year(), 1, 1)).isoformat(),
                "period_end": f"{this_year()}-12-31",
                "tariff": {"settlement_account": "UA213223130000026007233566001"},
                "volume_cap": "1000",
                "money_cap": "100000.00",
                "budget_line_id": line_id,
            },
        ),
        201,
    )
    return int(c["id"])


def household_form(heating: int | None, maintenance: int | None) -> dict[str, Any]:
    return form(
        [earner("Оксана", "6000")],
        {"total_area": "60"},
        [
            util("heating", "2400", provider_id=heating),
            util("housing_maintenance", "300", provider_id=maintenance),
        ],
    )


async def second_accountant(w: World) -> None:
    """Another accountant submits the invoices, so the first may approve them."""
    from core.workflow import users

    user = await ok(
        await w.post(
            "admin",
            "/api/users",
            {"username": f"{w.slug}.acc2", "password": "second-accountant", "role": "accountant"},
        ),
        201,
    )
    actor = msgspec.structs.replace(
        w.actors["accountant"], id=user["id"], username=user["username"]
    )
    w.tokens["accountant2"], _ = await users.open_session(actor, 3600)


async def approved_request(w: World, data: dict[str, Any]) -> dict[str, Any]:
    req = await ok(
        await w.post(
            "intake",
            "/api/requests",
            {"service_code": "subsidies.housing", "citizen_id": w.citizen_id, "form": data},
        ),
        201,
    )
    assert req["eligibility"] == "eligible", req["findings"]
    await ok(
        await w.post("caseworker", f"/api/requests/{req['id']}/decision", {"decision": "approve"})
    )
    return req


async def test_calculation_is_public_and_explained(world: World) -> None:
    body = {k: form()[k] for k in ("members", "dwelling", "utilities")}
    r = await ok(
        await world.client.post(
            f"{BASE}/calculate?municipality={world.slug}", json={**body, "applied_on": "2026-10-05"}
        )
    )
    assert r["mandatory_percent"] == "4.67"
    assert r["subsidy_total"] == "2105.75"
    assert {s["code"] for s in r["steps"]} >= {"income_per_person", "pm", "kd", "share"}
    assert any(
        p["key"] == "subsidies.pm_general" and p["valid_from"] == "2026-01-01"
        for p in r["parameters"]
    )
    bad = await world.client.post(
        f"{BASE}/calculate?municipality={world.slug}",
        json={**body, "dwelling": {"total_area": "-5"}},
    )
    assert bad.status_code == 400
    assert "total_area" in bad.text


async def test_households_are_stored_checked_and_read_back(world: World) -> None:
    w = world
    heat = await utility_provider(w, "КП «Теплоенерго»")
    data = household_form(heat, None)
    body = {
        "applicant_citizen_id": w.citizen_id,
        **{k: data[k] for k in ("members", "dwelling", "utilities")},
    }
    made = await ok(await w.post("intake", f"{BASE}/households", body), 201)
    got = await ok(await w.get("auditor", f"{BASE}/households/{made['id']}"))
    assert got["members"][0]["incomes"] == made["members"][0]["incomes"]
    assert got["utilities"][0]["provider_id"] == heat
    assert got["dwelling"]["total_area"] == "60.00"
    listed = await ok(
        await w.get("caseworker", f"{BASE}/households", params={"citizen_id": w.citizen_id})
    )
    assert listed["total"] == 1
    assert listed["items"][0]["members"] == 1
    body["dwelling"] = {"total_area": "48.87", "tenure": "tenant", "lease_end": "2099-12-31"}
    changed = await ok(
        await w.client.put(
            f"{BASE}/households/{made['id']}", json=body, headers=w.auth("caseworker")
        )
    )
    assert changed["dwelling"]["tenure"] == "tenant"
    calc = await ok(await w.get("intake", f"{BASE}/households/{made['id']}/calculation"))
    assert Decimal(calc["area_norm"]) == Decimal("48.87")
    ngo = {**body, "utilities": [util("heating", "100", provider_id=w.provider_id)]}
    refused = await w.post("intake", f"{BASE}/households", ngo)
    assert refused.status_code == 400
    assert "utilities[0].provider_id" in refused.text
    stranger = await w.post(
        "intake", f"{BASE}/households", {**body, "applicant_citizen_id": 999999}
    )
    assert stranger.status_code == 400
    assert "applicant_citizen_id" in stranger.text
    assert (await w.get("caseworker", f"{BASE}/households/999999")).status_code == 404


async def test_roles_are_refused(world: World) -> None:
    w = world
    assert (await w.post("provider", f"{BASE}/pay-month", {"month": "2026-01"})).status_code == 403
    assert (await w.post("intake", f"{BASE}/requests/1/assign", {})).status_code == 403
    assert (await w.post("citizen", f"{BASE}/households", {})).status_code == 403
    assert (await w.get("provider", f"{BASE}/assignments")).status_code == 403
    assert (await w.post("accountant", f"{BASE}/assignments/1/recalculate", {})).status_code == 403
    assert (await w.client.get(f"{BASE}/assignments")).status_code == 401


async def test_request_approved_assigned_paid_invoiced_and_approved(
    world: World, platform: Platform
) -> None:
    w = world
    heat = await utility_provider(w, "КП «Теплоенерго»")
    flats = await utility_provider(w, "ОСББ «Затишок»", "38008294")
    line = await budget_line(w, "500000.00")
    heat_contract = await contract(w, heat, line["id"])
    flats_contract = await contract(w, flats, line["id"])
    data = household_form(heat, flats)
    req = await approved_request(w, data)

    assigned = await ok(
        await w.post(
            "caseworker", f"{BASE}/requests/{req['id']}/assign", {"contract_id": heat_contract}
        ),
        201,
    )
    again = await w.post("caseworker", f"{BASE}/requests/{req['id']}/assign", {})
    assert again.status_code == 409
    detail = await ok(await w.get("caseworker", f"/api/requests/{req['id']}"))
    assert detail["status"] == "assigned"
    f = msgspec.convert(data, SubsidyForm)
    expected = explain(
        f.members,
        f.dwelling,
        f.utilities,
        applied_on=date.fromisoformat(detail["received_on"]),
        params=params(),
    )
    assert assigned["calculation"]["subsidy_total"] == str(expected.subsidy_total)
    months = sorted({m["month"] for m in assigned["months"]})
    month = f"{TODAY:%Y-%m}" if f"{TODAY:%Y-%m}" in months else months[0]
    due = {m["utility"]: m["amount"] for m in assigned["months"] if m["month"] == month}

    paid, repeat = await asyncio.gather(
        w.post("accountant", f"{BASE}/pay-month", {"month": month}),
        w.post("admin", f"{BASE}/pay-month", {"month": month}),
    )
    first, second = (await ok(paid)), (await ok(repeat))
    assert first["recorded"] + second["recorded"] == 2, (first, second)
    assert first["skipped"] == second["skipped"] == 0, (first["lines"], second["lines"])
    third = await ok(await w.post("accountant", f"{BASE}/pay-month", {"month": month}))
    assert third["already_recorded"] == 2
    assert third["recorded"] == 0
    assert {x["utility"]: x["amount"] for x in third["lines"]} == due

    manual = {
        "request_id": req["id"],
        "delivered_on": TODAY.isoformat(),
        "idempotency_key": "manual-1",
        "data": {
            "assignment_id": assigned["id"],
            "utility": "heating",
            "month": month,
            "amount": "1.00",
        },
    }
    wrong = await w.post("admin", "/api/deliveries", manual)
    assert wrong.status_code == 400  # assigned to both providers: which contract?
    assert "contract_id" in wrong.text
    wrong = await w.post("admin", "/api/deliveries", manual | {"contract_id": heat_contract})
    assert wrong.status_code == 422
    assert "не дорівнює призначеній" in wrong.text
    core = await ok(await w.get("caseworker", f"/api/requests/{req['id']}"))
    assert core["status"] == "assigned"

    drafted = await ok(await w.post("accountant", "/api/invoices/run", {"period": month}), 201)
    by_contract = {i["contract_id"]: i for i in drafted}
    assert by_contract[heat_contract]["total"] == due["heating"]
    assert by_contract[flats_contract]["total"] == due["housing_maintenance"]
    await second_accountant(w)
    for invoice in drafted:
        await ok(await w.post("accountant2", f"/api/invoices/{invoice['id']}/submit"))
        approved = await ok(await w.post("accountant", f"/api/invoices/{invoice['id']}/approve"))
        assert approved["status"] == "approved"

    history = await ok(
        await w.get("auditor", f"{BASE}/assignments", params={"citizen_id": w.citizen_id})
    )
    assert [a["request_id"] for a in history["items"]] == [req["id"]]
    assert history["items"][0]["monthly_subsidy"] == str(expected.payable_monthly)


async def test_recalculation_after_an_income_rise(world: World) -> None:
    w = world
    req = await approved_request(w, household_form(None, None))
    a = await ok(await w.post("caseworker", f"{BASE}/requests/{req['id']}/assign", {}), 201)
    months = sorted({m["month"] for m in a["months"]})
    later = [m for m in months if m > f"{TODAY:%Y-%m}"]
    url = f"{BASE}/assignments/{a['id']}/recalculate"
    if not later:  # the period ends this month: nothing is left to recalculate
        r = await w.post(
            "caseworker", url, {"members": [later_earner("8000")], "from_month": months[-1]}
        )
        assert r.status_code == 400
        return
    small = await ok(
        await w.post("caseworker", url, {"members": [later_earner("8000")], "from_month": later[0]})
    )
    assert small["changed"] is False  # +33 % is under the 50 % threshold
    assert small["change_percent"] == "33.33"
    out = await ok(
        await w.post(
            "caseworker", url, {"members": [later_earner("30000")], "from_month": later[0]}
        )
    )
    assert out["changed"] is True
    assert out["assignment"]["id"] != a["id"]
    assert out["assignment"]["period_start"] == f"{later[0]}-01"
    assert Decimal(out["assignment"]["monthly_subsidy"]) < Decimal(a["monthly_subsidy"])
    old = await ok(await w.get("caseworker", f"{BASE}/assignments/{a['id']}"))
    assert old["status"] == "ended"
    assert all(m["status"] == "cancelled" for m in old["months"] if m["month"] >= later[0])
    history = await ok(
        await w.get("caseworker", f"{BASE}/assignments", params={"request_id": req["id"]})
    )
    assert [x["status"] for x in history["items"]] == ["ended", "active"]
    gone = await w.post(
        "caseworker", url, {"members": [later_earner("30000")], "from_month": later[0]}
    )
    assert gone.status_code == 409


def later_earner(quarterly: str) -> dict[str, Any]:
    """The member with incomes in the two quarters after those first counted."""
    out = earner("Оксана", quarterly)
    for income in out["incomes"]:
        income["year"], income["quarter"] = _following(income["year"], income["quarter"])
    return out


def _following(year: int, quarter: int) -> tuple[int, int]:
    """The quarter two quarters later (Q1–Q2 → Q3–Q4, Q3–Q4 → next Q1–Q2)."""
    index = year * 4 + quarter - 1 + 2
    return index // 4, index % 4 + 1


async def test_demo_households_are_prepared_assigned_and_paid(
    world: World, platform: Platform
) -> None:
    from core.demo_market import allow_history
    from plugins.subsidies.demo import prepare
    from plugins.subsidies.periods import add_months

    w = world
    since = add_months(TODAY.replace(day=1), -1) - timedelta(days=20)
    people = [w.citizen_id, w.other_citizen_id]
    await allow_history(platform, w.actors["admin"], TODAY)  # as the core demo does first
    await prepare(platform, w.actors["admin"], people, since)
    listed = await ok(await w.get("auditor", f"{BASE}/households"))
    assert listed["total"] == 2
    history = await ok(await w.get("auditor", f"{BASE}/assignments"))
    assert [a["channel"] for a in history["items"]] == ["non_cash", "cash"]
    last = f"{add_months(TODAY.replace(day=1), -1):%Y-%m}"
    paid = [
        m
        for a in history["items"]
        for m in (await ok(await w.get("auditor", f"{BASE}/assignments/{a['id']}")))["months"]
        if m["month"] <= last
    ]
    assert paid, "the demo pays the months up to last month"
    assert all(m["paid"] is not None or m["charged"] == "0.00" for m in paid), paid
    payouts = await ok(await w.get("accountant", "/api/payouts"))
    assert {p["service_code"] for p in payouts} == {"subsidies.housing"}
    deliveries = await ok(await w.get("accountant", "/api/deliveries"))
    assert deliveries["total"] >= 1


@pytest.mark.world_plugins("funeral_aid")
async def test_the_routes_are_closed_where_the_plugin_is_not_enabled(world: World) -> None:
    r = await world.get("caseworker", f"{BASE}/households")
    assert r.status_code == 404
    assert "subsidies" in r.text
