"""The bare references of ``benchmarks.served``, served by uvicorn as Hromada is.

Each is a Litestar app with one route and no middleware, doing the same work as the
Hromada route it stands beside with nothing in between. uvicorn builds them with
``--factory`` in each worker process, from the environment the benchmark sets:

- :func:`catalogue`: ``GET /api/services`` returning the 12 cards Hromada returned
  (``BENCH_CARDS``, a JSON file), decoded once;
- :func:`submission`: ``POST /bare`` storing the form as one ``INSERT`` and one audit
  ``INSERT`` in a transaction through the driver itself (asyncpg's pool, or one aiosqlite
  connection behind an asyncio lock), on ``BENCH_DATABASE_URL``, whose tables
  ``bare_request`` and ``bare_audit`` the benchmark creates before starting it.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import msgspec
from litestar import Litestar, get, post

#: The reference tables, created by the benchmark before any worker starts.
TABLES_POSTGRES = (
    "CREATE TABLE bare_request (id serial PRIMARY KEY, number text, form text)",
    "CREATE TABLE bare_audit (id serial PRIMARY KEY, subject int, details text)",
)
TABLES_SQLITE = (
    "CREATE TABLE bare_request (id integer PRIMARY KEY, number text, form text)",
    "CREATE TABLE bare_audit (id integer PRIMARY KEY, subject int, details text)",
)


def catalogue() -> Litestar:
    cards = msgspec.json.decode(Path(os.environ["BENCH_CARDS"]).read_bytes())

    @get("/api/services", sync_to_thread=False)
    def services() -> list[Any]:
        return cards

    return Litestar([services], openapi_config=None)


def submission() -> Litestar:
    url = os.environ["BENCH_DATABASE_URL"]
    counter = itertools.count(1)
    if url.startswith("postgres"):
        return _submission_postgres(url, counter)
    return _submission_sqlite(url.removeprefix("sqlite:///"), counter)


def _submission_postgres(url: str, counter: itertools.count[int]) -> Litestar:
    import asyncpg

    pools: list[Any] = []

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        pools.append(await asyncpg.create_pool(url, min_size=1, max_size=10))
        yield
        await pools[0].close()

    @post("/bare", status_code=201)
    async def store(data: dict[str, Any]) -> dict[str, int]:
        async with pools[0].acquire() as conn, conn.transaction():
            rid = await conn.fetchval(
                "INSERT INTO bare_request (number, form) VALUES ($1, $2) RETURNING id",
                str(next(counter)),
                msgspec.json.encode(data).decode(),
            )
            await conn.execute(
                "INSERT INTO bare_audit (subject, details) VALUES ($1, $2)", rid, "{}"
            )
        return {"id": int(rid)}

    return Litestar([store], lifespan=[lifespan], openapi_config=None)


def _submission_sqlite(path: str, counter: itertools.count[int]) -> Litestar:
    import aiosqlite

    kept: list[aiosqlite.Connection] = []
    lock = asyncio.Lock()

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        kept.append(await aiosqlite.connect(path, isolation_level=None))
        yield
        await kept[0].close()

    @post("/bare", status_code=201)
    async def store(data: dict[str, Any]) -> dict[str, int]:
        conn = kept[0]
        async with lock:
            await conn.execute("BEGIN IMMEDIATE")
            cursor = await conn.execute(
                "INSERT INTO bare_request (number, form) VALUES (?, ?) RETURNING id",
                (str(next(counter)), msgspec.json.encode(data).decode()),
            )
            row = await cursor.fetchone()
            assert row is not None
            await conn.execute(
                "INSERT INTO bare_audit (subject, details) VALUES (?, ?)", (row[0], "{}")
            )
            await conn.execute("COMMIT")
        return {"id": int(row[0])}

    return Litestar([store], lifespan=[lifespan], openapi_config=None)
