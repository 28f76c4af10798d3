"""Money under concurrency: never billed twice, never overdrawn, never stored twice, and
no partial invoice after a crash."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from core import clock
from core.db.market import BudgetLine, Contract, Delivery, DeliverySheet, Invoice
from core.platform import Platform
from core.workflow.market import budget
from tests.market.flow import (
    MEAL,
    NIGHT,
    awarded_contract,
    budget_line,
    delivery_period,
    homeless_person,
    nights,
    ok,
    served_request,
    verify_providers,
)
from tests.world import World


async def _deliveries(w: World, platform: Platform) -> tuple[dict[str, Any], int]:
    contract = await awarded_contract(w)
    await homeless_person(w)
    await homeless_person(w, w.other_citizen_id)
    count = 0
    for citizen in (w.citizen_id, w.other_citizen_id):
        req = await served_request(w, platform, contract["id"], citizen_id=citizen)
        for night in nights():
            await ok(
                await w.post(
                    "provider",
                    "/api/deliveries",
                    {
                        "request_id": req["id"],
                        "delivered_on": night.isoformat(),
                        "idempotency_key": f"{citizen}-{night}",
                        "data": {"night": night.isoformat()},
                    },
                ),
                201,
            )
            count += 1
    return contract, count


async def test_parallel_invoice_runs_never_bill_a_delivery_twice(
    world: World, platform: Platform
) -> None:
    contract, count = await _deliveries(world, platform)
    runs = await asyncio.gather(
        *[
            world.post(role, "/api/invoices/run", {"period": delivery_period()})
            for role in ("accountant", "provider", "admin", "accountant", "provider", "admin")
        ]
    )
    assert all(r.status_code in (201, 503) for r in runs), [r.text for r in runs]
    made = [i for r in runs if r.status_code == 201 for i in r.json()]
    assert len(made) == 1
    invoices = await Invoice.select().where(Invoice.contract == contract["id"])
    assert len(invoices) == 1
    assert invoices[0]["deliveries"] == count
    assert invoices[0]["total_kop"] == count * 25000
    billed = await Delivery.count().where(
        (Delivery.contract == contract["id"]) & (Delivery.sheet == invoices[0]["sheet"])
    )
    assert billed == count


async def test_parallel_awards_never_overdraw_a_budget_line(
    world: World, platform: Platform
) -> None:
    w = world
    line = await budget_line(w, "1000.00")
    await verify_providers(w)
    body = {
        "provider_id": w.provider_id,
        "service_code": NIGHT,
        "period_start": f"{clock.today().year}-01-01",
        "period_end": f"{clock.today().year}-12-31",
        "tariff": {"unit_price": "100.00"},
        "volume_cap": "3",
        "money_cap": "300.00",
        "budget_line_id": line["id"],
    }
    results = await asyncio.gather(*[w.post("admin", "/api/contracts", body) for _ in range(6)])
    codes = sorted(r.status_code for r in results)
    assert codes.count(201) == 3, [r.text for r in results]
    assert set(codes) <= {201, 409, 503}
    row = await BudgetLine.select().where(BudgetLine.id == line["id"]).first()
    assert row is not None
    assert row["committed_kop"] == 90000
    assert row["committed_kop"] <= row["allocation_kop"]
    assert await budget.committed_by_sources(line["id"]) == row["committed_kop"]


async def test_a_retried_delivery_with_the_same_key_is_stored_once(
    world: World, platform: Platform
) -> None:
    w = world
    contract = await awarded_contract(w)
    await homeless_person(w)
    req = await served_request(w, platform, contract["id"])
    night = nights()[0]
    body = {
        "request_id": req["id"],
        "delivered_on": night.isoformat(),
        "idempotency_key": "same-key",
        "data": {"night": night.isoformat()},
    }
    results = await asyncio.gather(*[w.post("provider", "/api/deliveries", body) for _ in range(8)])
    assert sorted({r.status_code for r in results}) in (
        [200, 201],
        [201],
        [200, 201, 409],
        [201, 409],
    )
    assert sum(r.status_code == 201 for r in results) == 1
    assert await Delivery.count().where(Delivery.contract == contract["id"]) == 1
    stored = await Contract.select(Contract.used_kop).where(Contract.id == contract["id"]).first()
    assert stored is not None
    assert stored["used_kop"] == 25000


async def test_a_crash_in_the_invoice_run_leaves_no_partial_invoice(
    world: World, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    contract, _ = await _deliveries(world, platform)

    from core.workflow.market import invoices

    real_insert = invoices._insert

    async def explode(rows: list[Any], chunk: int = 1000) -> None:
        await real_insert(rows[:1])  # the first invoice is written, then the power goes
        raise RuntimeError("power cut")

    monkeypatch.setattr(invoices, "_insert", explode)
    r = await world.post("accountant", "/api/invoices/run", {"period": delivery_period()})
    assert r.status_code == 500
    assert await Invoice.count().where(Invoice.contract == contract["id"]) == 0
    sheets = await DeliverySheet.select(DeliverySheet.status).where(
        DeliverySheet.contract == contract["id"]
    )
    assert [s["status"] for s in sheets] == ["open"]
    monkeypatch.undo()
    made = await ok(
        await world.post("accountant", "/api/invoices/run", {"period": delivery_period()}), 201
    )
    assert len(made) == 1


async def test_contract_caps_stop_deliveries(world: World, platform: Platform) -> None:
    w = world
    contract = await awarded_contract(w, volume="1")
    await homeless_person(w)
    await homeless_person(w, w.other_citizen_id)
    first = await served_request(w, platform, contract["id"])
    second = await served_request(w, platform, contract["id"], citizen_id=w.other_citizen_id)
    night = nights()[0]
    await ok(
        await w.post(
            "provider",
            "/api/deliveries",
            {
                "request_id": first["id"],
                "delivered_on": night.isoformat(),
                "idempotency_key": "1",
                "data": {"night": night.isoformat()},
            },
        ),
        201,
    )
    over = await w.post(
        "provider",
        "/api/deliveries",
        {
            "request_id": second["id"],
            "delivered_on": night.isoformat(),
            "idempotency_key": "2",
            "data": {"night": night.isoformat()},
        },
    )
    assert over.status_code == 409
    assert "ліміт договору" in over.json()["detail"]


async def test_a_lost_key_race_inside_a_callers_transaction_counts_once(
    world: World, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin may record deliveries inside its own transaction. When the idempotency
    key is taken between the look-up and the insert (a lost race), the delivery's cap and
    sheet counts are undone to a savepoint, not left in the caller's transaction."""
    from core.db.engine import write_transaction
    from core.workflow.market import deliveries

    w = world
    contract = await awarded_contract(w, MEAL, price="45.50")
    await homeless_person(w)
    req = await served_request(w, platform, contract["id"], MEAL)
    body = deliveries.DeliveryIn(
        request_id=req["id"],
        delivered_on=clock.today(),
        idempotency_key="race-1",
        data={"portions": 1, "meal": "lunch"},
    )
    real = deliveries._existing
    calls = {"n": 0}

    async def blind_once(provider_id: int, key: str) -> dict[str, Any] | None:
        calls["n"] += 1
        return None if calls["n"] == 1 else await real(provider_id, key)

    async with write_transaction():
        first, created = await deliveries.record(platform, w.actors["provider"], body)
        assert created
        monkeypatch.setattr(deliveries, "_existing", blind_once)
        again, created_again = await deliveries.record(platform, w.actors["provider"], body)
    assert created_again is False
    assert again.id == first.id
    assert calls["n"] == 2  # missed once, then found the stored one
    stored = await Contract.select(Contract.used_kop).where(Contract.id == contract["id"]).first()
    assert stored is not None
    assert stored["used_kop"] == 4550
    sheet = (
        await DeliverySheet.select(DeliverySheet.deliveries)
        .where(DeliverySheet.contract == contract["id"])
        .first()
    )
    assert sheet is not None
    assert sheet["deliveries"] == 1
