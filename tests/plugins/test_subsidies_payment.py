"""The two payment channels of a subsidy: non-cash to the utility providers, paid at most
the provider's charge with the unused money carried over to later months; and cash to
the recipient's IBAN, one payout per month through the budget line and the register."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from core import clock
from core.platform import Platform
from tests.market.flow import allow_backdating, budget_line, ok, period
from tests.plugins.test_subsidies_api import (
    BASE,
    approved_request,
    contract,
    household_form,
    utility_provider,
)
from tests.plugins.test_subsidies_formula import form, person, util
from tests.world import IBAN, World

#: Last year's heating season: its first three months are always in the past.
TODAY = RECEIVED = date.min
M1 = M2 = M3 = ""


@pytest.fixture(autouse=True)
def _dates() -> None:
    """Today, and the dates taken from it, as each test starts: a run at the real time
    may cross midnight, after which dates taken at import would be yesterday's."""
    global TODAY, RECEIVED, M1, M2, M3
    TODAY = clock.today()
    RECEIVED = date(TODAY.year - 1, 10, 1)
    M1, M2, M3 = (f"{TODAY.year - 1}-{m}" for m in ("10", "11", "12"))


async def last_season_request(
    w: World, heat: int | None, flats: int | None, citizen_id: int | None = None, **extra: Any
) -> dict[str, Any]:
    """A one-person household that applied on 1 October last year (incomes of Q1–Q2)."""
    await allow_backdating(w)
    data = form(
        [person("Оксана", quarterly="6000", year=RECEIVED.year)],
        {"total_area": "60"},
        [
            util("heating", "2400", provider_id=heat),
            util("housing_maintenance", "300", provider_id=flats),
        ],
        **extra,
    )
    req = await ok(
        await w.post(
            "intake",
            "/api/requests",
            {
                "service_code": "subsidies.housing",
                "citizen_id": citizen_id or w.citizen_id,
                "form": data,
                "received_on": RECEIVED.isoformat(),
            },
        ),
        201,
    )
    assert req["eligibility"] == "eligible", req["findings"]
    await ok(
        await w.post("caseworker", f"/api/requests/{req['id']}/decision", {"decision": "approve"})
    )
    return req


async def assigned_to_two_providers(w: World) -> tuple[dict[str, Any], dict[str, Any], int]:
    """Last season's request assigned (non-cash) to a heat provider and a flats' manager,
    each with a contract from 1 October: the request, the assignment, the heat contract."""
    heat = await utility_provider(w, "КП «Теплоенерго»")
    flats = await utility_provider(w, "ОСББ «Затишок»", "38008294")
    line = await budget_line(w, "500000.00")
    heat_contract = await contract(w, heat, line["id"], RECEIVED)
    await contract(w, flats, line["id"], RECEIVED)
    req = await last_season_request(w, heat, flats)
    a = await ok(
        await w.post(
            "caseworker", f"{BASE}/requests/{req['id']}/assign", {"contract_id": heat_contract}
        ),
        201,
    )
    return req, a, heat_contract


def charge(assignment_id: int, utility: str, amount: Decimal) -> dict[str, Any]:
    return {"assignment_id": assignment_id, "utility": utility, "charged": str(amount)}


def lines_of(paid: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {x["utility"]: x for x in paid["lines"]}


async def test_non_cash_pays_up_to_the_charge_and_carries_the_rest_over(world: World) -> None:
    w = world
    req, a, heat_contract = await assigned_to_two_providers(w)
    assert a["channel"] == "non_cash"
    amounts = {(m["month"], m["utility"]): Decimal(m["amount"]) for m in a["months"]}
    heating = amounts[(M1, "heating")]
    upkeep = amounts[(M1, "housing_maintenance")]
    assert heating == amounts[(M2, "heating")] == amounts[(M3, "heating")]
    assert heating > 500

    # October: the heat provider charged 500 less than the subsidy; the flats' manager
    # charged more than its subsidy (it is paid the subsidy, the household the rest).
    url = f"{BASE}/charges"
    body = {
        "month": M1,
        "lines": [
            charge(a["id"], "heating", heating - 500),
            charge(a["id"], "housing_maintenance", upkeep + 100),
        ],
    }
    refused = await w.post("provider", url, body)  # another provider's user
    assert refused.status_code == 403, refused.text
    assert (await ok(await w.post("accountant", url, body)))["stored"] == 2
    october = await ok(await w.post("accountant", f"{BASE}/pay-month", {"month": M1}))
    got = lines_of(october)
    assert got["heating"]["amount"] == str(heating - 500)
    assert got["heating"]["outcome"] == "recorded"
    assert got["housing_maintenance"]["amount"] == str(upkeep)
    late = await w.post("accountant", url, body)
    assert late.status_code == 409, late.text

    # November: the charge is 800 over the subsidy; the 500 carried over pays part of it.
    body = {"month": M2, "lines": [charge(a["id"], "heating", heating + 800)]}
    await ok(await w.post("caseworker", url, body))
    november = lines_of(await ok(await w.post("accountant", f"{BASE}/pay-month", {"month": M2})))
    assert november["heating"]["carried_in"] == "500.00"
    assert november["heating"]["amount"] == str(heating + 500)

    # December: nothing charged for heating: nothing is paid, all of it carries over.
    body = {"month": M3, "lines": [charge(a["id"], "heating", Decimal(0))]}
    await ok(await w.post("accountant", url, body))
    december = await ok(await w.post("accountant", f"{BASE}/pay-month", {"month": M3}))
    assert lines_of(december)["heating"]["outcome"] == "nothing_due"
    assert december["nothing_due"] == 1
    again = await ok(await w.post("accountant", f"{BASE}/pay-month", {"month": M1}))
    assert again["recorded"] == 0
    assert again["already_recorded"] == 2

    read = await ok(await w.get("caseworker", f"{BASE}/assignments/{a['id']}"))
    assert read["balance"] == {"heating": str(heating), "housing_maintenance": "0.00"}
    by = {(m["month"], m["utility"]): m for m in read["months"]}
    assert by[(M1, "heating")]["paid"] == str(heating - 500)
    assert by[(M1, "heating")]["charged"] == str(heating - 500)
    assert by[(M2, "heating")]["carried_in"] == "500.00"
    assert by[(M3, "heating")]["paid"] is None
    assert by[(M3, "heating")]["carried_in"] == "0.00"

    # A delivery entered by hand must carry exactly the amount due, not the assigned one
    # (a back payment of January: the request was assigned today).
    month4 = f"{TODAY.year}-01"
    if (month4, "heating") in amounts:
        manual = await w.post(
            "admin",
            "/api/deliveries",
            {
                "request_id": req["id"],
                "contract_id": heat_contract,
                "delivered_on": TODAY.isoformat(),
                "idempotency_key": "manual-1",
                "data": {
                    "assignment_id": a["id"],
                    "utility": "heating",
                    "month": month4,
                    "amount": str(heating - 1),
                },
            },
        )
        assert manual.status_code == 422
        assert "не дорівнює призначеній до сплати" in manual.text


async def test_months_before_the_assignment_are_back_payments(world: World) -> None:
    """A subsidy from October, assigned to the heat provider's contract on 15 November: the
    core refuses deliveries dated before the assignment, so October is paid back on the day
    of the assignment (its month in its data) and billed with November; November is paid
    from that day, December on its first."""
    w = world
    heat = await utility_provider(w, "КП «Теплоенерго»")
    line = await budget_line(w, "500000.00")
    heat_contract = await contract(w, heat, line["id"], RECEIVED)
    req = await last_season_request(w, heat, heat)
    assigned_on = date(RECEIVED.year, 11, 15)
    a = await ok(
        await w.post(
            "caseworker",
            f"{BASE}/requests/{req['id']}/assign",
            {"contract_id": heat_contract, "assigned_on": assigned_on.isoformat()},
        ),
        201,
    )
    due = {(m["month"], m["utility"]): m["amount"] for m in a["months"]}
    for month in (M1, M2):
        paid = await ok(await w.post("accountant", f"{BASE}/pay-month", {"month": month}))
        assert paid["recorded"] == 2, paid["lines"]

    # December dated in November is no back payment: the plugin's check refuses it.
    early = await w.post(
        "admin",
        "/api/deliveries",
        {
            "request_id": req["id"],
            "delivered_on": f"{RECEIVED.year}-11-20",
            "idempotency_key": "december-early",
            "data": {
                "assignment_id": a["id"],
                "utility": "heating",
                "month": M3,
                "amount": due[(M3, "heating")],
            },
        },
    )
    assert early.status_code == 422, early.text
    assert [e["key"] for e in early.json()["extra"]] == ["subsidies.delivery_month"]
    assert "precedes the month" in early.text
    paid = await ok(await w.post("accountant", f"{BASE}/pay-month", {"month": M3}))
    assert paid["recorded"] == 2, paid["lines"]

    listed = await ok(await w.get("accountant", "/api/deliveries"))
    dated = sorted({(d["data"]["month"], d["delivered_on"]) for d in listed["items"]})
    assert dated == [
        (M1, assigned_on.isoformat()),
        (M2, assigned_on.isoformat()),
        (M3, f"{RECEIVED.year}-12-01"),
    ]
    november = await ok(await w.post("accountant", "/api/invoices/run", {"period": M2}), 201)
    (invoice,) = november
    assert Decimal(invoice["total"]) == sum(
        Decimal(v) for (month, _), v in due.items() if month in (M1, M2)
    )


async def test_charges_are_checked_line_by_line(world: World) -> None:
    w = world
    heat = await utility_provider(w, "КП «Теплоенерго»")
    line = await budget_line(w, "500000.00")
    await contract(w, heat, line["id"], RECEIVED)
    req = await last_season_request(w, heat, heat)
    a = await ok(await w.post("caseworker", f"{BASE}/requests/{req['id']}/assign", {}), 201)
    url = f"{BASE}/charges"
    cases = [
        ({"month": M1, "lines": [charge(a["id"] + 1000, "heating", Decimal(1))]}, "lines[0]"),
        (
            {
                "month": M1,
                "lines": [charge(a["id"], "heating", Decimal(1))] * 2,
            },
            "lines[1]",
        ),
        (
            {"month": f"{RECEIVED.year - 3}-01", "lines": [charge(a["id"], "heating", Decimal(1))]},
            "lines[0]",
        ),
        ({"month": M1, "lines": [charge(a["id"], "heating", Decimal("-1"))]}, "charged"),
        ({"month": "2026-13", "lines": [charge(a["id"], "heating", Decimal(1))]}, "month"),
    ]
    for body, field in cases:
        r = await w.post("accountant", url, body)
        # a month outside the calendar is outside the core's bounds: 422
        assert r.status_code == (422 if body["month"] == "2026-13" else 400), (body, r.text)
        assert field in r.text, (field, r.text)
    read = await ok(await w.get("caseworker", f"{BASE}/assignments/{a['id']}"))
    assert all(m["charged"] is None for m in read["months"])  # nothing half-written


async def test_cash_channel_pays_the_recipient_once_a_month(world: World) -> None:
    w = world
    line = await budget_line(w, "100000.00", code="2730", lump_sums=["subsidies.housing"])
    data = household_form(None, None) | {"payment_channel": "cash", "iban": IBAN}
    req = await approved_request(w, data)
    a = await ok(await w.post("caseworker", f"{BASE}/requests/{req['id']}/assign", {}), 201)
    assert a["channel"] == "cash"
    month = sorted({m["month"] for m in a["months"]})[0]
    total = sum(Decimal(m["amount"]) for m in a["months"] if m["month"] == month)

    first, second = await asyncio.gather(
        w.post("accountant", f"{BASE}/pay-month", {"month": month}),
        w.post("admin", f"{BASE}/pay-month", {"month": month}),
    )
    one, two = await ok(first), await ok(second)
    assert one["recorded"] + two["recorded"] == 1, (one, two)
    assert one["already_recorded"] + two["already_recorded"] == 1
    (paid_line,) = one["lines"]
    assert paid_line["channel"] == "cash"
    assert paid_line["amount"] == str(total)

    payouts = await ok(await w.get("accountant", "/api/payouts"))
    (payout,) = payouts
    assert payout["period"] == month
    assert payout["amount"] == str(total)
    assert payout["iban"] == IBAN
    assert payout["budget_line_id"] == line["id"]
    assert payout["service_code"] == "subsidies.housing"
    figures = await ok(await w.get("accountant", f"/api/budget-lines/{line['id']}"))
    assert figures["committed"] == str(total)

    register = await w.get(
        "accountant", "/api/registers/payments", params={"period": period(), "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(register.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "payout"
    assert f"за {month}" in rows[1][6]
    assert rows[1][5] == str(total)

    await ok(
        await w.post(
            "accountant",
            f"/api/payouts/{payout['id']}/pay",
            {"paid_on": TODAY.isoformat(), "reference": "ПД-7"},
        )
    )
    read = await ok(await w.get("caseworker", f"{BASE}/assignments/{a['id']}"))
    assert {m["paid"] for m in read["months"] if m["month"] == month} == {
        m["amount"] for m in read["months"] if m["month"] == month
    }
    assert read["balance"] == {}
    wrong = await w.post(
        "accountant",
        f"{BASE}/charges",
        {"month": month, "lines": [charge(a["id"], "heating", Decimal(1))]},
    )
    assert wrong.status_code == 400
    assert "готівкою" in wrong.text


async def test_a_cash_request_without_an_iban_is_refused_naming_the_field(world: World) -> None:
    r = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "subsidies.housing",
            "citizen_id": world.citizen_id,
            "form": household_form(None, None) | {"payment_channel": "cash"},
        },
    )
    assert r.status_code == 400
    assert "form.iban" in r.text or "iban" in r.text


async def test_the_channel_changes_for_the_months_not_yet_paid(world: World) -> None:
    w = world
    _, a, _ = await assigned_to_two_providers(w)
    total = {
        month: sum(Decimal(m["amount"]) for m in a["months"] if m["month"] == month)
        for month in (M1, M2, M3)
    }
    pay = f"{BASE}/pay-month"
    assert (await ok(await w.post("accountant", pay, {"month": M1})))["recorded"] == 2

    url = f"{BASE}/assignments/{a['id']}/channel"
    no_iban = await w.put("caseworker", url, {"payment_channel": "cash"})
    assert no_iban.status_code == 400
    assert "iban" in no_iban.text
    same = await w.put("caseworker", url, {"payment_channel": "non_cash"})
    assert same.status_code == 400
    assert "payment_channel" in same.text
    cash = await ok(await w.put("caseworker", url, {"payment_channel": "cash", "iban": IBAN}))
    assert cash["channel"] == "cash"

    # October was paid to the providers: it is not paid again in cash.
    october = await ok(await w.post("accountant", pay, {"month": M1}))
    (only,) = october["lines"]
    assert only["channel"] == "cash"
    assert only["outcome"] == "nothing_due"
    assert "надавачам" in only["reason"]
    november = await ok(await w.post("accountant", pay, {"month": M2}))
    assert november["recorded"] == 1
    assert november["lines"][0]["amount"] == str(total[M2])
    payouts = await ok(await w.get("accountant", "/api/payouts"))
    assert [(p["period"], p["amount"]) for p in payouts] == [(M2, str(total[M2]))]

    # Back to the providers: November (paid in cash) is not paid to them; December is.
    await ok(await w.put("caseworker", url, {"payment_channel": "non_cash"}))
    again = await ok(await w.post("accountant", pay, {"month": M2}))
    assert again["recorded"] == 0
    assert {x["outcome"] for x in again["lines"]} == {"skipped"}
    assert all("отримувачеві" in x["reason"] for x in again["lines"])
    december = await ok(await w.post("accountant", pay, {"month": M3}))
    assert december["recorded"] == 2

    read = await ok(await w.get("caseworker", f"{BASE}/assignments/{a['id']}"))
    paid = {(m["month"], m["utility"]): m["paid"] for m in read["months"]}
    amounts = {(m["month"], m["utility"]): m["amount"] for m in read["months"]}
    for month in (M1, M2, M3):
        for utility in ("heating", "housing_maintenance"):
            assert paid[(month, utility)] == amounts[(month, utility)], (month, utility)
    deliveries = await ok(await w.get("accountant", "/api/deliveries"))
    assert deliveries["total"] == 4  # October and December, two providers each


async def test_the_command_pays_a_month_in_chunks(world: World, platform: Platform) -> None:
    """``hromada subsidies pay-month`` runs the same pay run chunk by chunk (here one
    assignment a chunk); a rerun pays nothing twice."""
    import click

    from plugins.subsidies.commands import pay_in_chunks

    w = world
    _, a, _ = await assigned_to_two_providers(w)
    cash = await last_season_request(
        w, None, None, w.other_citizen_id, payment_channel="cash", iban=IBAN
    )
    await ok(await w.post("caseworker", f"{BASE}/requests/{cash['id']}/assign", {}), 201)
    first = await pay_in_chunks(platform, w.slug, M1, None, chunk=1)
    assert first["recorded"] == 3  # two providers' deliveries, one payout
    assert first["skipped"] == 0
    again = await pay_in_chunks(platform, w.slug, M1, None, chunk=1)
    assert again["recorded"] == 0
    assert again["already_recorded"] == 3
    assert again["total_kop"] == first["total_kop"] > 0
    with pytest.raises(click.ClickException, match="--month"):
        await pay_in_chunks(platform, w.slug, "2026-13", None)
    group = click.Group()
    platform.host.add_commands(group)
    assert "subsidies" in group.commands
    assert a["channel"] == "non_cash"
