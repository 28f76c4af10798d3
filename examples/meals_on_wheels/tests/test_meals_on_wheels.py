"""Meals on wheels, tested as its author would with Hromada's test kit: screened, decided,
contracted, delivered up to its cap under parallel load, invoiced with a line per tariff
part, paid. Run ``HROMADA_TEST_PLUGINS=meals_on_wheels pytest`` (the kit's fixtures
``hromada_world`` and ``hromada_platform``; set ``HROMADA_TEST_DATABASE_URL`` for
PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

import pytest

from core import clock
from core.testkit import steps
from core.testkit.world import World

CODE = "meals_on_wheels.meals"
ME = pytest.mark.world_plugins("meals_on_wheels")


def _aged(years: int) -> str:
    today = clock.today()
    return date(today.year - years - 1, 1, 15).isoformat()


@ME
async def test_screening_asks_only_what_the_path_needs(hromada_world: World) -> None:
    group_one = await steps.screen(hromada_world, {}, applicant={"disability_group": 1})
    assert group_one[CODE]["verdict"] == "eligible"
    aged = await steps.screen(hromada_world, {}, applicant={"birth_date": _aged(75)})
    assert aged[CODE]["verdict"] == "needs_data"
    assert aged[CODE]["missing"] == ["household.lives_alone"]
    young = await steps.screen(hromada_world, {}, applicant={"birth_date": _aged(40)})
    assert young[CODE]["verdict"] == "not_eligible"


async def test_only_the_municipality_that_enables_it_offers_it(
    hromada_world: World, hromada_platform: object
) -> None:
    mine = await hromada_world.get(None, f"/api/services?municipality={hromada_world.slug}")
    assert CODE in [s["code"] for s in mine.json()]
    # a municipality of the same deployment that has not enabled it
    await hromada_world.put("admin", "/api/plugins/enabled", {"plugins": []})
    gone = await hromada_world.get(None, f"/api/services?municipality={hromada_world.slug}")
    assert CODE not in [s["code"] for s in gone.json()]


@ME
async def test_meals_are_capped_invoiced_per_part_and_paid(hromada_world: World) -> None:
    w = hromada_world
    today = clock.today()
    ok = await w.patch("intake", f"/api/citizens/{w.citizen_id}", json={"disability_group": 1})
    assert ok.status_code == 200, ok.text
    req = await steps.submit(w, CODE, {"diet": "diabetic"}, received_on=today)
    assert req["eligibility"] == "eligible", req["findings"]
    await steps.decide(w, req["id"])
    contract = await steps.contract(w, CODE, {"meal": "85.00", "trip": "20.00"})
    await steps.assign(w, req["id"], contract["id"], on=today)

    async def one(n: int) -> int:
        body = {
            "request_id": req["id"],
            "delivered_on": today.isoformat(),
            "idempotency_key": f"meal-{n}",
            "data": {"meals": 1},
        }
        return int((await w.post("provider", "/api/deliveries", body)).status_code)

    codes = await asyncio.gather(*[one(n) for n in range(50)])
    assert codes.count(201) == 22
    assert codes.count(422) == 28

    (invoice,) = await steps.run_invoices(w, f"{today:%Y-%m}")
    lines = {line["unit_en"]: line for line in invoice["lines"]}
    assert Decimal(lines["meal"]["quantity"]) == 22
    assert Decimal(lines["meal"]["unit_price"]) == Decimal("85.00")
    assert Decimal(lines["meal"]["amount"]) == Decimal("1870.00")
    assert Decimal(lines["trip"]["quantity"]) == 22
    assert Decimal(lines["trip"]["amount"]) == Decimal("440.00")
    assert Decimal(invoice["total"]) == Decimal("2310.00")
    paid = await steps.approve_and_pay(w, invoice["id"], today)
    assert paid["status"] == "paid"
