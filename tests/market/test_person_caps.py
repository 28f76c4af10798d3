"""A cap per person holds under parallel deliveries across contracts: a delivery check
reads ``ctx.recorded`` inside the delivery's transaction with the person locked, in the
single path and in a batch.

The cap under test is the homeless plugin's meal portions per person and day (3 by
default), which counts the portions every provider recorded for the person that day.
"""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from typing import Any

from core.db.market import Assignment, Delivery
from core.db.tables import Request
from core.platform import Platform
from core.workflow.market.deliveries import DeliveryIn
from core.workflow.market.delivery_batch import record_batch
from core.workflow.market.recorded import RecordedFor, bounds, person_of
from tests.market.flow import (
    MEAL,
    awarded_contract,
    budget_line,
    homeless_person,
    nights,
    served_request,
)
from tests.world import World

CAP = 3
PARALLEL = 50


async def _portions(citizen_id: int, day: date) -> int:
    requests = [
        r["id"] for r in await Request.select(Request.id).where(Request.citizen == citizen_id)
    ]
    rows = await Delivery.select(Delivery.quantity_milli).where(
        Delivery.request.is_in(requests)
        & (Delivery.delivered_on == day)
        & (Delivery.status == "recorded")
        & (Delivery.service_code == MEAL)
    )
    return sum(int(r["quantity_milli"]) for r in rows) // 1000


async def _meal_requests(world: World, platform: Platform, contracts: int) -> list[dict[str, Any]]:
    """The world's citizen on the register, with a meal request under each of
    ``contracts`` contracts (one provider each time, as three kitchens would)."""
    await homeless_person(world)
    line = await budget_line(world, "500000.00")
    out = []
    for _ in range(contracts):
        contract = await awarded_contract(
            world, MEAL, price="45.00", volume="500", line_id=line["id"]
        )
        out.append(await served_request(world, platform, contract["id"], MEAL))
    return out


async def test_fifty_parallel_meals_across_contracts_stop_at_the_daily_cap(
    world: World, platform: Platform
) -> None:
    requests = await _meal_requests(world, platform, 3)
    day = nights()[1]

    async def meal(n: int) -> Any:
        req = requests[n % len(requests)]
        return await world.post(
            "provider",
            "/api/deliveries",
            {
                "request_id": req["id"],
                "delivered_on": day.isoformat(),
                "idempotency_key": f"meal-{n}",
                "data": {"portions": 1, "meal": "lunch"},
            },
        )

    answers = await asyncio.gather(*[meal(n) for n in range(PARALLEL)])

    codes = sorted(r.status_code for r in answers)
    assert codes.count(201) == CAP, [r.text for r in answers if r.status_code != 422]
    assert codes.count(422) == PARALLEL - CAP
    refused = next(r.json() for r in answers if r.status_code == 422)
    assert "homeless.meal_portions_per_day" in str(refused)
    assert await _portions(world.citizen_id, day) == CAP
    # the day after is a day of its own
    again = await world.post(
        "provider",
        "/api/deliveries",
        {
            "request_id": requests[0]["id"],
            "delivered_on": nights()[2].isoformat(),
            "idempotency_key": "meal-next-day",
            "data": {"portions": 2, "meal": "lunch"},
        },
    )
    assert again.status_code == 201, again.text


async def test_a_batch_counts_its_own_earlier_deliveries_against_the_cap(
    world: World, platform: Platform
) -> None:
    (req,) = await _meal_requests(world, platform, 1)
    day = nights()[0]
    contract_id = (
        await Assignment.select(Assignment.contract).where(Assignment.request == req["id"])
    )[0]["contract"]
    items = [
        DeliveryIn(
            request_id=req["id"],
            delivered_on=day,
            idempotency_key=f"batch-meal-{n}",
            data={"portions": 1, "meal": "lunch"},
        )
        for n in range(5)
    ]

    out = await record_batch(platform, world.actors["provider"], contract_id, items)

    assert [o.created for o in out] == [True, True, True, False, False]
    assert all(o.refusal is not None for o in out[3:])
    assert await _portions(world.citizen_id, day) == CAP


async def test_recorded_counts_the_person_over_the_period_and_services(
    world: World, platform: Platform
) -> None:
    requests = await _meal_requests(world, platform, 2)
    first, second = nights()[0], nights()[1]
    for n, (req, day, portions) in enumerate(
        [(requests[0], first, 2), (requests[1], first, 1), (requests[1], second, 1)]
    ):
        r = await world.post(
            "provider",
            "/api/deliveries",
            {
                "request_id": req["id"],
                "delivered_on": day.isoformat(),
                "idempotency_key": f"seen-{n}",
                "data": {"portions": portions, "meal": "lunch"},
            },
        )
        assert r.status_code == 201, r.text
    person = person_of(world.citizen_id, requests[0]["id"])
    on_first = RecordedFor(world.municipality_id, MEAL, person, first)
    assert await on_first.quantity("day") == Decimal(3)
    assert await on_first.count("day") == 2
    assert await on_first.quantity("month") == Decimal(4)
    assert await on_first.quantity("month", services=["homeless.night_stay"]) == 0
    # another person sees nothing of these
    other = RecordedFor(world.municipality_id, MEAL, person_of(world.other_citizen_id, 0), first)
    assert await other.quantity("month") == 0


def test_periods_hold_the_day() -> None:
    day = date(2028, 2, 29)
    assert bounds("day", day) == (day, day)
    assert bounds("week", day) == (date(2028, 2, 28), date(2028, 3, 5))
    assert bounds("month", day) == (date(2028, 2, 1), day)
    assert bounds("year", day) == (date(2028, 1, 1), date(2028, 12, 31))
