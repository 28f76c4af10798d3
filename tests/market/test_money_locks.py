"""The money path under parallel writes: a reject during a billing run keeps its
deliveries billable, and recording and voiding on one contract-month never deadlock.

The interleaving tests pause a billing run while it holds the sheets it claimed and let
another request run into its lock. On PostgreSQL they wait until the other request is
really blocked on a row lock (``pg_locks``); on SQLite a write transaction holds the
whole database, so the other request simply waits for the run to commit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import pytest

from core.db.market import Contract, Delivery, DeliverySheet, Invoice
from core.platform import Platform
from core.workflow.market import invoices
from tests.market.flow import (
    awarded_contract,
    delivery_period,
    homeless_person,
    nights,
    ok,
    served_request,
)
from tests.world import World

HYGIENE = "homeless.hygiene"
PRICE_KOP = 25000


async def _served(w: World, platform: Platform) -> tuple[dict[str, Any], dict[str, Any]]:
    """A hygiene contract (no delivery key: any number of showers a day) and a person
    assigned to it."""
    contract = await awarded_contract(w, HYGIENE)
    await homeless_person(w)
    return contract, await served_request(w, platform, contract["id"], HYGIENE)


def _delivery(req: dict[str, Any], key: str) -> dict[str, Any]:
    return {
        "request_id": req["id"],
        "delivered_on": nights()[0].isoformat(),
        "idempotency_key": key,
        "data": {"kind": "shower"},
    }


async def _record(w: World, req: dict[str, Any], key: str) -> dict[str, Any]:
    return await ok(await w.post("provider", "/api/deliveries", _delivery(req, key)), 201)


async def _submitted_invoice(w: World, req: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    for key in keys:
        await _record(w, req, key)
    made = await ok(
        await w.post("accountant", "/api/invoices/run", {"period": delivery_period()}), 201
    )
    assert len(made) == 1, made
    return await ok(await w.post("provider", f"/api/invoices/{made[0]['id']}/submit"))


async def _check_books(contract_id: int) -> None:
    """The money path's invariants for one contract:

    - every recorded delivery on an invoiced sheet is on that sheet's live invoice (the
      invoice's count and total are those of the sheet's recorded deliveries);
    - the live invoices add up to the deliveries on their sheets;
    - every sheet's ``deliveries`` counts its recorded deliveries;
    - the contract's used money and volume are its recorded deliveries.
    """
    sheets = {
        s["id"]: s
        for s in await DeliverySheet.select().where(DeliverySheet.contract == contract_id)
    }
    recorded = await Delivery.select().where(
        (Delivery.contract == contract_id) & (Delivery.status == "recorded")
    )
    on_sheet: dict[int, list[dict[str, Any]]] = {sheet: [] for sheet in sheets}
    for d in recorded:
        on_sheet[d["sheet"]].append(d)
    live = {
        i["sheet"]: i
        for i in await Invoice.select().where(
            (Invoice.contract == contract_id) & (Invoice.status != "rejected")
        )
    }
    for sheet_id, sheet in sheets.items():
        ds = on_sheet[sheet_id]
        assert sheet["deliveries"] == len(ds), (sheet, len(ds))
        if sheet["status"] == "invoiced" and ds:
            invoice = live.get(sheet_id)
            assert invoice is not None, f"sheet {sheet_id}: {len(ds)} deliveries, no live invoice"
            assert (invoice["deliveries"], invoice["total_kop"]) == (
                len(ds),
                sum(d["amount_kop"] for d in ds),
            ), f"sheet {sheet_id}: invoice {invoice['number']} lacks deliveries"
    assert sum(i["total_kop"] for i in live.values()) == sum(
        d["amount_kop"] for s in live for d in on_sheet[s]
    )
    row = await Contract.select().where(Contract.id == contract_id).first()
    assert row is not None
    assert row["used_kop"] == sum(d["amount_kop"] for d in recorded)
    assert row["used_milli"] == sum(d["quantity_milli"] for d in recorded)


async def _billed_exactly_once(w: World, contract_id: int) -> None:
    """After one more run, every recorded delivery is on exactly one live invoice."""
    await ok(await w.post("accountant", "/api/invoices/run", {"period": delivery_period()}), 201)
    await _check_books(contract_id)
    recorded = await Delivery.select(Delivery.amount_kop).where(
        (Delivery.contract == contract_id) & (Delivery.status == "recorded")
    )
    live = await Invoice.select(Invoice.total_kop, Invoice.deliveries).where(
        (Invoice.contract == contract_id) & (Invoice.status != "rejected")
    )
    assert sum(i["deliveries"] for i in live) == len(recorded)
    assert sum(i["total_kop"] for i in live) == sum(d["amount_kop"] for d in recorded)


async def _until_blocked(database_url: str, task: asyncio.Task[Any]) -> None:
    """Wait until ``task`` waits for a lock the paused run holds."""
    if not database_url.startswith("postgres"):
        await asyncio.sleep(0.3)  # SQLite: the write waits for the run's transaction
        assert not task.done()
        return
    conn = await asyncpg.connect(database_url)
    try:
        for _ in range(500):
            waiting = await conn.fetchval(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE NOT l.granted AND a.datname = current_database()"
            )
            if waiting:
                return
            assert not task.done(), task.result().text
            await asyncio.sleep(0.02)
    finally:
        await conn.close()
    raise AssertionError("the request never waited for the run's lock")


def _pause_the_run(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[asyncio.Event, asyncio.Event]:
    """The next billing run stops after claiming its sheets (holding their row locks)
    until ``go`` is set; ``claimed`` is set when it got there."""
    claimed, go = asyncio.Event(), asyncio.Event()
    real: Callable[..., Awaitable[None]] = invoices._insert

    async def paused(rows: list[Any], chunk: int = 1000) -> None:
        claimed.set()
        await go.wait()
        await real(rows, chunk)

    monkeypatch.setattr(invoices, "_insert", paused)
    return claimed, go


async def test_a_reject_while_a_run_holds_the_open_sheet_keeps_its_deliveries_billable(
    world: World, platform: Platform, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run claims the month's open sheet; the reject, fired meanwhile, must not move
    the rejected invoice's deliveries onto that sheet (whose invoice will not include
    them) but onto a new open sheet, billed by the next run."""
    w = world
    contract, req = await _served(w, platform)
    rejected = await _submitted_invoice(w, req, ["a1", "a2"])
    await _record(w, req, "b1")  # the open sheet the run will claim
    claimed, go = _pause_the_run(monkeypatch)
    run = asyncio.create_task(
        w.post("accountant", "/api/invoices/run", {"period": delivery_period()})
    )
    await asyncio.wait_for(claimed.wait(), 30)
    reject = asyncio.create_task(
        w.post("accountant", f"/api/invoices/{rejected['id']}/reject", {"reason": "Не той місяць"})
    )
    await _until_blocked(database_url, reject)
    go.set()
    made = await ok(await run, 201)
    assert [(i["deliveries"], i["total"]) for i in made] == [(1, "250.00")]
    assert (await ok(await reject))["status"] == "rejected"
    monkeypatch.undo()
    await _check_books(contract["id"])
    await _billed_exactly_once(w, contract["id"])


async def test_rejects_fired_alongside_a_run_lose_no_delivery(
    world: World, platform: Platform
) -> None:
    """20 submitted invoices of one contract-month are rejected while a run drafts the
    month: every rejected delivery stays billable, none is billed twice."""
    w = world
    contract, req = await _served(w, platform)
    submitted = [await _submitted_invoice(w, req, [f"r{n}"]) for n in range(20)]
    await _record(w, req, "last")
    results = await asyncio.gather(
        w.post("accountant", "/api/invoices/run", {"period": delivery_period()}),
        *[
            w.post("accountant", f"/api/invoices/{i['id']}/reject", {"reason": "Повторно"})
            for i in submitted
        ],
    )
    assert [r.status_code for r in results] == [201] + [200] * 20, [r.text for r in results]
    await _check_books(contract["id"])
    await _billed_exactly_once(w, contract["id"])
    live = await Invoice.count().where(
        (Invoice.contract == contract["id"]) & (Invoice.status != "rejected")
    )
    assert 1 <= live <= 2


async def test_parallel_records_and_voids_on_one_contract_month(
    world: World, platform: Platform
) -> None:
    """25 records and 25 voids of one contract-month at once: none fails with a 5xx,
    and the caps and the sheet's count are those of the live deliveries."""
    w = world
    contract, req = await _served(w, platform)
    earlier = [await _record(w, req, f"v{n}") for n in range(25)]
    results = await asyncio.gather(
        *[w.post("provider", "/api/deliveries", _delivery(req, f"n{n}")) for n in range(25)],
        *[
            w.post("provider", f"/api/deliveries/{d['id']}/void", {"reason": "Помилковий запис"})
            for d in earlier
        ],
    )
    codes = [r.status_code for r in results]
    assert [c for c in codes if c >= 500] == [], [r.text for r in results if r.status_code >= 500]
    assert codes == [201] * 25 + [200] * 25, [r.text for r in results]
    await _check_books(contract["id"])
    row = await Contract.select().where(Contract.id == contract["id"]).first()
    assert row is not None
    assert (row["used_kop"], row["used_milli"]) == (25 * PRICE_KOP, 25 * 1000)
    sheets = await DeliverySheet.select().where(DeliverySheet.contract == contract["id"])
    assert [(s["status"], s["deliveries"]) for s in sheets] == [("open", 25)]


async def test_a_refused_reject_moves_no_delivery(world: World, platform: Platform) -> None:
    """A reject moves the deliveries before it updates the invoice (the lock order); when
    the invoice is not submitted, the move is rolled back with the refusal."""
    w = world
    contract, req = await _served(w, platform)
    await _record(w, req, "d1")
    draft = (
        await ok(
            await w.post("accountant", "/api/invoices/run", {"period": delivery_period()}), 201
        )
    )[0]
    r = await w.post("accountant", f"/api/invoices/{draft['id']}/reject", {"reason": "Чернетка"})
    assert r.status_code == 409, r.text
    invoice = await Invoice.select(Invoice.sheet).where(Invoice.id == draft["id"]).first()
    assert invoice is not None
    assert await Delivery.count().where(Delivery.sheet == invoice["sheet"]) == 1
    assert await DeliverySheet.count().where(DeliverySheet.contract == contract["id"]) == 1
    await _check_books(contract["id"])
