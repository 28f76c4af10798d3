"""The month's subsidy pay run as a job, on the engine of the session (SQLite or
PostgreSQL): progress in chunks of households, a second run that pays nothing new, a
cancel mid-way and a new run that pays the rest, a run resumed after its process stopped
— every household paid exactly once."""

from __future__ import annotations

import asyncio

import pytest

from core.jobs import queue, runner, store
from core.jobs.registry import specs
from core.platform import Platform
from plugins.subsidies import pay_job
from plugins.subsidies.pay_job import NAME, PayMonthArgs, pay_run_key, unpaid_assignments
from tests.jobs.data import complete
from tests.jobs.subsidy_data import UTILITIES, households, payments
from tests.world import World

pytestmark = [pytest.mark.db, pytest.mark.world_plugins("subsidies")]


async def _enqueue(platform: Platform, w: World, month: str) -> tuple[int, bool]:
    actor = w.actors["accountant"]
    return await queue.enqueue(
        platform,
        NAME,
        PayMonthArgs(month=month),
        key=pay_run_key(w.municipality_id, month),
        municipality_id=w.municipality_id,
        user_id=actor.id,
    )


def _start_here(platform: Platform, job_id: int) -> None:
    if not store.engine_is_embedded():
        runner.spawn(platform, job_id)


async def _until(job_id: int, done_at_least: int, seconds: float = 30.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if (await store.read(job_id)).done >= done_at_least:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"job {job_id} made no progress")


def _lines(n: int) -> int:
    """Lines of ``n`` households: a delivery per utility, one payout per cash household."""
    cash = n // 10
    return (n - cash) * len(UTILITIES) + cash


async def _each_paid_once(w: World, month: str, ids: list[int]) -> None:
    keys, paid = await payments(w, month)
    assert set(keys.values()) == {1}
    assert set(paid.values()) == {1}
    assert len(keys) + len(paid) == _lines(len(ids))
    assert await unpaid_assignments(w.municipality_id, month) == []


def test_the_plugin_registers_the_job(platform: Platform) -> None:
    assert specs(platform)[NAME].args_type is PayMonthArgs


async def test_progress_in_chunks_and_a_second_run_pays_nothing_new(
    platform: Platform, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pay_job, "CHUNK", 3)
    month, ids = await households(world, 10)
    assert await unpaid_assignments(world.municipality_id, month) == ids
    # A part reads among its own households only (and an empty part has none).
    assert await unpaid_assignments(world.municipality_id, month, ids[2:5]) == ids[2:5]
    assert await unpaid_assignments(world.municipality_id, month, []) == []
    job_id, created = await _enqueue(platform, world, month)
    assert created
    job = await complete(platform, job_id)
    assert (job.state, job.done, job.total, job.percent) == ("done", 10, 10, 100)
    assert job.result["recorded"] == _lines(10)
    assert job.result["skipped"] == job.result["already_recorded"] == 0
    assert await unpaid_assignments(world.municipality_id, month, ids[2:5]) == []
    assert job.result["total_kop"] == 9 * sum(k for _, k in UTILITIES) + sum(
        k for _, k in UTILITIES
    )
    await _each_paid_once(world, month, ids)

    again, created = await _enqueue(platform, world, month)
    assert created
    assert again != job_id
    second = await complete(platform, again)
    assert (second.state, second.done, second.total) == ("done", 0, 0)
    assert second.result["recorded"] == 0
    await _each_paid_once(world, month, ids)


async def test_cancel_mid_way_then_a_new_run_pays_every_household_once(
    platform: Platform, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pay_job, "CHUNK", 2)
    month, ids = await households(world, 12)
    monkeypatch.setenv("HROMADA_JOB_STEP_PAUSE", "0.05")
    job_id, _ = await _enqueue(platform, world, month)
    same, created = await _enqueue(platform, world, month)
    assert (same, created) == (job_id, False)  # one active run per key
    _start_here(platform, job_id)
    await _until(job_id, 2)
    await store.cancel(job_id)
    await runner.settle()
    job = await store.read(job_id)
    assert job.state == "cancelled"
    assert 2 <= job.done < 12
    left = await unpaid_assignments(world.municipality_id, month)
    assert len(left) == 12 - job.done
    assert left == ids[job.done :]

    monkeypatch.delenv("HROMADA_JOB_STEP_PAUSE")
    rest, _ = await _enqueue(platform, world, month)
    finished = await complete(platform, rest)
    assert (finished.state, finished.done, finished.total) == ("done", len(left), len(left))
    assert finished.result["already_recorded"] == 0
    assert job.result["recorded"] + finished.result["recorded"] == _lines(12)
    await _each_paid_once(world, month, ids)


async def test_a_run_stopped_mid_way_resumes_and_pays_each_household_once(
    platform: Platform, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a killed worker leaves: the row still running, some chunks paid. (Real
    worker processes killed with kill -9 on PostgreSQL: test_worker_pg.py.)"""
    monkeypatch.setattr(pay_job, "CHUNK", 2)
    month, ids = await households(world, 11)
    monkeypatch.setenv("HROMADA_JOB_STEP_PAUSE", "0.05")
    job_id, _ = await _enqueue(platform, world, month)
    _start_here(platform, job_id)
    await _until(job_id, 4)
    await runner.stop()  # the process stops: its task is cancelled mid-job
    stopped = await store.read(job_id)
    assert stopped.state == "running"
    assert 4 <= stopped.done < 11
    monkeypatch.delenv("HROMADA_JOB_STEP_PAUSE")
    assert await runner.run_here(platform, job_id) == "done"
    job = await store.read(job_id)
    assert (job.done, job.total, job.attempts) == (11, 11, 2)
    await _each_paid_once(world, month, ids)


async def test_on_postgresql_the_month_is_shared_out_in_parts(
    platform: Platform, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a month of several chunks becomes one part job per chunk, which any
    worker takes (here none runs: the month's own job runs them all); on SQLite the
    web process runs the month in one job."""
    monkeypatch.setattr(pay_job, "CHUNK", 3)
    month, ids = await households(world, 10)
    job_id, _ = await _enqueue(platform, world, month)
    job = await complete(platform, job_id)
    assert (job.state, job.done, job.total) == ("done", 10, 10)
    assert job.result["recorded"] == _lines(10)
    parts = job.result.get("parts", [])
    if store.engine_is_embedded():
        assert parts == []
    else:
        assert len(parts) == 4
        done = [await store.read(p) for p in parts]
        assert [p.state for p in done] == ["done"] * 4
        assert sum(p.done for p in done) == 10
        assert sum(p.result["recorded"] for p in done) == _lines(10)
        assert await runner.execute(platform, parts[0]) == "done"  # the queue's copy
    await _each_paid_once(world, month, ids)
