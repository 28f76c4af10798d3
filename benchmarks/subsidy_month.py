"""Benchmark: a month of housing subsidies paid as background jobs by ``hromada worker``
processes on PostgreSQL, with 1 worker and with 2 sharing the month.

In a fresh database (created beside ``--postgres``, dropped at the end) it generates N
households with an assigned subsidy (the generator of ``benchmarks.subsidies``: three
utility providers, three utilities a household, one in ten in cash) with lines for three
months, analyses the tables (autovacuum may be off), then for each month starts the
given number of workers (``python -m core worker`` subprocesses), enqueues the month's
``subsidies.pay_month`` job as the desk does, times it until it is done, and analyses
the tables again: the first month with 2 workers (on statistics taken before any
delivery existed), the second with 1, the third with 2.

    python -m benchmarks.subsidy_month --postgres postgresql://postgres@127.0.0.1:5432/postgres
    python -m benchmarks.subsidy_month --households 20000 --postgres ...

Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time

from benchmarks.billing import _drop_postgres, _fresh_postgres
from benchmarks.subsidies import MONTH, _scaffold
from core.config import Settings
from core.db import engine as db_engine
from core.db.migrate import migrate
from core.platform import Platform

#: The later months (their lines copied from the first). The first month is paid on
#: tables analysed before any delivery existed (autovacuum is off on these machines, so
#: the planner believes the deliveries table empty throughout that run); the tables are
#: analysed after each month, so the second (1 worker) and the third (2 workers) compare
#: alike.
LATER = ("2026-11", "2026-12")
RUNS = ((MONTH, 2), (LATER[0], 1), (LATER[1], 2))


async def _later_months(municipality_id: int) -> None:
    from plugins.subsidies.tables import SubsidyMonth as M

    rows = await M.select(M.assignment, M.utility, M.provider, M.amount_kop).where(
        (M.municipality == municipality_id) & (M.month == MONTH)
    )
    for month in LATER:
        for i in range(0, len(rows), 1000):
            await M.insert(
                *[M(municipality=municipality_id, month=month, **r) for r in rows[i : i + 1000]]
            )


async def _lines(municipality_id: int, month: str) -> int:
    from core.db.market import Delivery, Payout

    deliveries = await Delivery.count().where(
        (Delivery.municipality == municipality_id) & Delivery.unique_key.like(f"subsidy:%:{month}")
    )
    payouts = await Payout.count().where(
        (Payout.municipality == municipality_id) & (Payout.period == month)
    )
    return int(deliveries) + int(payouts)


async def _run(platform: Platform, url: str, muni: int, user: int, month: str, n: int) -> float:
    from core.jobs import queue, store
    from plugins.subsidies.pay_job import NAME, PayMonthArgs, pay_run_key

    env = os.environ | {"HROMADA_DATABASE_URL": url, "HROMADA_PLUGINS": "subsidies"}
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "core",
            "worker",
            "--concurrency",
            "1",
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
        )
        for _ in range(n)
    ]
    try:
        await asyncio.sleep(3)  # the workers start listening
        t0 = time.perf_counter()
        job_id, _ = await queue.enqueue(
            platform,
            NAME,
            PayMonthArgs(month=month),
            key=pay_run_key(muni, month),
            municipality_id=muni,
            user_id=user,
        )
        while True:
            job = await store.read(job_id)
            if not job.active:
                break
            await asyncio.sleep(0.5)
        seconds = time.perf_counter() - t0
        assert job.state == "done", job
        assert job.result["skipped"] == 0, job.result
        return seconds
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            await asyncio.wait_for(w.wait(), timeout=60)


async def main() -> None:
    from core.jobs import queue

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--households", type=int, default=20000)
    parser.add_argument(
        "--postgres", required=True, help="a PostgreSQL URL to create a database beside"
    )
    args = parser.parse_args()
    url, pg_name = await _fresh_postgres(args.postgres)
    try:
        platform = Platform(Settings(database_url=url, plugins=("subsidies",)))
        platform.bind_database()
        db = db_engine.engine()
        await db_engine.start(db)
        await migrate()
        started = time.perf_counter()
        muni, user = await _scaffold(args.households)
        await _later_months(muni)
        await db.run_ddl("ANALYZE")
        print(f"{args.households:,} households set up in {time.perf_counter() - started:.1f} s")
        for month, n in RUNS:
            seconds = await _run(platform, url, muni, user, month, n)
            lines = await _lines(muni, month)
            print(
                f"{month}: {n} worker(s): {seconds:.1f} s for {lines:,} lines "
                f"({lines / seconds:.0f} lines/s)"
            )
            await db.run_ddl("ANALYZE")
        await queue.close()
        await db_engine.stop(db)
    finally:
        await _drop_postgres(args.postgres, pg_name)


if __name__ == "__main__":
    asyncio.run(main())
