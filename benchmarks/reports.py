"""Benchmark: the reports over a year of a city on PostgreSQL.

Loads, in a fresh schema, a municipality with 200,000 requests (default; the desk
benchmark's generator: services, statuses, offices, two years of receipts), a budget
line per programme, 20 providers with two contracts each, an assignment for every
assigned or closed request, 1,000,000 deliveries over the last year in monthly sheets
with their invoices, and 10,000 lump sums paid; all streamed with COPY, then ANALYZE
(autovacuum may be off). Then it times each report over the last 365 days, straight on
the report functions (the SQL a page runs; the page adds only its rendering), and, as
the bare reference, one pass counting the period's deliveries; each report's median is
printed with its ratio to the reference's:

    python -m benchmarks.reports                       # resets the public schema of
                                                       # --postgres-url (default: h_e)
    python -m benchmarks.reports --requests 20000 --deliveries 100000 --samples 3

Target and figures: docs/performance.md, "Reports".
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import asyncpg

from benchmarks.desk import (
    CITIZEN_COLUMNS,
    EVENT_COLUMNS,
    REQUEST_COLUMNS,
    _reset_postgres,
    _rows,
    _scaffold,
)
from core import clock
from core.config import Settings, builtin_plugins
from core.db import engine as db_engine
from core.db.migrate import migrate
from core.platform import Platform
from core.reports.applications import applications
from core.reports.common import Filters, raw
from core.reports.coverage import coverage
from core.reports.money import spending
from core.reports.terms import terms

IBAN = "UA213223130000026007233566001"
SETTLEMENTS = ("Місто", "Дубове", "Колодяжне", "Зелене", "Озерне")


def _settle(reqs: list[tuple[Any, ...]], rng: random.Random) -> list[tuple[Any, ...]]:
    """Spread the requests over the settlements (the desk's generator uses one)."""
    at = REQUEST_COLUMNS.index("applicant_snapshot")
    out = []
    for r in reqs:
        place = rng.choices(SETTLEMENTS, (70, 10, 10, 5, 5))[0]
        out.append((*r[:at], r[at].replace('"Місто"', f'"{place}"'), *r[at + 1 :]))
    return out


async def _copy(conn: asyncpg.Connection, table: str, columns: tuple[str, ...], rows: Any) -> None:
    await conn.copy_records_to_table(table, records=rows, columns=columns)
    if "id" in columns:
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        )


async def _load(
    url: str, muni: int, services: list[str], n_requests: int, n_deliveries: int
) -> None:
    rng = random.Random(7)
    conn = await asyncpg.connect(url)
    try:
        user = await conn.fetchval("SELECT id FROM hromada_user WHERE municipality = $1", muni)
        offices = [
            r["id"] for r in await conn.fetch("SELECT id FROM office WHERE municipality = $1", muni)
        ]
        citizens = max(1, n_requests * 2 // 5)
        people, reqs, events = _rows(muni, user, offices, services, n_requests, citizens)
        await _copy(conn, "citizen", CITIZEN_COLUMNS, people)
        await _copy(conn, "request", REQUEST_COLUMNS, _settle(reqs, rng))
        await _copy(conn, "request_event", EVENT_COLUMNS, events)
        now = clock.now()
        today = clock.today()
        year = today.year
        lines = [
            (
                i + 1,
                muni,
                year,
                f"08132{i:02d}",
                "2730",
                f"Програма {i + 1}",
                2_000_000_000,
                0,
                "[]",
                now,
            )
            for i in range(4)
        ]
        await _copy(
            conn,
            "budget_line",
            (
                "id",
                "municipality",
                "year",
                "programme_code",
                "economic_code",
                "name",
                "allocation_kop",
                "committed_kop",
                "lump_sum_services",
                "created_at",
            ),
            lines,
        )
        providers = [
            (i + 1, muni, f"Надавач {i + 1}", "ngo", f"{37993700 + i}", IBAN, False, now)
            for i in range(20)
        ]
        await _copy(
            conn,
            "provider",
            ("id", "municipality", "name", "kind", "edrpou", "iban", "verified", "created_at"),
            providers,
        )
        contracts = []
        for i in range(40):
            contracts.append(
                (
                    i + 1,
                    muni,
                    f"Д-{i + 1}",
                    i % 20 + 1,
                    services[i % len(services)],
                    today - timedelta(days=400),
                    today + timedelta(days=30),
                    "{}",
                    10**12,
                    100_000_000_000,
                    i % 4 + 1,
                    0,
                    "[]",
                    "active",
                    0,
                    0,
                    now,
                )
            )
        await _copy(
            conn,
            "contract",
            (
                "id",
                "municipality",
                "number",
                "provider",
                "service_code",
                "period_start",
                "period_end",
                "tariff",
                "volume_cap_milli",
                "money_cap_kop",
                "budget_line",
                "capacity",
                "area",
                "status",
                "used_milli",
                "used_kop",
                "created_at",
            ),
            contracts,
        )
        status_at = REQUEST_COLUMNS.index("status")
        citizen_at = REQUEST_COLUMNS.index("citizen")
        served = [
            (i + 1, r[citizen_at])
            for i, r in enumerate(reqs)
            if r[status_at] in ("assigned", "closed")
        ]
        assignments = [
            (n + 1, muni, req, rng.randrange(40) + 1, True, now)
            for n, (req, _) in enumerate(served)
        ]
        await _copy(
            conn,
            "assignment",
            ("id", "municipality", "request", "contract", "active", "assigned_at"),
            assignments,
        )
        months = sorted({f"{today - timedelta(days=d):%Y-%m}" for d in range(365)})
        sheet_id = {
            (c, m): n + 1 for n, (c, m) in enumerate((c, m) for c in range(1, 41) for m in months)
        }
        await _copy(
            conn,
            "delivery_sheet",
            ("id", "municipality", "contract", "period", "status", "deliveries", "created_at"),
            [(sid, muni, c, m, "invoiced", 0, now) for (c, m), sid in sheet_id.items()],
        )
        sums: dict[int, int] = {}

        def deliveries() -> Any:
            for n in range(n_deliveries):
                a = assignments[rng.randrange(len(assignments))]
                contract = a[3]
                day = today - timedelta(days=rng.randrange(365))
                sid = sheet_id[(contract, f"{day:%Y-%m}")]
                amount = rng.choice((15_000, 30_000, 45_000))
                sums[sid] = sums.get(sid, 0) + amount
                yield (
                    muni,
                    contract,
                    sid,
                    a[0],
                    a[2],
                    contract % 20 or 20,
                    services[(contract - 1) % len(services)],
                    day,
                    "{}",
                    1000,
                    amount,
                    f"k{n}",
                    "recorded",
                    "",
                    now,
                )

        await _copy(
            conn,
            "delivery",
            (
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
            ),
            list(deliveries()),
        )
        invoices = []
        for (c, m), sid in sheet_id.items():
            invoices.append(
                (
                    sid,
                    muni,
                    f"Р-{sid}",
                    c,
                    c % 20 or 20,
                    sid,
                    (c - 1) % 4 + 1,
                    m,
                    0,
                    sums.get(sid, 0),
                    0,
                    "[]",
                    rng.choice(("approved", "paid", "paid")),
                    now,
                    "{}",
                )
            )
        await _copy(
            conn,
            "invoice",
            (
                "id",
                "municipality",
                "number",
                "contract",
                "provider",
                "sheet",
                "budget_line",
                "period",
                "quantity_milli",
                "total_kop",
                "deliveries",
                "lines",
                "status",
                "created_at",
                "payee",
            ),
            invoices,
        )
        decided = [i + 1 for i, r in enumerate(reqs) if r[status_at] in ("approved", "closed")]
        payouts = []
        for n, req in enumerate(rng.sample(decided, min(10_000, len(decided)))):
            paid = today - timedelta(days=rng.randrange(365))
            payouts.append(
                (
                    muni,
                    req,
                    reqs[req - 1][citizen_at],
                    services[n % len(services)],
                    "Отримувач",
                    IBAN,
                    500_000,
                    n % 4 + 1,
                    "",
                    "paid",
                    paid,
                    paid,
                    now,
                )
            )
        await _copy(
            conn,
            "payout",
            (
                "municipality",
                "request",
                "citizen",
                "service_code",
                "payee_name",
                "iban",
                "amount_kop",
                "budget_line",
                "period",
                "status",
                "due_since",
                "paid_on",
                "created_at",
            ),
            payouts,
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def _time(call: Callable[[], Awaitable[Any]], samples: int) -> tuple[float, float]:
    await call()  # warm-up
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        await call()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


async def _bare(muni: int, f: Filters) -> Any:
    """The reference: the least any report over the period's deliveries does — one pass
    counting and summing them, no join, no distinct."""
    return await raw(
        "SELECT COUNT(*) AS n, SUM(amount_kop) AS kop FROM delivery WHERE municipality = {} "
        "AND status = 'recorded' AND delivered_on >= {} AND delivered_on <= {}",
        [muni, f.start, f.end],
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/h_e",
        help="a PostgreSQL database whose public schema is DROPPED and recreated",
    )
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--deliveries", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()
    url = args.postgres_url
    await _reset_postgres(url)
    platform = Platform(Settings(database_url=url, plugins=builtin_plugins()))
    platform.bind_database()
    db = db_engine.engine()
    await db_engine.start(db)
    try:
        await migrate()
        started = time.perf_counter()
        muni, _user, _offices, services = await _scaffold(platform)
        await _load(url, muni, services, args.requests, args.deliveries)
        print(
            f"{args.requests:,} requests, {args.deliveries:,} deliveries, 10,000 lump sums "
            f"loaded in {time.perf_counter() - started:.1f} s"
        )
        today = clock.today()
        year = Filters(start=today - timedelta(days=364), end=today)
        one = Filters(start=year.start, end=year.end, service_code=services[0])
        cases: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
            ("applications by service", lambda: applications(muni, year, "service")),
            ("applications by settlement", lambda: applications(muni, year, "settlement")),
            ("applications by provider", lambda: applications(muni, year, "provider")),
            ("terms met by service", lambda: terms(muni, year, "service")),
            ("terms met by office", lambda: terms(muni, year, "office")),
            ("terms met, one service", lambda: terms(muni, one, "office")),
            ("coverage", lambda: coverage(muni, year)),
            ("money by budget line", lambda: spending(muni, year, "budget_line")),
            ("money by service", lambda: spending(muni, year, "service")),
            ("money by provider", lambda: spending(muni, year, "provider")),
            ("money by month", lambda: spending(muni, year, "month")),
        ]
        bare, _ = await _time(lambda: _bare(muni, year), args.samples)
        print(f"bare reference (one pass over the period's deliveries): {bare:.0f} ms")
        print(f"{'report (365 days)':32} {'median ms':>10} {'max ms':>10} {'ratio':>6}")
        for name, call in cases:
            median, worst = await _time(call, args.samples)
            print(f"{name:32} {median:10.0f} {worst:10.0f} {median / bare:6.1f}")
    finally:
        await db_engine.stop(db)


if __name__ == "__main__":
    asyncio.run(main())
