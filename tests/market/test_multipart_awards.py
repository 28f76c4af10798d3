"""Multi-part tariffs in calls, bids, offers and the award: every part is priced, and the
contract's money cap and the budget line's reservation count every part."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from core import clock
from core.platform import Platform
from core.workflow.market import part_prices
from plugins.disability_transport.service import CODE as TAXI
from tests.market.flow import (
    NIGHT,
    budget_line,
    ok,
    pass_deadline,
    second_provider_user,
    this_year,
    verify_providers,
)
from tests.market.two_part import MealRunTariff, swap_in
from tests.world import World

MINE = pytest.mark.world_plugins("disability_transport", "homeless")
MAXIMA = {"trip": "250.00", "km": "25.00", "waiting": "70.00"}


def _call_body(line_id: int, service: str = TAXI, **prices: Any) -> dict[str, Any]:
    return {
        "service_code": service,
        "title": "Соціальне таксі для осіб з інвалідністю",
        "volume": "1500",
        **prices,
        "period_start": f"{this_year()}-01-01",
        "period_end": f"{this_year()}-12-31",
        "criteria": [
            {"code": "price", "name": "Ціна", "weight": 40},
            {"code": "quality", "name": "Якість і досвід", "weight": 60},
        ],
        "deadline": (clock.now() + timedelta(days=30)).isoformat(),
        "budget_line_id": line_id,
    }


async def _taxi_call(w: World, allocation: str = "1000000.00") -> tuple[dict[str, Any], int]:
    line = await budget_line(w, allocation)
    await verify_providers(w)
    call = await ok(
        await w.post("caseworker", "/api/calls", _call_body(line["id"], max_prices=MAXIMA)), 201
    )
    return call, int(line["id"])


async def _refused(response: Any, status: int, field: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["extra"][0]["key"] == field, response.text


@MINE
async def test_a_two_part_bid_is_awarded_with_every_part_in_the_money_cap(world: World) -> None:
    w = world
    await second_provider_user(w)
    call, line_id = await _taxi_call(w)
    assert call["max_unit_price"] is None
    assert call["max_prices"] == MAXIMA
    cheaper = await ok(
        await w.post(
            "provider",
            f"/api/calls/{call['id']}/bids",
            {
                "prices": {"trip": "200.00", "km": "18.50", "waiting": "55.00"},
                "volumes": {"trip": "1500", "km": "18000.5", "waiting": "900"},
                "answers": {"quality": "12 мікроавтобусів з підйомником"},
            },
        ),
        201,
    )
    # 200.00 × 1500 + 18.50 × 18000.5 + 55.00 × 900 = 300000 + 333009.25 + 49500
    assert cheaper["cost"] == "682509.25"
    assert cheaper["unit_price"] is None
    assert cheaper["volume"] == "1500"
    assert cheaper["volumes"] == {"trip": "1500", "km": "18000.5", "waiting": "900"}
    # A lower price of a trip, but more kilometres and waiting: the dearer bid overall.
    dearer = await ok(
        await w.post(
            "provider2",
            f"/api/calls/{call['id']}/bids",
            {
                "prices": {"trip": "190.00", "km": "19.00", "waiting": "50.00"},
                "volumes": {"trip": "1500", "km": "20000", "waiting": "1200"},
            },
        ),
        201,
    )
    assert dearer["cost"] == "725000.00"
    await pass_deadline(call["id"])
    for bid in (cheaper, dearer):  # the same score: the lower expected cost wins
        await ok(
            await w.post(
                "caseworker",
                f"/api/bids/{bid['id']}/score",
                {"scores": {"price": 70, "quality": 80}},
            )
        )
    contract = await ok(await w.post("admin", f"/api/calls/{call['id']}/award", {}), 201)
    assert contract["provider_id"] == w.provider_id
    assert contract["tariff"] == {
        "base_fee": "200.00",
        "per_km": "18.50",
        "per_started_15_min_waiting": "55.00",
        "bill_no_shows": True,
        "bill_late_cancellations": False,
    }
    assert contract["money_cap"] == "682509.25"
    assert contract["volume_cap"] == "1500"
    line = await ok(await w.get("accountant", f"/api/budget-lines/{line_id}"))
    assert line["committed"] == "682509.25"
    assert line["remaining"] == "317490.75"
    bids = await ok(await w.get("caseworker", f"/api/calls/{call['id']}/bids"))
    assert {b["id"]: b["status"] for b in bids} == {cheaper["id"]: "won", dearer["id"]: "lost"}


@MINE
async def test_the_award_is_refused_when_the_line_lacks_the_parts_money(world: World) -> None:
    w = world
    # Enough for the trips alone (300,000.00), not for the kilometres and the waiting.
    call, line_id = await _taxi_call(w, allocation="400000.00")
    bid = await ok(
        await w.post(
            "provider",
            f"/api/calls/{call['id']}/bids",
            {
                "prices": {"trip": "200.00", "km": "18.50", "waiting": "55.00"},
                "volumes": {"trip": "1500", "km": "18000.5", "waiting": "900"},
            },
        ),
        201,
    )
    await pass_deadline(call["id"])
    await ok(
        await w.post(
            "caseworker", f"/api/bids/{bid['id']}/score", {"scores": {"price": 50, "quality": 50}}
        )
    )
    await _refused(
        await w.post("admin", f"/api/calls/{call['id']}/award", {}), 409, "budget_line_id"
    )
    line = await ok(await w.get("accountant", f"/api/budget-lines/{line_id}"))
    assert line["committed"] == "0.00"


@MINE
async def test_calls_of_a_multi_part_tariff_name_the_wrong_part(world: World) -> None:
    w = world
    line = await budget_line(w)
    for prices, status, field in (
        ({"max_prices": {"trip": "250.00", "km": "25.00"}}, 400, "max_prices.waiting"),
        ({"max_prices": {**MAXIMA, "bus": "10.00"}}, 400, "max_prices.bus"),
        ({"max_prices": {**MAXIMA, "km": "0"}}, 422, "max_prices.km"),
        ({"max_prices": {**MAXIMA, "km": "2.555"}}, 422, "max_prices.km"),
        ({"max_unit_price": "250.00"}, 400, "max_unit_price"),
        ({"max_unit_price": "250.00", "max_prices": MAXIMA}, 400, "max_unit_price"),
    ):
        r = await w.post("caseworker", "/api/calls", _call_body(line["id"], **prices))
        await _refused(r, status, field)
    # A service with one price per unit keeps its single price.
    await _refused(
        await w.post("caseworker", "/api/calls", _call_body(line["id"], NIGHT, max_prices=MAXIMA)),
        400,
        "max_prices",
    )
    await _refused(
        await w.post("caseworker", "/api/calls", _call_body(line["id"], NIGHT)),
        400,
        "max_unit_price",
    )
    night = await ok(
        await w.post(
            "caseworker", "/api/calls", _call_body(line["id"], NIGHT, max_unit_price="300.00")
        ),
        201,
    )
    assert (night["max_unit_price"], night["max_prices"]) == ("300.00", {})
    await verify_providers(w)
    await _refused(
        await w.post(
            "provider",
            f"/api/calls/{night['id']}/bids",
            {"prices": {"trip": "1.00"}, "volumes": {"trip": "1"}},
        ),
        400,
        "prices",
    )


@MINE
async def test_bids_of_a_multi_part_tariff_name_the_wrong_part(world: World) -> None:
    w = world
    call, _ = await _taxi_call(w)
    prices = {"trip": "200.00", "km": "18.50", "waiting": "55.00"}
    volumes = {"trip": "1500", "km": "18000", "waiting": "900"}
    for body, status, field in (
        ({"prices": {**prices, "km": "25.01"}, "volumes": volumes}, 400, "prices.km"),
        ({"prices": {**prices, "waiting": "70.01"}, "volumes": volumes}, 400, "prices.waiting"),
        ({"prices": {"trip": "200.00", "km": "18.50"}, "volumes": volumes}, 400, "prices.waiting"),
        ({"prices": {**prices, "bus": "1.00"}, "volumes": volumes}, 400, "prices.bus"),
        ({"prices": {**prices, "trip": "-1"}, "volumes": volumes}, 422, "prices.trip"),
        ({"prices": prices, "volumes": {"trip": "1500", "waiting": "900"}}, 400, "volumes.km"),
        ({"prices": prices, "volumes": {**volumes, "trip": "1500.001"}}, 400, "volumes.trip"),
        ({"prices": prices, "volumes": {**volumes, "km": "0"}}, 422, "volumes.km"),
        ({"unit_price": "200.00", "volume": "10"}, 400, "unit_price"),
        ({"prices": prices, "volumes": volumes, "volume": "1500"}, 400, "volume"),
    ):
        r = await w.post("provider", f"/api/calls/{call['id']}/bids", body)
        await _refused(r, status, field)
    at_the_maxima = await ok(
        await w.post(
            "provider",
            f"/api/calls/{call['id']}/bids",
            {"prices": MAXIMA, "volumes": volumes},
        ),
        201,
    )
    assert at_the_maxima["prices"] == MAXIMA


@MINE
async def test_an_offer_prices_every_part(world: World) -> None:
    w = world
    prices = {"trip": "210.00", "km": "19.00", "waiting": "58.50"}
    for body, field in (
        ({"unit_price": "210.00"}, "unit_price"),
        ({"prices": {"trip": "210.00", "waiting": "58.50"}}, "prices.km"),
        ({"prices": {**prices, "bus": "1"}}, "prices.bus"),
    ):
        r = await w.post("provider", "/api/offers", {"service_code": TAXI, **body})
        await _refused(r, 400, field)
    offer = await ok(
        await w.post("provider", "/api/offers", {"service_code": TAXI, "prices": prices}), 201
    )
    assert (offer["unit_price"], offer["prices"]) == (None, prices)
    changed = await ok(
        await w.patch(
            "provider", f"/api/offers/{offer['id']}", {"prices": {**prices, "km": "18.00"}}
        )
    )
    assert changed["prices"]["km"] == "18.00"
    await _refused(
        await w.patch("provider", f"/api/offers/{offer['id']}", {"unit_price": "200.00"}),
        400,
        "unit_price",
    )
    listed = await ok(await w.get("caseworker", f"/api/offers?service={TAXI}"))
    assert [o["prices"] for o in listed] == [{**prices, "km": "18.00"}]
    night = await ok(
        await w.post("provider", "/api/offers", {"service_code": NIGHT, "unit_price": "240.00"}),
        201,
    )
    assert (night["unit_price"], night["prices"]) == ("240.00", {})
    await _refused(
        await w.patch("provider", f"/api/offers/{night['id']}", {"prices": prices}), 400, "prices"
    )


def test_without_tariff_from_prices_the_tariff_takes_each_price_in_its_field(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = swap_in(platform, monkeypatch)
    service = msgspec.structs.replace(platform.host.services[code], tariff_from_prices=None)
    prices = {"meal": Decimal("82.00"), "km": Decimal("8.35")}
    tariff = part_prices.tariff_of(service, prices)
    assert tariff == MealRunTariff(meal_price=Decimal("82.00"), km_price=Decimal("8.35"))
    # 1,500 meals at 82.00 and 4,000 km of runs at 8.35, not the meals alone
    volumes = {"meal": Decimal(1500), "km": Decimal(4000)}
    assert part_prices.cost(prices, volumes) == Decimal("156400.00")
