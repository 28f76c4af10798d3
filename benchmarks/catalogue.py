"""Benchmark: the public catalogue (``GET /api/services`` and the page ``/``) against a bare
Litestar app returning the same 12 cards, in one run.

In a fresh database (SQLite: a file in a temporary folder; PostgreSQL: a database created
beside ``--postgres`` and dropped at the end) it sets up one municipality with every
built-in plugin enabled (12 services), then drives, in-process over ASGI (httpx, no
network), ``--concurrency`` clients at once for ``--seconds`` per measurement:

1. **the bare reference**: a Litestar app with one route that returns the 12 cards (the
   Structs Hromada would return, built once), with no middleware;
2. Hromada's ``GET /api/services`` (anonymous, the first municipality);
3. Hromada's catalogue page ``/`` (anonymous, Ukrainian);
4. ``GET /api/services`` again with ``If-None-Match`` (a client's revalidation).

Rounds are interleaved (``--rounds``, medians reported), so a slower machine moment
affects each alike. It prints requests per second and p99 of each, and each one's ratio
to the bare reference.

    python -m benchmarks.catalogue                       # SQLite
    python -m benchmarks.catalogue --postgres postgresql://postgres@127.0.0.1:5432/postgres

Targets and figures: docs/performance.md, "The catalogue".
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import msgspec
from litestar import Litestar, get

from core.config import Settings, builtin_plugins
from core.db import engine as db_engine
from core.db.migrate import migrate
from core.platform import Platform


async def _scaffold(platform: Platform) -> None:
    from core.db.tables import Municipality

    await Municipality(
        slug="bench",
        name_uk="Бенчмарк",
        name_en="Benchmark",
        settlements='["Місто"]',
        enabled_plugins=msgspec.json.encode(list(platform.host.plugins)).decode(),
    ).save()


def _bare(cards: list[Any]) -> Litestar:
    @get("/api/services", sync_to_thread=False)
    def services() -> list[Any]:
        return cards

    return Litestar([services], openapi_config=None)


async def _drive(
    app: Any, path: str, seconds: float, concurrency: int, headers: dict[str, str]
) -> tuple[float, float]:
    """Requests per second and p99 (ms) of ``concurrency`` clients for ``seconds``."""
    transport = httpx.ASGITransport(app=app)
    latencies: list[float] = []
    stop = time.perf_counter() + seconds
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

        async def one() -> None:
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                response = await client.get(path, headers=headers)
                latencies.append(time.perf_counter() - t0)
                assert response.status_code in (200, 304), response.text[:200]

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return len(latencies) / elapsed, latencies[int(len(latencies) * 0.99) - 1] * 1000


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
        platform = Platform(Settings(database_url=url, plugins=builtin_plugins()))
        platform.bind_database()
        db = db_engine.engine()
        await db_engine.start(db)
        await migrate()
        await _scaffold(platform)
        from core.api.app import create_app

        app = create_app(platform)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
            base_url="http://bench",
        ) as client:
            first = await client.get("/api/services")
            etag = first.headers.get("etag", "")
        cards = first.json()
        assert len(cards) == 12, len(cards)
        bare = _bare(cards)
        runs: dict[str, tuple[Any, str, dict[str, str]]] = {
            "bare Litestar, 12 cards": (bare, "/api/services", {}),
            "GET /api/services": (app, "/api/services", {}),
            "catalogue page /": (app, "/", {"Accept": "text/html"}),
            "GET /api/services, If-None-Match": (app, "/api/services", {"If-None-Match": etag}),
        }
        if not etag:
            del runs["GET /api/services, If-None-Match"]
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, (target, path, headers) in runs.items():
                await _drive(target, path, 0.5, args.concurrency, headers)  # warm-up
                figures[name].append(
                    await _drive(target, path, args.seconds, args.concurrency, headers)
                )
        median: Callable[[list[float]], float] = statistics.median
        base = median([r for r, _ in figures["bare Litestar, 12 cards"]])
        print(
            f"engine: {type(db).__name__}; {args.concurrency} clients in-process, "
            f"{args.rounds} rounds of {args.seconds:.0f} s, medians"
        )
        print(f"{'what':<36} {'req/s':>8} {'p99 ms':>8} {'ratio':>6}")
        for name, got in figures.items():
            rate = median([r for r, _ in got])
            p99 = median([p for _, p in got])
            print(f"{name:<36} {rate:>8.0f} {p99:>8.1f} {rate / base:>6.2f}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of the process (Hromada, the reference and the clients): {peak:.0f} MB")
        await db_engine.stop(db)
    finally:
        if pg_name:
            await _drop_postgres(args.postgres, pg_name)
        tmp.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
