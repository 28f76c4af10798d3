"""Benchmark: a submission (``POST /api/requests``, funeral aid: validate, screen, journal
number, store, history, audit) against a bare reference doing one INSERT and one audit
INSERT in a transaction through the driver itself (asyncpg's pool, or one aiosqlite
connection), in one run.

In a fresh database (SQLite: a file in a temporary folder; PostgreSQL: a database created
beside ``--postgres`` and dropped at the end) it sets up a municipality with funeral aid,
an intake user and 200 citizens, then drives, in-process over ASGI (httpx, no network),
``--concurrency`` clients at once for ``--seconds`` per measurement, rounds interleaved
(``--rounds``, medians). Every submission is a new request about another deceased person,
so the table grows as in a day's work; the rate is also reported for the last round alone
to show whether it falls as rows grow.

    python -m benchmarks.submission                        # SQLite
    python -m benchmarks.submission --postgres postgresql://postgres@127.0.0.1:5432/postgres

One process here; the multi-worker figures are for a served deployment (docs/performance.md,
"Submission").
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import random
import resource
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import msgspec
from litestar import Litestar, post

from core import clock
from core.actor import Actor
from core.config import Settings
from core.db import engine as db_engine
from core.db.migrate import migrate
from core.platform import Platform
from core.service import Applicant

CODE = "funeral_aid.lump_sum"
_serial = itertools.count(1)


async def _scaffold(platform: Platform) -> tuple[str, list[int]]:
    """A municipality, its intake user's session token, and 200 citizens."""
    from core.db.tables import Citizen, Municipality, User
    from core.workflow import users

    muni = Municipality(
        slug="bench",
        name_uk="Бенчмарк",
        name_en="Benchmark",
        settlements='["Ковель"]',
        enabled_plugins='["funeral_aid"]',
    )
    await muni.save()
    user = User(
        municipality=muni.id,
        username="bench.intake",
        password_hash=users.hash_password("bench password 1"),
        role="intake",
        full_name="Bench",
    )
    await user.save()
    actor = Actor(
        id=int(user.id),
        username="bench.intake",
        full_name="Bench",
        role="intake",
        municipality_id=int(muni.id),
        municipality_slug="bench",
    )
    token, _ = await users.open_session(actor, 24 * 3600)
    citizens = []
    for n in range(200):
        c = Citizen(
            municipality=muni.id,
            last_name=f"Бенч{n}",
            first_name="Олена",
            search_name=f"бенч{n} олена",
            settlement="Ковель",
            categories="[]",
        )
        await c.save()
        citizens.append(int(c.id))
    return token, citizens


def _form(platform: Platform) -> dict[str, Any]:
    """A funeral-aid form about another deceased person each time."""
    service = platform.host.services[CODE]
    assert service.example_form is not None
    n = next(_serial)
    form = service.example_form(random.Random(n), Applicant(settlement="Ковель"), clock.today())
    data: dict[str, Any] = msgspec.to_builtins(form)
    data["deceased_first_name"] = f"Особа{n}"
    return data


async def _bare_app(url: str) -> tuple[Litestar, Any]:
    """The reference: one INSERT and one audit INSERT in a transaction, driver only."""
    counter = itertools.count(1)
    if url.startswith("postgres"):
        import asyncpg

        pool = await asyncpg.create_pool(url, min_size=1, max_size=10)
        async with pool.acquire() as conn:
            await conn.execute(
                "CREATE TABLE bare_request (id serial PRIMARY KEY, number text, form text);"
                "CREATE TABLE bare_audit (id serial PRIMARY KEY, subject int, details text)"
            )

        @post("/bare", status_code=201)
        async def bare_pg(data: dict[str, Any]) -> dict[str, int]:
            async with pool.acquire() as conn, conn.transaction():
                rid = await conn.fetchval(
                    "INSERT INTO bare_request (number, form) VALUES ($1, $2) RETURNING id",
                    str(next(counter)),
                    msgspec.json.encode(data).decode(),
                )
                await conn.execute(
                    "INSERT INTO bare_audit (subject, details) VALUES ($1, $2)", rid, "{}"
                )
            return {"id": int(rid)}

        return Litestar([bare_pg], openapi_config=None), pool.close
    import aiosqlite

    conn = await aiosqlite.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    await conn.execute("CREATE TABLE bare_request (id integer PRIMARY KEY, number text, form text)")
    await conn.execute(
        "CREATE TABLE bare_audit (id integer PRIMARY KEY, subject int, details text)"
    )
    lock = asyncio.Lock()

    @post("/bare", status_code=201)
    async def bare_sqlite(data: dict[str, Any]) -> dict[str, int]:
        async with lock:
            await conn.execute("BEGIN IMMEDIATE")
            cur = await conn.execute(
                "INSERT INTO bare_request (number, form) VALUES (?, ?) RETURNING id",
                (str(next(counter)), msgspec.json.encode(data).decode()),
            )
            row = await cur.fetchone()
            assert row is not None
            await conn.execute(
                "INSERT INTO bare_audit (subject, details) VALUES (?, ?)", (row[0], "{}")
            )
            await conn.execute("COMMIT")
        return {"id": int(row[0])}

    return Litestar([bare_sqlite], openapi_config=None), conn.close


async def _drive(
    app: Any,
    path: str,
    body: Any,
    seconds: float,
    concurrency: int,
    headers: dict[str, str],
) -> tuple[float, float]:
    """Requests per second and p99 (ms) of ``concurrency`` clients for ``seconds``."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

        async def one() -> None:
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                response = await client.post(path, json=body(), headers=headers)
                latencies.append(time.perf_counter() - t0)
                assert response.status_code == 201, response.text[:300]

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return len(latencies) / elapsed, latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--postgres", default="", help="a PostgreSQL URL to create a database beside"
    )
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    from benchmarks.billing import _drop_postgres, _fresh_postgres

    tmp = tempfile.TemporaryDirectory(prefix="hromada-bench-")
    pg_name = ""
    if args.postgres:
        url, pg_name = await _fresh_postgres(args.postgres)
    else:
        url = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    try:
        platform = Platform(Settings(database_url=url, plugins=("funeral_aid",)))
        platform.bind_database()
        db = db_engine.engine()
        await db_engine.start(db)
        await migrate()
        token, citizens = await _scaffold(platform)
        from core.api.app import create_app

        app = create_app(platform)
        bare, close_bare = await _bare_app(url)
        received = clock.today().isoformat()

        def submission() -> dict[str, Any]:
            return {
                "service_code": CODE,
                "citizen_id": random.choice(citizens),
                "form": _form(platform),
                "received_on": received,
            }

        runs: dict[str, tuple[Any, str, Any, dict[str, str]]] = {
            "bare INSERT + audit, driver": (bare, "/bare", _form_only(platform), {}),
            "POST /api/requests": (
                app,
                "/api/requests",
                submission,
                {"Authorization": f"Bearer {token}"},
            ),
        }
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, (target, path, body, headers) in runs.items():
                figures[name].append(
                    await _drive(target, path, body, args.seconds, args.concurrency, headers)
                )
        print(
            f"engine: {type(db).__name__}; {args.concurrency} clients in-process, one process, "
            f"{args.rounds} rounds of {args.seconds:.0f} s, medians; {date.today()}"
        )
        base = statistics.median([r for r, _ in figures["bare INSERT + audit, driver"]])
        print(f"{'what':<32} {'req/s':>8} {'p99 ms':>8} {'ratio':>6} {'last round':>11}")
        for name, got in figures.items():
            rate = statistics.median([r for r, _ in got])
            p99 = statistics.median([p for _, p in got])
            print(f"{name:<32} {rate:>8.0f} {p99:>8.1f} {rate / base:>6.2f} {got[-1][0]:>11.0f}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of the process (Hromada, the reference and the clients): {peak:.0f} MB")
        await close_bare()
        await db_engine.stop(db)
    finally:
        if pg_name:
            await _drop_postgres(args.postgres, pg_name)
        tmp.cleanup()


def _form_only(platform: Platform) -> Any:
    return lambda: _form(platform)


if __name__ == "__main__":
    asyncio.run(main())
