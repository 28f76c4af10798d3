"""Background jobs, in this process, on the engine of the session (SQLite or PostgreSQL):
enqueue, progress, cancel, a second run that makes nothing new, a run resumed after its
process stopped mid-way, schedules, the plugin hook and ``hromada jobs``."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime

import msgspec
import pytest

from core import clock
from core.jobs import JobContext, JobSpec, queue, runner, store
from core.jobs.builtin import INVOICE_RUN, InvoiceRunArgs, invoice_run_key
from core.jobs.registry import specs
from core.platform import Platform
from plugins.rental_aids.bill_job import BillArgs
from tests.jobs.data import PERIOD, complete, contracts_with_deliveries, invoice_counts
from tests.world import World

pytestmark = pytest.mark.db


async def _enqueue(platform: Platform, w: World, role: str = "accountant") -> tuple[int, bool]:
    actor = w.actors[role]
    return await queue.enqueue(
        platform,
        INVOICE_RUN,
        InvoiceRunArgs(period=PERIOD),
        key=invoice_run_key(w.municipality_id, actor.provider_id, PERIOD),
        municipality_id=w.municipality_id,
        user_id=actor.id,
    )


def _start_here(platform: Platform, job_id: int) -> None:
    """On PostgreSQL the queue waits for a worker: run the job in this process instead
    (SQLite already runs it here)."""
    if not store.engine_is_embedded():
        runner.spawn(platform, job_id)


async def _until(job_id: int, done_at_least: int, seconds: float = 30.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if (await store.read(job_id)).done >= done_at_least:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"job {job_id} made no progress")


async def test_invoice_run_reports_progress_and_a_second_run_makes_nothing_new(
    platform: Platform, world: World
) -> None:
    contracts = await contracts_with_deliveries(world, 12)
    job_id, created = await _enqueue(platform, world)
    assert created
    job = await complete(platform, job_id)
    assert (job.state, job.done, job.total, job.percent) == ("done", 12, 12, 100)
    assert job.result["invoices"] == 12
    assert job.result["total_kop"] == 12 * 2 * 4550
    assert set((await invoice_counts(contracts)).values()) == {1}

    again, created = await _enqueue(platform, world)
    assert created
    assert again != job_id
    second = await complete(platform, again)
    assert (second.state, second.total, second.result["invoices"]) == ("done", 0, 0)
    assert set((await invoice_counts(contracts)).values()) == {1}


async def test_cancel_stops_between_contracts_and_a_new_run_finishes_the_rest(
    platform: Platform, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts = await contracts_with_deliveries(world, 20)
    monkeypatch.setenv("HROMADA_JOB_STEP_PAUSE", "0.05")
    job_id, _ = await _enqueue(platform, world)
    same, created = await _enqueue(platform, world)
    assert (same, created) == (job_id, False)  # one active run per key
    _start_here(platform, job_id)
    await _until(job_id, 2)
    await store.cancel(job_id)
    await runner.settle()
    job = await store.read(job_id)
    assert job.state == "cancelled"
    assert 2 <= job.done < 20
    counts = await invoice_counts(contracts)
    assert set(counts.values()) == {0, 1}

    monkeypatch.delenv("HROMADA_JOB_STEP_PAUSE")
    rest, _ = await _enqueue(platform, world)
    finished = await complete(platform, rest)
    assert finished.state == "done"
    assert finished.total == 20 - sum(counts.values())
    assert set((await invoice_counts(contracts)).values()) == {1}


async def test_a_queued_job_cancelled_never_runs(platform: Platform, world: World) -> None:
    contracts = await contracts_with_deliveries(world, 3)
    job_id, _ = await store.insert(
        INVOICE_RUN,
        InvoiceRunArgs(period=PERIOD),
        "test:queued-cancel",
        municipality_id=world.municipality_id,
        user_id=world.actors["accountant"].id,
    )
    assert (await store.cancel(job_id)).state == "cancelled"
    assert await runner.execute(platform, job_id) == "cancelled"
    assert set((await invoice_counts(contracts)).values()) == {0}


async def test_a_run_stopped_mid_way_resumes_and_invoices_each_contract_once(
    platform: Platform, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a killed process leaves: the row still running, some contracts invoiced.
    (With real worker processes and kill -9 on PostgreSQL: test_worker_pg.py.)"""
    contracts = await contracts_with_deliveries(world, 15)
    monkeypatch.setenv("HROMADA_JOB_STEP_PAUSE", "0.05")
    job_id, _ = await _enqueue(platform, world)
    _start_here(platform, job_id)
    await _until(job_id, 3)
    await runner.stop()  # the process stops: its task is cancelled mid-job
    stopped = await store.read(job_id)
    assert stopped.state == "running"
    assert 3 <= stopped.done < 15
    monkeypatch.delenv("HROMADA_JOB_STEP_PAUSE")
    assert await runner.run_here(platform, job_id) == "done"
    job = await store.read(job_id)
    assert (job.done, job.total, job.attempts) == (15, 15, 2)
    assert job.result["invoices"] == 15
    assert set((await invoice_counts(contracts)).values()) == {1}


async def test_a_provider_runs_only_its_own_contracts(platform: Platform, world: World) -> None:
    contracts = await contracts_with_deliveries(world, 2)
    job_id, _ = await _enqueue(platform, world, role="provider")
    job = await complete(platform, job_id)
    assert job.state == "done"
    assert job.result["invoices"] == 2
    assert set((await invoice_counts(contracts)).values()) == {1}


def test_schedule_ticks_on_the_kyiv_wall_clock() -> None:
    rental = specs_of_rental()
    monthly = rental.schedules[0]
    at = datetime(2026, 11, 1, 2, 3, tzinfo=clock.KYIV)
    tick = runner.due(monthly, at)
    assert tick == datetime(2026, 11, 1, 2, 0, tzinfo=clock.KYIV)
    assert monthly.args(tick) == BillArgs(month="2026-10")
    assert runner.due(monthly, datetime(2026, 11, 1, 2, 30, tzinfo=clock.KYIV)) is None
    assert runner.due(monthly, datetime(2026, 10, 31, 23, 59, tzinfo=clock.KYIV)) is None
    january = runner.due(monthly, datetime(2027, 1, 1, 2, 0, tzinfo=clock.KYIV))
    assert january is not None
    assert monthly.args(january) == BillArgs(month="2026-12")


def specs_of_rental() -> JobSpec:
    from core.config import Settings

    platform = Platform(Settings(plugins=("rental_aids",)))
    return specs(platform)["rental_aids.bill"]


async def test_each_schedule_tick_runs_once(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[BillArgs] = []

    async def record(ctx: JobContext, args: BillArgs) -> None:
        ran.append(args)

    rental = specs(platform)["rental_aids.bill"]
    monkeypatch.setattr(
        runner, "specs", lambda _platform: {rental.name: replace(rental, run=record)}
    )
    at = datetime(2026, 3, 1, 2, 5, tzinfo=clock.KYIV)
    first = await runner.tick_schedules(platform, at)
    assert len(first) == 1
    assert await runner.tick_schedules(platform, at) == []
    assert (
        await runner.tick_schedules(platform, datetime(2026, 3, 1, 2, 9, tzinfo=clock.KYIV)) == []
    )
    job = await complete(platform, first[0])
    assert (job.name, job.state, job.args) == (
        "rental_aids.bill",
        "done",
        {"month": "2026-02", "municipality_id": None},
    )
    assert ran == [BillArgs(month="2026-02")]


def test_hook_register_jobs(platform: Platform) -> None:
    found = {spec.name: spec for spec in platform.host.jobs()}
    rental = found["rental_aids.bill"]
    assert rental.schedules[0].cron == "0 2 1 * *"
    assert msgspec.convert({"month": "2026-10"}, rental.args_type) == BillArgs(month="2026-10")
    assert {"invoices.run", "outbox.deliver", "rental_aids.bill"} <= set(specs(platform))


async def test_jobs_command_lists_and_cancels(
    platform: Platform, world: World, database_url: str
) -> None:
    job_id, _ = await store.insert(
        INVOICE_RUN,
        InvoiceRunArgs(period=PERIOD),
        "test:command",
        municipality_id=world.municipality_id,
        user_id=world.actors["accountant"].id,
    )
    env = {
        **os.environ,
        "HROMADA_DATABASE_URL": database_url,
        "HROMADA_PLUGINS": ",".join(platform.settings.plugins),
    }

    def hromada(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "core", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout

    listed = msgspec.json.decode(
        await asyncio.to_thread(hromada, "jobs", "--json", "--limit", "500")
    )
    mine = next(j for j in listed if j["id"] == job_id)
    assert (mine["name"], mine["state"], mine["done"], mine["total"]) == (
        INVOICE_RUN,
        "queued",
        0,
        0,
    )
    said = await asyncio.to_thread(hromada, "jobs", "cancel", str(job_id))
    assert f"job {job_id}: cancelled" in said
    assert (await store.read(job_id)).state == "cancelled"
