"""Real ``hromada worker`` processes on PostgreSQL: a worker killed with SIGKILL in the
middle of a month's invoice run; another worker takes the job over once the first one's
heartbeat has stopped, finishes it, and every contract has exactly one invoice."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.jobs import queue, store
from core.jobs.builtin import INVOICE_RUN, InvoiceRunArgs, invoice_run_key
from core.platform import Platform
from tests.jobs.data import PERIOD, contracts_with_deliveries, invoice_counts
from tests.world import World

pytestmark = pytest.mark.db

CONTRACTS = 40
STALLED_AFTER = "3"


@pytest.fixture
def workers(
    platform: Platform, database_url: str, tmp_path: Path
) -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def start_worker(
    started: list[subprocess.Popen[bytes]],
    platform: Platform,
    database_url: str,
    tmp_path: Path,
    pause: str,
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "HROMADA_CONFIG": str(tmp_path / "hromada.toml"),
        "HROMADA_DATABASE_URL": database_url,
        "HROMADA_PLUGINS": ",".join(platform.settings.plugins),
        "HROMADA_JOB_STEP_PAUSE": pause,
    }
    (tmp_path / "hromada.toml").write_text(f'mail_dir = "{tmp_path / "mail"}"\n')
    log = (tmp_path / f"worker-{len(started)}.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "core", "worker", "--stalled-after", STALLED_AFTER],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    started.append(proc)
    return proc


async def _wait(job_id: int, seconds: float, *, done_at_least: int = 0, state: str = "") -> None:
    for _ in range(int(seconds / 0.05)):
        job = await store.read(job_id)
        if job.state in ("failed", "cancelled"):
            raise AssertionError(f"job {job_id} ended {job.state}: {job.error}")
        if (state and job.state == state) or (not state and job.done >= done_at_least):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id}: timed out, now {await store.read(job_id)}")


async def test_worker_killed_mid_job_another_finishes_it_nothing_twice(
    platform: Platform,
    world: World,
    database_url: str,
    tmp_path: Path,
    workers: list[subprocess.Popen[bytes]],
) -> None:
    contracts = await contracts_with_deliveries(world, CONTRACTS)
    accountant = world.actors["accountant"]
    job_id, created = await queue.enqueue(
        platform,
        INVOICE_RUN,
        InvoiceRunArgs(period=PERIOD),
        key=invoice_run_key(world.municipality_id, None, PERIOD),
        municipality_id=world.municipality_id,
        user_id=accountant.id,
    )
    assert created

    first = start_worker(workers, platform, database_url, tmp_path, pause="0.2")
    await _wait(job_id, 60, done_at_least=3)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    killed = await store.read(job_id)
    assert killed.state == "running"
    assert 3 <= killed.done < CONTRACTS
    made = sum((await invoice_counts(contracts)).values())
    assert 0 < made < CONTRACTS

    start_worker(workers, platform, database_url, tmp_path, pause="0")
    await _wait(job_id, 120, state="done")
    job = await store.read(job_id)
    assert job.attempts >= 2
    assert (job.done, job.total) == (CONTRACTS, CONTRACTS)
    assert job.result["invoices"] == CONTRACTS
    assert set((await invoice_counts(contracts)).values()) == {1}
