"""Benchmark: the back office's work queue and a request's page at a city's scale.

Loads, in a fresh schema, a municipality with 100,000 requests (default) spread over the
enabled services, the six statuses, five offices and two years of due dates (some of the
submitted ones overdue), with their citizens and request events, inserted set-wise (not
through the use cases). Then, through the real application in-process (httpx over
ASGI, signed in as a caseworker with the session cookie), it times, after a warm-up:

- the work queue's first page (default filters: submitted, earliest due first);
- the queue filtered by one service and overdue;
- a deep page of the queue (page 200 of all statuses);
- a random request's page;

and, as the reference, the bare SELECT (count and page) the first page runs, straight on
the engine. It prints p50/p95/p99 of each and the ratio of each p50 to the bare one.

    python -m benchmarks.desk --engine sqlite                 # a file in a temp folder
    python -m benchmarks.desk --engine postgres               # resets the public schema of
                                                              # --postgres-url (default: test)
    python -m benchmarks.desk --engine sqlite --requests 20000 --samples 50

Targets and figures: docs/performance.md, "The desk".
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import msgspec

from core import clock
from core.config import Settings, builtin_plugins
from core.db import engine as db_engine
from core.db.migrate import migrate
from core.platform import Platform

PASSWORD = "bench desk password"
STATUSES = (  # share of the requests in each status
    ("submitted", 0.30),
    ("approved", 0.15),
    ("assigned", 0.20),
    ("refused", 0.10),
    ("withdrawn", 0.05),
    ("closed", 0.20),
)
OFFICES = ("ЦНАП Центр", "ЦНАП Північ", "ЦНАП Південь", "Віддалене місце Дубове", "Бек-офіс")
LAST = ("Шевченко", "Коваль", "Бондар", "Ткаченко", "Мельник", "Кравченко", "Олійник", "Лисенко")
FIRST = ("Оксана", "Петро", "Марія", "Іван", "Олена", "Андрій", "Наталія", "Василь")

REQUEST_COLUMNS = (
    "municipality",
    "journal_number",
    "service_code",
    "citizen",
    "channel",
    "office",
    "form",
    "applicant_snapshot",
    "findings",
    "parameters_used",
    "eligibility",
    "subject_key",
    "status",
    "submitted_at",
    "received_on",
    "due_date",
    "decided_at",
    "decided_by",
    "refusal_ground",
    "decision_comment",
    "decision_inputs",
    "amount_kopiyky",
    "created_by",
)
CITIZEN_COLUMNS = (
    "municipality",
    "last_name",
    "first_name",
    "patronymic",
    "search_name",
    "birth_date",
    "tax_number",
    "gender",
    "settlement",
    "address",
    "phone",
    "email",
    "categories",
    "disability_group",
    "household",
    "created_at",
    "updated_at",
)
EVENT_COLUMNS = ("request", "at", "actor", "from_status", "to_status", "comment")


async def _reset_postgres(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


async def _scaffold(platform: Platform) -> tuple[int, int, list[int], list[str]]:
    """The municipality, its offices and a caseworker; returns (municipality, user,
    offices, service codes)."""
    from core.db.tables import Municipality, Office, User
    from core.workflow import users

    muni = Municipality(
        slug="bench",
        name_uk="Бенчмарк",
        name_en="Benchmark",
        settlements='["Місто", "Дубове"]',
        enabled_plugins=msgspec.json.encode(list(platform.host.plugins)).decode(),
    )
    await muni.save()
    offices = []
    for name in OFFICES:
        office = Office(municipality=muni.id, name=name, kind="front_office", settlement="Місто")
        await office.save()
        offices.append(int(office.id))
    user = User(
        municipality=muni.id,
        username="bench.caseworker",
        password_hash=users.hash_password(PASSWORD),
        role="caseworker",
        full_name="Бенч Кейс",
    )
    await user.save()
    services = sorted(s.code for s in await platform.services(int(muni.id)))
    return int(muni.id), int(user.id), offices, services


def _rows(
    muni: int, user: int, offices: list[int], services: list[str], requests: int, citizens: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Citizens, requests (ids 1..n in order) and events, as tuples in column order."""
    rng = random.Random(11)
    now = clock.now()
    today = clock.today()
    people: list[tuple[Any, ...]] = []
    for i in range(citizens):
        last, first = rng.choice(LAST), rng.choice(FIRST)
        people.append(
            (
                muni,
                last,
                first,
                "",
                f"{last} {first}".lower(),
                date(1940, 1, 1) + timedelta(days=rng.randrange(25_000)),
                f"{1_000_000_000 + i}",
                "",
                "Місто",
                f"вул. Лісова, {i % 200 + 1}",
                "",
                "",
                "[]",
                None,
                None,
                now,
                now,
            )
        )
    weights = [w for _, w in STATUSES]
    names = [s for s, _ in STATUSES]
    reqs: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    for i in range(requests):
        status = rng.choices(names, weights)[0]
        if status == "submitted":
            # open: received within the last two months; those due before today are overdue
            received = today - timedelta(days=rng.randrange(60))
        else:
            received = today - timedelta(days=rng.randrange(60, 730))
        due = received + timedelta(days=rng.choice((10, 14, 30)))
        citizen = rng.randrange(citizens) + 1
        last, first = people[citizen - 1][1], people[citizen - 1][2]
        submitted_at = datetime.combine(received, datetime.min.time(), now.tzinfo) + timedelta(
            hours=9
        )
        decided = status not in ("submitted", "withdrawn")
        decided_at = submitted_at + timedelta(days=3) if decided else None
        reqs.append(
            (
                muni,
                f"{received.year}-{i + 1:06d}",
                rng.choice(services),
                citizen,
                rng.choice(("front_office", "front_office", "online")),
                rng.choice(offices),
                "{}",
                msgspec.json.encode(
                    {"last_name": last, "first_name": first, "settlement": "Місто"}
                ).decode(),
                "[]",
                "[]",
                "eligible" if status != "refused" else "not_eligible",
                None,
                status,
                submitted_at,
                received,
                due,
                decided_at,
                user if decided else None,
                None,
                "",
                "{}",
                None,
                user,
            )
        )
        events.append((i + 1, submitted_at, user, None, "submitted", "channel=front_office"))
        if status != "submitted":
            at = decided_at or submitted_at + timedelta(days=1)
            events.append((i + 1, at, user, "submitted", status, ""))
    return people, reqs, events


async def _load(url: str, rows: tuple[list[Any], list[Any], list[Any]]) -> None:
    people, reqs, events = rows
    tables = (
        ("citizen", CITIZEN_COLUMNS, people),
        ("request", REQUEST_COLUMNS, reqs),
        ("request_event", EVENT_COLUMNS, events),
    )
    if url.startswith("postgres"):
        conn = await asyncpg.connect(url)
        try:
            for table, columns, records in tables:
                await conn.copy_records_to_table(table, records=records, columns=columns)
            for table in ("citizen", "request", "request_event"):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
            # as autovacuum would have on a table that grew: statistics, visibility map
            await conn.execute("VACUUM ANALYZE")
        finally:
            await conn.close()
    else:
        import sqlite3

        conn2 = sqlite3.connect(url.removeprefix("sqlite:///"))
        for table, columns, records in tables:
            marks = ", ".join("?" for _ in columns)
            conn2.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                [tuple(v.isoformat() if isinstance(v, date) else v for v in r) for r in records],
            )
        conn2.commit()
        conn2.execute("ANALYZE")
        conn2.close()


def _quantiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


async def _time(
    call: Callable[[], Awaitable[Any]], samples: int, warmup: int
) -> tuple[float, float, float]:
    for _ in range(warmup):
        await call()
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        await call()
        times.append((time.perf_counter() - t0) * 1000)
    return _quantiles(times)


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="a PostgreSQL database whose public schema is DROPPED and recreated",
    )
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=100, help="timed calls per page")
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)

    tmp = tempfile.TemporaryDirectory(prefix="hromada-bench-")
    if args.engine == "postgres":
        url = args.postgres_url
        await _reset_postgres(url)
    else:
        url = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    try:
        platform = Platform(Settings(database_url=url, plugins=builtin_plugins()))
        platform.bind_database()
        db = db_engine.engine()
        await db_engine.start(db)
        await migrate()
        started = time.perf_counter()
        muni, user, offices, services = await _scaffold(platform)
        citizens = max(1, args.requests * 2 // 5)
        await _load(url, _rows(muni, user, offices, services, args.requests, citizens))
        print(
            f"engine: {type(db).__name__}; {args.requests:,} requests over {len(services)} "
            f"services, {len(offices)} offices, {citizens:,} citizens loaded in "
            f"{time.perf_counter() - started:.1f} s"
        )
        from core.api.app import create_app
        from core.db.tables import Request

        today = clock.today()
        service = services[0]
        overdue = await Request.count().where(
            (Request.municipality == muni)
            & (Request.service_code == service)
            & (Request.status == "submitted")
            & (Request.due_date < today)
        )
        app = create_app(platform)
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        rng = random.Random(5)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", headers={"Accept": "text/html"}
        ) as client:
            sign_in_page = await client.get("/sign-in")
            token = sign_in_page.text.split('name="_csrf" value="', 1)[1][:64]
            signed = await client.post(
                "/sign-in",
                data={"username": "bench.caseworker", "password": PASSWORD, "_csrf": token},
            )
            assert signed.status_code == 303, signed.text[:500]

            async def get(path: str) -> None:
                answer = await client.get(path)
                assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])

            async def bare() -> None:
                await Request.raw(
                    "SELECT COUNT(*) FROM request WHERE municipality = {} AND status = {}",
                    muni,
                    "submitted",
                )
                await Request.raw(
                    "SELECT * FROM request WHERE municipality = {} AND status = {} "
                    "ORDER BY due_date, id LIMIT 25",
                    muni,
                    "submitted",
                )

            pages: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
                ("bare SELECT (count + page)", bare),
                ("queue, first page", lambda: get("/desk/requests")),
                (
                    f"queue, {service} + overdue ({overdue:,})",
                    lambda: get(f"/desk/requests?service={service}&overdue=1"),
                ),
                ("queue, all statuses, page 200", lambda: get("/desk/requests?status=&page=200")),
                (
                    "a random request's page",
                    lambda: get(f"/desk/requests/{rng.randrange(args.requests) + 1}"),
                ),
            ]
            print(f"{args.samples} samples each after {args.warmup} warm-up calls; ms")
            print(f"{'':44} {'p50':>8} {'p95':>8} {'p99':>8} {'p50/bare':>9}")
            reference = 0.0
            for name, call in pages:
                p50, p95, p99 = await _time(call, args.samples, args.warmup)
                reference = reference or p50
                print(f"{name:44} {p50:8.1f} {p95:8.1f} {p99:8.1f} {p50 / reference:9.1f}")
        await db_engine.stop(db)
    finally:
        tmp.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
