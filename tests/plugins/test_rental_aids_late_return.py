"""Rental billing at month ends and returns recorded late.

A day is billed only once it has passed (a run on the last day of a month leaves the
loans still out pending), and a return dated back into a month already billed credits
the days billed beyond it on the contract's next invoice, as a line of its own.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

from core import clock
from core.db.market import Contract, Delivery
from plugins.rental_aids.bill import planned
from plugins.rental_aids.billing import RentalDelivery
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


def _loan(issued: date, returned: date | None = None, cleaned: bool = False) -> dict[str, object]:
    return {"id": 7, "issued_on": issued, "returned_on": returned, "cleaning_done": cleaned}


def test_a_run_on_the_last_day_of_a_month_leaves_a_loan_still_out_pending() -> None:
    for last in (date(2026, 11, 30), date(2026, 12, 31), date(2028, 2, 29), date(2027, 2, 28)):
        month = f"{last:%Y-%m}"
        owed, pending = planned(_loan(last.replace(day=3)), month, today=last)
        assert (owed, pending) == ([], True), last
        owed, pending = planned(_loan(last.replace(day=3)), month, today=last + timedelta(1))
        assert pending is False
        assert owed == [
            (last, RentalDelivery(loan_id=7, kind="item_days", days=last.day - 2, month=month))
        ]


def test_a_return_today_bills_the_days_before_it_and_its_cleaning() -> None:
    today = date(2026, 11, 30)
    owed, pending = planned(_loan(date(2026, 11, 10), today, cleaned=True), "2026-11", today)
    assert pending is False
    assert [(day, d.kind, d.days) for day, d in owed] == [
        (date(2026, 11, 29), "item_days", 20),
        (today, "cleaning", 0),
    ]
    # returned on the day of issue, today: that day counts, once it has passed
    owed, pending = planned(_loan(today, today), "2026-11", today)
    assert pending is True
    assert owed == []


async def test_a_return_dated_back_into_a_billed_month_is_credited_on_the_next_invoice(
    world: World,
) -> None:
    w = world
    contract = await rental_contract(w, per_day="1.00", cleaning="500.00")
    start, _ = previous_month()
    month = f"{start:%Y-%m}"
    length = calendar.monthrange(start.year, start.month)[1]
    first = await assigned(w, contract["id"], w.citizen_id, received=start)
    loan = await ok(
        await issue(w, first["id"], (await item(w))["id"], issued_on=f"{start + timedelta(5)}"),
        201,
    )
    billed = await ok(await w.post("provider", f"{BASE}/billing/run", {"month": month}))
    assert billed["recorded"] == 1
    assert billed["amount_recorded"] == f"{length - 5}.00"
    invoiced = await ok(await w.post("provider", "/api/invoices/run", {"period": month}), 201)
    assert [i["total"] for i in invoiced] == [f"{length - 5}.00"]

    # The item came back on day 16 of that month; the return is recorded only now.
    back = start + timedelta(15)
    returned = await ok(
        await w.post(
            "provider",
            f"{BASE}/loans/{loan['id']}/return",
            {"condition": "good", "returned_on": f"{back}", "cleaning_done": False},
        )
    )
    excess = length - 5 - 10
    assert returned["credits"][0]["problem"] == ""
    assert [(c["month"], c["days"], c["amount"]) for c in returned["credits"]] == [
        (month, -excess, f"-{excess}.00")
    ]
    credit = await Delivery.select().where(Delivery.id == returned["credits"][0]["delivery_id"])
    assert credit[0]["delivered_on"] == clock.today()
    assert credit[0]["amount_kop"] == -excess * 100
    used = await Contract.select(Contract.used_kop).where(Contract.id == contract["id"]).first()
    assert used is not None
    assert used["used_kop"] == 10 * 100  # the cap counts 10 days now

    # A re-run of the month says what happened instead of refusing a reused key.
    again = await ok(await w.post("provider", f"{BASE}/billing/run", {"month": month}))
    assert again["refused"] == []
    assert again["recorded"] == 0
    assert len(again["notes"]) == 1
    message = again["notes"][0]["message"]
    assert f"повернуто {back:%d.%m.%Y}" in message
    assert "already credited" in message
    assert "idempotency" not in message

    # The next invoice of the contract credits the days as its own line.
    other = await citizen(w, "Друга")
    second = await assigned(w, contract["id"], other)
    loan2 = await ok(await issue(w, second["id"], (await item(w))["id"]), 201)
    await ok(
        await w.post(
            "provider",
            f"{BASE}/loans/{loan2['id']}/return",
            {"condition": "good", "cleaning_done": True},
        )
    )
    now_month = f"{clock.today():%Y-%m}"
    await ok(await w.post("provider", f"{BASE}/billing/run", {"month": now_month}))
    [invoice] = await ok(await w.post("provider", "/api/invoices/run", {"period": now_month}), 201)
    assert Decimal(invoice["total"]) == Decimal("500.00") - excess
    lines = {line["correction"]: line for line in invoice["lines"]}
    assert lines[True]["amount"] == f"-{excess}.00"
    assert lines[True]["quantity"] in (f"-{excess}", f"-{excess}.000")
    assert "коригування" in lines[True]["service_uk"]
    assert lines[False]["amount"] == "500.00"
