"""Rental point and money: one item never on two loans (database and concurrency), the
delivery check, billing a month from the loans' actual days, and the whole path to an
approved invoice, to the kopiyka."""

from __future__ import annotations

import asyncio
import calendar
from datetime import date, timedelta
from typing import Any

import pytest

from core import clock
from core.db.market import Delivery
from core.db.tables import Request
from plugins.rental_aids.tables import RentalLoan
from tests.market.flow import ok
from tests.plugins.test_rental_aids_api import (
    BASE,
    assigned,
    citizen,
    issue,
    item,
    previous_month,
    rental_contract,
)
from tests.world import World


async def test_two_parallel_issues_of_one_item_give_one_loan(world: World) -> None:
    w = world
    contract = await rental_contract(w)
    chair = await item(w)
    first = await assigned(w, contract["id"], w.citizen_id)
    second = await assigned(w, contract["id"], w.other_citizen_id)
    results = await asyncio.gather(
        issue(w, first["id"], chair["id"]), issue(w, second["id"], chair["id"], role="caseworker")
    )
    assert sorted(r.status_code for r in results) == [201, 409], [r.text for r in results]
    active = await RentalLoan.select().where(
        (RentalLoan.item == chair["id"]) & (RentalLoan.status == "active")
    )
    assert len(active) == 1
    stored = await ok(await w.get("admin", f"{BASE}/items/{chair['id']}"))
    assert stored["status"] == "on_loan"


async def test_the_database_refuses_a_second_active_loan_of_an_item(world: World) -> None:
    w = world
    contract = await rental_contract(w)
    chair = await item(w)
    one = await assigned(w, contract["id"], w.citizen_id)
    two = await assigned(w, contract["id"], w.other_citizen_id)
    loan = await ok(await issue(w, one["id"], chair["id"]), 201)

    def second() -> RentalLoan:
        return RentalLoan(
            municipality=w.municipality_id,
            item=chair["id"],
            request=two["id"],
            citizen=w.other_citizen_id,
            provider=w.provider_id,
            contract=contract["id"],
            issued_on=clock.today(),
            due_on=clock.today(),
            condition_at_issue="good",
            status="active",
        )

    with pytest.raises(Exception, match=r"(?i)unique"):
        await second().save()
    await ok(await w.post("provider", f"{BASE}/loans/{loan['id']}/return", {"condition": "good"}))
    await second().save()  # once the first loan is over, the item may go out again


def _delivery(request_id: int, day: date, key: str, **data: Any) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "delivered_on": day.isoformat(),
        "idempotency_key": key,
        "data": data,
    }


async def test_the_delivery_check_wants_the_actual_days_of_the_requests_loan(
    world: World,
) -> None:
    w = world
    contract = await rental_contract(w)
    start, end = previous_month()
    req = await assigned(w, contract["id"], received=start)
    other = await assigned(w, contract["id"], w.other_citizen_id, received=start)
    issued = start + timedelta(days=4)
    loan = await ok(
        await issue(w, req["id"], (await item(w))["id"], issued_on=issued.isoformat()), 201
    )
    month = f"{start:%Y-%m}"
    days = (end - issued).days + 1
    wrong = await w.post(
        "provider",
        "/api/deliveries",
        _delivery(
            req["id"], end, "k1", loan_id=loan["id"], kind="item_days", days=days + 1, month=month
        ),
    )
    assert wrong.status_code == 422
    (problem,) = wrong.json()["extra"]
    assert problem["key"] == "rental_aids.actual_days"
    assert f"фактично предмет був у прокаті {days} дн." in problem["message"]
    early = await w.post(
        "provider",
        "/api/deliveries",
        _delivery(
            req["id"],
            end - timedelta(days=1),
            "k2",
            loan_id=loan["id"],
            kind="item_days",
            days=days,
            month=month,
        ),
    )
    assert early.status_code == 422
    foreign = await w.post(
        "provider",
        "/api/deliveries",
        _delivery(
            other["id"], end, "k3", loan_id=loan["id"], kind="item_days", days=days, month=month
        ),
    )
    assert foreign.status_code == 422
    assert "rental_aids.loan_of_request" in {e["key"] for e in foreign.json()["extra"]}
    no_return = await w.post(
        "provider",
        "/api/deliveries",
        _delivery(req["id"], end, "k4", loan_id=loan["id"], kind="cleaning", month=month),
    )
    assert no_return.status_code == 422
    assert no_return.json()["extra"][0]["key"] == "rental_aids.return_cleaning"
    good = await ok(
        await w.post(
            "provider",
            "/api/deliveries",
            _delivery(
                req["id"], end, "k5", loan_id=loan["id"], kind="item_days", days=days, month=month
            ),
        ),
        201,
    )
    assert good["quantity"] == str(days)
    twice = await w.post(
        "provider",
        "/api/deliveries",
        _delivery(
            req["id"], end, "k6", loan_id=loan["id"], kind="item_days", days=days, month=month
        ),
    )
    assert twice.status_code == 409  # one item-days delivery per loan and month


async def test_billing_a_month_records_actual_days_once(world: World) -> None:
    w = world
    contract = await rental_contract(w, per_day="10.00", cleaning="25.50")
    start, _ = previous_month()
    month = f"{start:%Y-%m}"
    length = calendar.monthrange(start.year, start.month)[1]
    people = [w.citizen_id, w.other_citizen_id, await citizen(w, "Третя")]
    reqs = [await assigned(w, contract["id"], p, received=start) for p in people]
    loans = []
    for req in reqs:
        made = await issue(
            w, req["id"], (await item(w))["id"], issued_on=(start + timedelta(days=5)).isoformat()
        )
        loans.append(await ok(made, 201))
    back = start + timedelta(days=15)
    await ok(
        await w.post(
            "provider",
            f"{BASE}/loans/{loans[1]['id']}/return",
            {"condition": "good", "returned_on": back.isoformat(), "cleaning_done": True},
        )
    )
    await ok(
        await w.post(
            "provider",
            f"{BASE}/loans/{loans[2]['id']}/return",
            {"condition": "good", "returned_on": back.isoformat(), "cleaning_done": False},
        )
    )
    run = await ok(await w.post("provider", f"{BASE}/billing/run", {"month": month}))
    active_days = length - 5
    assert run["loans"] == 3
    assert run["recorded"] == 4  # three item-days, one cleaning
    assert run["refused"] == []
    assert run["pending"] == 0
    assert run["amount_recorded"] == f"{active_days * 10 + 10 * 10 * 2 + 25.5:.2f}"
    rows = await Delivery.select(Delivery.data, Delivery.quantity_milli, Delivery.amount_kop).where(
        Delivery.contract == contract["id"]
    )
    assert sorted((r["quantity_milli"], r["amount_kop"]) for r in rows) == sorted(
        [(active_days * 1000, active_days * 1000), (10_000, 10_000), (10_000, 10_000), (0, 2550)]
    )
    again = await ok(await w.post("accountant", f"{BASE}/billing/run", {"month": month}))
    assert (again["recorded"], again["repeated"]) == (0, 4)
    assert await Delivery.count().where(Delivery.contract == contract["id"]) == 4

    this_month = await ok(
        await w.post("admin", f"{BASE}/billing/run", {"month": f"{clock.today():%Y-%m}"})
    )
    assert this_month["pending"] == 1  # the loan still out: billed when the month is over
    assert this_month["recorded"] == 0
    nxt = clock.today().replace(day=28) + timedelta(days=5)
    future = await w.post("admin", f"{BASE}/billing/run", {"month": f"{nxt:%Y-%m}"})
    assert future.status_code == 400
    assert future.json()["extra"][0]["key"] == "month"
    for bad in ("2026-13", "03-2026", ""):
        assert (await w.post("admin", f"{BASE}/billing/run", {"month": bad})).status_code == 400
    for role in ("intake", "caseworker", "auditor", "citizen"):
        r = await w.post(role, f"{BASE}/billing/run", {"month": month})
        assert r.status_code == 403, role


async def test_from_budget_line_to_an_approved_invoice(world: World) -> None:
    w = world
    contract = await rental_contract(w, per_day="13.37", cleaning="45.05")
    assert contract["tariff"] == {"per_item_day": "13.37", "per_return_cleaning": "45.05"}
    start, _ = previous_month()
    month = f"{start:%Y-%m}"
    req = await assigned(w, contract["id"], received=start)
    request = await Request.select(Request.status).where(Request.id == req["id"]).first()
    assert request is not None
    assert request["status"] == "assigned"
    chair = await item(w)
    issued, back = start + timedelta(days=6), start + timedelta(days=22)
    loan = await ok(await issue(w, req["id"], chair["id"], issued_on=issued.isoformat()), 201)
    await ok(
        await w.post(
            "provider",
            f"{BASE}/loans/{loan['id']}/return",
            {"condition": "good", "returned_on": back.isoformat()},
        )
    )
    billed = await ok(await w.post("provider", f"{BASE}/billing/run", {"month": month}))
    assert billed["recorded"] == 2
    assert billed["amount_recorded"] == "258.97"  # 16 × 13.37 = 213.92, plus 45.05
    (invoice,) = await ok(await w.post("provider", "/api/invoices/run", {"period": month}), 201)
    assert invoice["total"] == "258.97"
    assert invoice["quantity"] == "16"
    assert invoice["deliveries"] == 2
    assert invoice["lines"][0]["unit_uk"] == "предмет-день"
    await ok(await w.post("provider", f"/api/invoices/{invoice['id']}/submit"))
    approved = await ok(await w.post("accountant", f"/api/invoices/{invoice['id']}/approve"))
    assert approved["status"] == "approved"
    assert approved["total"] == "258.97"
    again = await ok(await w.post("provider", f"{BASE}/billing/run", {"month": month}))
    assert (again["recorded"], again["repeated"]) == (0, 2)
