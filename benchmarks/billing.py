"""Benchmark: the monthly invoice run over a city-month of deliveries.

Generates 1,000,000 deliveries over 500 contracts (default sizes) in a fresh database,
then times the bare SQL aggregate of those rows and the real invoice run
(``core.workflow.market.invoices.run``) over the same rows, and prints both times, their
ratio and the peak memory.

    python benchmarks/billing.py                        # SQLite file in a temp folder
    python benchmarks/billing.py --postgres postgresql://postgres@127.0.0.1:5432/test
    python benchmarks/billing.py --deliveries 100000 --contracts 50

Targets (docs/performance.md): run within 2x the bare aggregate, under 10 s, under 500 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg

from core import clock
from core.actor import Actor
from core.config import Settings
from core.db import engine as db_engine
from core.db.market import Delivery
from core.db.migrate import migrate
from core.platform import Platform
from core.workflow.market import invoices
from core.workflow.market.invoices import RunIn

PERIOD = "2026-10"
DAYS = 31


async def _fresh_postgres(url: str) -> tuple[str, str]:
    name = f"hromada_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(url)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return url.rsplit("/", 1)[0] + "/" + name, name


async def _drop_postgres(url: str, name: str) -> None:
    conn = await asyncpg.connect(url)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


async def _scaffold(contracts: int) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    """A municipality, provider, user, budget line, and per contract a request, an
    assignment and the month's open sheet. Returns (municipality, user, rows)."""
    from core.db.market import Assignment, BudgetLine, Contract, DeliverySheet
    from core.db.tables import Citizen, Municipality, Provider, Request, User

    muni = Municipality(
        slug="bench",
        name_uk="Бенчмарк",
        name_en="Benchmark",
        settlements='["Місто"]',
        enabled_plugins='["homeless"]',
    )
    await muni.save()
    provider = Provider(
        municipality=muni.id,
        name="Бенч-надавач",
        kind="ngo",
        edrpou="37993783",
        iban="UA213223130000026007233566001",
        verified=True,
    )
    await provider.save()
    user = User(
        municipality=muni.id, username="bench.accountant", password_hash="x", role="accountant"
    )
    await user.save()
    line = BudgetLine(
        municipality=muni.id,
        year=2026,
        programme_code="0813241",
        economic_code="2240",
        name="bench",
        allocation_kop=10**15,
        committed_kop=0,
    )
    await line.save()
    citizen = Citizen(municipality=muni.id, last_name="Бенч", first_name="Тест", categories="[]")
    await citizen.save()
    out = []
    for i in range(contracts):
        contract = Contract(
            municipality=muni.id,
            number=f"B-{i}",
            provider=provider.id,
            service_code="homeless.hot_meal",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            tariff='{"unit_price": "45.50"}',
            volume_cap_milli=10**15,
            money_cap_kop=10**15,
            budget_line=line.id,
            status="active",
        )
        await contract.save()
        request = Request(
            municipality=muni.id,
            journal_number=f"2026-B{i}",
            service_code="homeless.hot_meal",
            citizen=citizen.id,
            channel="front_office",
            eligibility="eligible",
            status="assigned",
            received_on=date(2026, 9, 1),
            due_date=date(2026, 9, 10),
        )
        await request.save()
        assignment = Assignment(municipality=muni.id, request=request.id, contract=contract.id)
        await assignment.save()
        sheet = DeliverySheet(
            municipality=muni.id, contract=contract.id, period=PERIOD, status="open", deliveries=0
        )
        await sheet.save()
        out.append((contract.id, assignment.id, request.id, sheet.id))
    return int(muni.id), int(user.id), out


async def _fill(
    municipality: int,
    provider: int,
    rows: list[tuple[int, int, int, int]],
    deliveries: int,
    url: str,
) -> None:
    rng = random.Random(7)
    columns = (
        "municipality",
        "contract",
        "sheet",
        "assignment",
        "request",
        "provider",
        "service_code",
        "delivered_on",
        "data",
        "quantity_milli",
        "amount_kop",
        "idempotency_key",
        "status",
        "void_reason",
        "recorded_at",
    )
    now = clock.now()

    def record(i: int) -> tuple[Any, ...]:
        contract, assignment, request, sheet = rows[i % len(rows)]
        portions = rng.randint(1, 3)
        return (
            municipality,
            contract,
            sheet,
            assignment,
            request,
            provider,
            "homeless.hot_meal",
            date(2026, 10, 1 + i % DAYS),
            "{}",
            portions * 1000,
            portions * 4550,
            f"b{i}",
            "voided" if i % 97 == 0 else "recorded",
            "",
            now,
        )

    counts: dict[int, int] = {}
    if url.startswith("postgres"):
        conn = await asyncpg.connect(url)
        batch = 100_000
        for start in range(0, deliveries, batch):
            records = [record(i) for i in range(start, min(start + batch, deliveries))]
            for r in records:
                counts[r[2]] = counts.get(r[2], 0) + 1
            await conn.copy_records_to_table("delivery", records=records, columns=columns)
        for sheet, n in counts.items():
            await conn.execute("UPDATE delivery_sheet SET deliveries = $1 WHERE id = $2", n, sheet)
        await conn.execute("ANALYZE delivery")
        await conn.close()
    else:
        import sqlite3

        conn2 = sqlite3.connect(url.removeprefix("sqlite:///"))
        marks = ", ".join("?" for _ in columns)
        batch = 100_000
        for start in range(0, deliveries, batch):
            records = [record(i) for i in range(start, min(start + batch, deliveries))]
            for r in records:
                counts[r[2]] = counts.get(r[2], 0) + 1
            conn2.executemany(
                f"INSERT INTO delivery ({', '.join(columns)}) VALUES ({marks})",
                [(*r[:7], r[7].isoformat(), *r[8:14], r[14].isoformat()) for r in records],
            )
            conn2.commit()
        conn2.executemany(
            "UPDATE delivery_sheet SET deliveries = ? WHERE id = ?",
            [(n, s) for s, n in counts.items()],
        )
        conn2.commit()
        conn2.execute("ANALYZE")
        conn2.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=1_000_000)
    parser.add_argument("--contracts", type=int, default=500)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL to create a database in")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="hromada-bench-")
    pg_name = ""
    if args.postgres:
        url, pg_name = await _fresh_postgres(args.postgres)
    else:
        url = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    try:
        platform = Platform(Settings(database_url=url, plugins=("funeral_aid", "homeless")))
        platform.bind_database()
        db = db_engine.engine()
        await db_engine.start(db)
        await migrate()
        started = time.perf_counter()
        muni, user, rows = await _scaffold(args.contracts)
        from core.db.tables import Provider

        first = await Provider.select(Provider.id).first()
        assert first is not None
        provider = first["id"]
        await _fill(muni, provider, rows, args.deliveries, url)
        print(
            f"engine: {type(db).__name__}; generated {args.deliveries:,} deliveries over "
            f"{args.contracts} contracts in {time.perf_counter() - started:.1f} s"
        )
        sheets = [r[3] for r in rows]
        marks = ", ".join("{}" for _ in sheets)
        bare_sql = (
            "SELECT sheet, COUNT(*) AS n, SUM(quantity_milli) AS q, SUM(amount_kop) AS a "
            f"FROM delivery WHERE sheet IN ({marks}) AND status = 'recorded' "
            "GROUP BY sheet"
        )
        await Delivery.raw(bare_sql, *sheets)  # warm the cache like the run will find it
        t0 = time.perf_counter()
        bare = await Delivery.raw(bare_sql, *sheets)
        bare_s = time.perf_counter() - t0
        actor = Actor(
            id=user,
            username="bench.accountant",
            full_name="",
            role="accountant",
            municipality_id=muni,
            municipality_slug="bench",
        )
        rss_before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0 = time.perf_counter()
        made = await invoices.run(platform, actor, RunIn(period=PERIOD))
        run_s = time.perf_counter() - t0
        rss_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert len(made) == len(bare) == args.contracts
        assert sum(int(i.total * 100) for i in made) == sum(int(b["a"]) for b in bare)
        print(f"bare aggregate: {bare_s:.3f} s")
        print(
            f"invoice run:    {run_s:.3f} s  ({len(made)} invoices, "
            f"{sum(i.total for i in made):,.2f} UAH)"
        )
        print(f"ratio run/bare: {run_s / bare_s:.2f}")
        print(
            f"peak memory: {rss_peak_mb:.0f} MB RSS for the whole process, generation "
            f"included ({rss_peak_mb - rss_before_mb:.0f} MB more during the run)"
        )
        await db_engine.stop(db)
    finally:
        if pg_name:
            await _drop_postgres(args.postgres, pg_name)
        tmp.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
