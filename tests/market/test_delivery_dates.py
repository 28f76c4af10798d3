"""The dates a delivery may carry: not in the future, not before the request was received,
not before its assignment to the contract, within the contract's period. Each is a core
rule refused with a 422 naming it, checked before the plugin's own delivery checks."""

from __future__ import annotations

import inspect
from datetime import date, timedelta
from typing import Any

import msgspec
import pytest

from core import clock
from core.platform import Platform
from core.service import DeliveryContext, Finding
from core.workflow.market.deliveries import date_findings
from tests.market.flow import direct_contract, homeless_person, ok, served_request
from tests.world import World

#: The request is received ten days ago and assigned five days ago, under a contract
#: running from two months ago to two months ahead.
TODAY = RECEIVED = ASSIGNED = date.min


@pytest.fixture(autouse=True)
def _dates() -> None:
    """Today, and the dates taken from it, as each test starts: a run at the real time
    may cross midnight, after which dates taken at import would be yesterday's."""
    global TODAY, RECEIVED, ASSIGNED
    TODAY = clock.today()
    RECEIVED = TODAY - timedelta(days=10)
    ASSIGNED = TODAY - timedelta(days=5)


def night(request_id: int, day: date, key: str, **extra: Any) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "delivered_on": day.isoformat(),
        "idempotency_key": key,
        "data": {"night": day.isoformat()},
        **extra,
    }


async def served(
    w: World, platform: Platform, start: date | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A contract from ``start`` (two months ago) and a request received on RECEIVED and
    assigned to it on ASSIGNED."""
    contract = await direct_contract(
        w, start or TODAY - timedelta(days=60), TODAY + timedelta(days=60)
    )
    await homeless_person(w, registered_on=TODAY - timedelta(days=60))
    req = await served_request(w, platform, contract["id"], since=RECEIVED, assigned_on=ASSIGNED)
    return contract, req


def keys(response: Any) -> list[str]:
    assert response.status_code == 422, response.text
    return [e["key"] for e in response.json()["extra"]]


async def test_a_delivery_before_the_request_was_received_is_refused(
    world: World, platform: Platform
) -> None:
    w = world
    _, req = await served(w, platform)
    received = date.fromisoformat(req["received_on"])
    early = RECEIVED - timedelta(days=3)
    r = await w.post("provider", "/api/deliveries", night(req["id"], early, "early"))
    assert "core.delivery_after_receipt" in keys(r)
    message = next(e["message"] for e in r.json()["extra"] if e["key"].endswith("receipt"))
    assert f"{early:%d.%m.%Y}" in message
    assert f"{received:%d.%m.%Y}" in message
    assert "a delivery cannot precede the request" in message
    listed = await ok(await w.get("admin", "/api/deliveries"))
    assert listed["total"] == 0


async def test_a_delivery_before_the_assignment_is_refused(
    world: World, platform: Platform
) -> None:
    w = world
    _, req = await served(w, platform)
    r = await w.post("provider", "/api/deliveries", night(req["id"], ASSIGNED - timedelta(1), "a"))
    assert keys(r) == ["core.delivery_after_assignment"]
    assert f"{ASSIGNED:%d.%m.%Y}" in r.json()["extra"][0]["message"]
    made = await w.post("provider", "/api/deliveries", night(req["id"], ASSIGNED, "b"))
    assert made.status_code == 201, made.text  # the day of the assignment itself


async def test_a_delivery_in_the_future_is_refused(world: World, platform: Platform) -> None:
    w = world
    _, req = await served(w, platform)
    tomorrow = TODAY + timedelta(days=1)
    r = await w.post("provider", "/api/deliveries", night(req["id"], tomorrow, "future"))
    assert keys(r) == ["core.delivery_not_future"]
    assert f"{TODAY:%d.%m.%Y}" in r.json()["extra"][0]["message"]
    made = await w.post("provider", "/api/deliveries", night(req["id"], TODAY, "today"))
    assert made.status_code == 201, made.text


async def test_a_delivery_outside_the_contract_period_is_refused(
    world: World, platform: Platform
) -> None:
    w = world
    # The contract starts the day before yesterday, after the assignment was made.
    start = TODAY - timedelta(days=2)
    contract, req = await served(w, platform, start)
    r = await w.post("provider", "/api/deliveries", night(req["id"], ASSIGNED, "before"))
    assert keys(r) == ["core.delivery_in_contract_period"]
    message = r.json()["extra"][0]["message"]
    assert contract["number"] in message
    assert f"{start:%d.%m.%Y}" in message
    made = await w.post("provider", "/api/deliveries", night(req["id"], start, "first-day"))
    assert made.status_code == 201, made.text


async def test_the_plugin_sees_the_dates_and_runs_after_the_core_rules(
    world: World, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = world
    seen: list[DeliveryContext] = []
    original = platform.service

    async def spying(municipality_id: int, code: str) -> Any:
        service = await original(municipality_id, code)
        check = service.check_delivery
        assert check is not None

        async def capture(ctx: DeliveryContext) -> list[Finding]:
            seen.append(ctx)
            out = check(ctx)
            return list(await out if inspect.isawaitable(out) else out)

        return msgspec.structs.replace(service, check_delivery=capture)

    monkeypatch.setattr(platform, "service", spying)
    _, req = await served(w, platform)
    r = await w.post("provider", "/api/deliveries", night(req["id"], ASSIGNED - timedelta(1), "x"))
    assert r.status_code == 422
    assert seen == []  # refused by the core's rule: the plugin's check never ran
    await ok(await w.post("provider", "/api/deliveries", night(req["id"], TODAY, "y")), 201)
    (ctx,) = seen
    assert ctx.received_on == date.fromisoformat(req["received_on"])
    assert ctx.assigned_on == ASSIGNED
    assert ctx.contract.period_start == TODAY - timedelta(days=60)


SAT = date(2026, 11, 28)  # a Saturday; the request handed in then is registered on Monday
MON = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("on", "received", "assigned", "failed"),
    [
        (MON, MON, MON, []),
        (SAT, MON, SAT, []),  # handed in on Saturday, registered on Monday
        (
            date(2026, 11, 27),
            MON,
            MON,
            ["core.delivery_after_receipt", "core.delivery_after_assignment"],
        ),
        (date(2026, 11, 29), MON, MON, ["core.delivery_after_assignment"]),
        (date(2026, 12, 1), MON, MON, ["core.delivery_not_future"]),
        (
            date(2026, 10, 31),
            date(2026, 10, 1),
            date(2026, 10, 1),
            ["core.delivery_in_contract_period"],
        ),
        (
            date(2027, 1, 1),
            MON,
            MON,
            ["core.delivery_not_future", "core.delivery_in_contract_period"],
        ),
    ],
)
def test_date_rules_one_by_one(on: date, received: date, assigned: date, failed: list[str]) -> None:
    findings = date_findings(
        on,
        today=MON,
        received_on=received,
        assigned_on=assigned,
        contract_number="Д-2026-00001",
        period_start=date(2026, 11, 1),
        period_end=date(2026, 12, 31),
    )
    assert len(findings) == 4
    assert [f.rule for f in findings if f.outcome == "failed"] == failed
