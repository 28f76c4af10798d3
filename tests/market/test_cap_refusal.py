"""A delivery over a contract's cap says which cap refused it and what is left, as seen
inside the transaction whose conditional update failed (not the figure read before)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import msgspec
import pytest

from core import clock
from core.db.market import Contract
from core.platform import Platform
from core.service import DeliveryContext, Finding
from tests.market.flow import direct_contract, homeless_person, ok, served_request
from tests.world import World

TODAY = RECEIVED = date.min


@pytest.fixture(autouse=True)
def _dates() -> None:
    """Today, and the dates taken from it, as each test starts: a run at the real time
    may cross midnight, after which dates taken at import would be yesterday's."""
    global TODAY, RECEIVED
    TODAY = clock.today()
    RECEIVED = TODAY - timedelta(days=10)


def night(request_id: int, days_ago: int, key: str) -> dict[str, Any]:
    day = (TODAY - timedelta(days=days_ago)).isoformat()
    return {
        "request_id": request_id,
        "delivered_on": day,
        "idempotency_key": key,
        "data": {"night": day},
    }


async def served(w: World, platform: Platform, volume: str, money: str) -> tuple[int, int]:
    contract = await direct_contract(
        w, TODAY - timedelta(days=60), TODAY + timedelta(days=60), volume=volume, money=money
    )
    await homeless_person(w, registered_on=TODAY - timedelta(days=60))
    req = await served_request(w, platform, contract["id"], since=RECEIVED)
    return int(contract["id"]), int(req["id"])


async def test_the_money_cap_used_up_meanwhile_is_quoted_as_it_is_now(
    world: World, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the contract's first read and the cap's update a parallel delivery used the
    money cap up (played here by the plugin's check, which runs in between): the 409
    quotes what is left now, not the 25000.00 read before."""
    w = world
    contract_id, request_id = await served(w, platform, "100", "25000.00")
    original = platform.service

    async def with_a_parallel_delivery(municipality_id: int, code: str) -> Any:
        service = await original(municipality_id, code)
        check = service.check_delivery
        assert check is not None

        async def parallel(ctx: DeliveryContext) -> list[Finding]:
            await Contract.raw(
                "UPDATE contract SET used_kop = money_cap_kop - 12000 WHERE id = {}",
                contract_id,
            )
            found = check(ctx)
            assert not isinstance(found, list)
            return await found

        return msgspec.structs.replace(service, check_delivery=parallel)

    monkeypatch.setattr(platform, "service", with_a_parallel_delivery)
    r = await w.post("provider", "/api/deliveries", night(request_id, 1, "late"))
    assert r.status_code == 409, r.text
    message = r.json()["detail"]
    assert "money cap: 120.00 UAH left, the delivery needs 250.00 UAH" in message
    assert "ліміт коштів: залишок 120.00 грн, надання потребує 250.00 грн" in message
    assert "volume" not in message
    assert "25000.00" not in message
    assert r.json()["extra"][0]["key"] == "data"


async def test_the_volume_cap_says_how_many_units_are_left(
    world: World, platform: Platform
) -> None:
    w = world
    _, request_id = await served(w, platform, "1", "25000.00")
    await ok(await w.post("provider", "/api/deliveries", night(request_id, 2, "first")), 201)
    r = await w.post("provider", "/api/deliveries", night(request_id, 1, "second"))
    assert r.status_code == 409, r.text
    message = r.json()["detail"]
    assert "volume cap: 0 units left, the delivery needs 1" in message
    assert "ліміт обсягу: залишок 0 од., надання потребує 1 од." in message
    assert "money cap" not in message
