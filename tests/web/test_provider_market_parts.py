"""The provider's bid and offer forms for a service with a multi-part tariff (the social
taxi): a price (and for a bid an expected quantity) of every part, labelled by the part,
an error beside the part's input, and the round trip to the API's per-part values."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from core import clock
from plugins.disability_transport.service import CODE as TAXI
from tests.market.flow import budget_line, ok, this_year, verify_providers
from tests.web.conftest import form_token, sign_in
from tests.web.test_provider_market import _error, _uk
from tests.world import World

MINE = pytest.mark.world_plugins("disability_transport")


async def _taxi_call(w: World) -> dict[str, Any]:
    line = await budget_line(w, "1000000.00")
    await verify_providers(w)
    body = {
        "service_code": TAXI,
        "title": "Соціальне таксі",
        "volume": "1500",
        "max_prices": {"trip": "250.00", "km": "25.00", "waiting": "70.00"},
        "period_start": f"{this_year()}-01-01",
        "period_end": f"{this_year()}-12-31",
        "criteria": [
            {"code": "price", "name": "Ціна", "weight": 40},
            {"code": "quality", "name": "Якість і досвід", "weight": 60},
        ],
        "deadline": (clock.now() + timedelta(days=30)).isoformat(),
        "budget_line_id": line["id"],
    }
    return await ok(await w.post("caseworker", "/api/calls", body), 201)


@MINE
async def test_a_bid_prices_and_expects_every_part(
    world: World, visitor: httpx.AsyncClient
) -> None:
    c = await _taxi_call(world)
    key = f"call-{c['id']}"
    await sign_in(visitor, f"{world.slug}.provider")
    shown = await visitor.get("/desk/provider/calls")
    assert shown.status_code == 200, shown.text
    text = shown.text.replace("\u00a0", " ")
    assert "Граничні ціни складових" in text
    assert "пробіг: 25,00 грн / км" in text
    assert "очікування: 70,00 грн / розпочаті 15 хв" in text
    assert 'name="prices.km"' in text
    assert 'name="volumes.waiting"' in text
    assert 'name="unit_price"' not in text
    url = f"/desk/provider/calls/{c['id']}/bid"
    body = {
        "_csrf": form_token(shown.text),
        "prices.trip": "200",
        "prices.km": "25,50",
        "prices.waiting": "55",
        "volumes.trip": "1500",
        "volumes.km": "18000,5",
        "volumes.waiting": "900",
        "answers.quality": "12 мікроавтобусів",
    }
    above = await visitor.post(url, data=body)
    assert above.status_code == 400
    assert "вища за граничну 25.00" in _error(above.text, f"{key}-prices-km")
    assert 'value="25,50"' in above.text  # what was typed is kept
    missing = await visitor.post(
        url + "?lang=en", data={**body, "prices.km": "18,50", "volumes.km": ""}
    )
    assert "give a quantity of every part" in _error(missing.text, f"{key}-volumes-km")

    sent = await visitor.post(url, data={**body, "prices.km": "18,50"})
    assert sent.status_code == 303, sent.text
    (bid,) = await ok(await world.get("provider", f"/api/calls/{c['id']}/bids"))
    assert bid["prices"] == {"trip": "200.00", "km": "18.50", "waiting": "55.00"}
    assert bid["volumes"] == {"trip": "1500", "km": "18000.5", "waiting": "900"}
    assert bid["cost"] == "682509.25"
    page = await visitor.get(_uk(sent.headers["location"]))
    text = page.text.replace("\u00a0", " ")
    assert "Очікувана вартість за договір" in text
    assert "682 509,25" in text
    assert "пробіг: 18000.5 км" in text
    assert 'value="18.50"' in text  # the form to replace the bid starts from it


@MINE
async def test_an_offer_prices_every_part_on_the_page(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.provider")
    shown = await visitor.get("/desk/provider/offers?lang=en")
    assert "Prices of the tariff&#39;s parts" in shown.text
    token = form_token(shown.text)
    body = {
        "_csrf": token,
        "service_code": TAXI,
        f"prices.{TAXI}.trip": "210",
        f"prices.{TAXI}.km": "19,00",
        "capacity": "0",
    }
    missing = await visitor.post("/desk/provider/offers", data=body)
    assert missing.status_code == 400
    assert "give a price of every part" in _error(missing.text, f"offer-{TAXI}-waiting")
    made = await visitor.post(
        "/desk/provider/offers", data={**body, f"prices.{TAXI}.waiting": "58,5"}
    )
    assert made.status_code == 303, made.text
    (offer,) = await ok(await world.get("provider", "/api/offers"))
    assert (offer["unit_price"], offer["prices"]) == (
        None,
        {"trip": "210.00", "km": "19.00", "waiting": "58.50"},
    )
    listed = await visitor.get(_uk(made.headers["location"]))
    assert "пробіг: 19,00 грн / км" in listed.text.replace("\u00a0", " ")
    key = f"offer-{offer['id']}"
    url = f"/desk/provider/offers/{offer['id']}"
    edit = {"_csrf": token, "prices.trip": "210", "prices.km": "0", "prices.waiting": "58.50"}
    wrong = await visitor.post(url, data={**edit, "capacity": "0"})
    assert wrong.status_code == 400
    assert _error(wrong.text, f"{key}-prices-km")
    edited = await visitor.post(url, data={**edit, "prices.km": "18", "capacity": "0"})
    assert edited.status_code == 303, edited.text
    (offer,) = await ok(await world.get("provider", "/api/offers"))
    assert offer["prices"]["km"] == "18.00"
