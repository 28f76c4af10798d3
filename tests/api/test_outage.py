"""The database goes away: every request that needed it answers 503 with ``Retry-After``
and a bilingual message (never a 500), the log gets one line per failure (no traceback),
and the app serves again by itself once the database is back, with nothing acknowledged
lost.

The fault is played on the engine under test, through the whole app:

- PostgreSQL: the engine's pool is pointed at :class:`tests.pgproxy.PgProxy` in front of
  the real server, which drops connections, refuses them, answers "starting up" (57P03)
  and kills in-flight queries (57P01), then comes back;
- SQLite: the engine's file is pointed at a directory that does not exist ("unable to
  open database file"), then back.

Each test exists only on its engine (defined conditionally, not skipped: CI forbids
skips). The classifier itself is checked on both engines in ``tests/unit/test_outage.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import msgspec
import pytest
from litestar import Litestar

from core.db import engine as db_engine
from core.platform import Platform
from tests.funeral import funeral_form
from tests.world import PASSWORD, World

ON_POSTGRES = os.environ.get("HROMADA_TEST_DATABASE_URL", "").startswith("postgres")
UNAVAILABLE = (
    "База даних тимчасово недоступна, повторіть за кілька секунд / "
    "the database is temporarily unavailable, retry in a few seconds"
)


@pytest.fixture(autouse=True)
def _nothing_kept(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every request reads the database here, as in a process that keeps nothing: the
    municipalities a process keeps for ``cache_seconds`` would answer the catalogue
    through an outage (as they should), which is not what these tests look at."""
    monkeypatch.setattr(
        platform, "settings", msgspec.structs.replace(platform.settings, cache_seconds=0)
    )
    platform.forget()


@pytest.fixture
async def own_client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """A client of its own (no shared cookies) that runs each request in its own task,
    as a server does: what a failed request leaves in its context stays there."""

    async def per_task(scope: Any, receive: Any, send: Any) -> None:
        await asyncio.create_task(app(scope, receive, send))

    transport = httpx.ASGITransport(app=per_task)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def assert_unavailable(r: httpx.Response) -> None:
    assert r.status_code == 503, (r.request.method, r.request.url.path, r.status_code, r.text)
    assert int(r.headers["retry-after"]) > 0
    assert r.json()["detail"] == UNAVAILABLE


def assert_unavailable_page(r: httpx.Response, lang: str) -> None:
    """A page, not JSON, in the reader's language (its wording is the web layer's)."""
    assert r.status_code == 503, (r.request.url.path, r.status_code, r.text)
    assert int(r.headers["retry-after"]) > 0
    assert r.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in r.text


def assert_no_traceback(caplog: pytest.LogCaptureFixture, expected_lines: int) -> None:
    lines = [r for r in caplog.records if r.name == "hromada.api"]
    assert not [r for r in caplog.records if r.exc_info], caplog.text
    assert "Traceback" not in caplog.text
    unavailable = [r for r in lines if "database unavailable" in r.getMessage()]
    assert len(unavailable) == expected_lines, caplog.text
    for record in unavailable:
        assert "\n" not in record.getMessage()


async def submit(w: World) -> httpx.Response:
    body = {
        "service_code": "funeral_aid.lump_sum",
        "citizen_id": w.citizen_id,
        "channel": "front_office",
        "office_id": w.office_id,
        "form": funeral_form(),
    }
    r: httpx.Response = await w.post("intake", "/api/requests", body)
    return r


async def login(w: World) -> httpx.Response:
    r: httpx.Response = await w.post(
        None, "/api/auth/login", {"username": f"{w.slug}.caseworker", "password": PASSWORD}
    )
    w.client.cookies.clear()
    return r


def calls(w: World, request_id: int) -> list[Callable[[], Awaitable[httpx.Response]]]:
    """A read, two writes and an authenticated read (the token is checked in the database)."""
    return [
        lambda: w.get(None, "/api/services", params={"municipality": w.slug}),
        lambda: login(w),
        lambda: submit(w),
        lambda: w.get("caseworker", f"/api/requests/{request_id}"),
    ]


async def page(w: World, lang: str) -> httpx.Response:
    r: httpx.Response = await w.client.get(
        "/",
        params={"municipality": w.slug, "lang": lang},
        headers={"Accept": "text/html,*/*;q=0.8", "Accept-Language": lang},
    )
    return r


async def until_served(w: World, within: float) -> float:
    """Seconds until the catalogue answers 200 again (fails after ``within``)."""
    start = time.monotonic()
    while True:
        r = await w.get(None, "/api/services", params={"municipality": w.slug})
        if r.status_code == 200:
            return time.monotonic() - start
        assert r.status_code == 503, r.text
        assert time.monotonic() - start < within, "the app did not recover"
        await asyncio.sleep(0.1)


if ON_POSTGRES:
    from piccolo.engine.postgres import PostgresEngine

    from tests.pgproxy import PgProxy

    @pytest.fixture
    async def proxy(database_url: str, world: World) -> AsyncIterator[PgProxy]:
        """The engine's pool goes through a proxy for the test, then back to the server."""
        db = db_engine.engine()
        assert isinstance(db, PostgresEngine)
        url = urlsplit(database_url)
        proxy = PgProxy(url.hostname or "127.0.0.1", url.port or 5432)
        await proxy.start()
        netloc = url.netloc.rsplit("@", 1)[0] + "@" if "@" in url.netloc else ""
        proxied = urlunsplit(url._replace(netloc=f"{netloc}127.0.0.1:{proxy.port}"))
        await db_engine.stop(db)
        await db.start_connection_pool(dsn=proxied, min_size=1, max_size=10)
        try:
            yield proxy
        finally:
            await proxy.resume()
            if db.pool is not None:
                try:
                    await asyncio.wait_for(db.pool.close(), 10)
                except TimeoutError:
                    db.pool.terminate()
                db.pool = None
            await proxy.close()
            await db_engine.start(db)

    async def test_postgres_outage_answers_503_and_the_app_recovers(
        world: World,
        proxy: PgProxy,
        own_client: httpx.AsyncClient,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        w = dataclasses.replace(world, client=own_client)
        before = await submit(w)
        assert before.status_code == 201, before.text
        acknowledged = before.json()
        assert (await login(w)).status_code == 200
        caplog.set_level(logging.INFO)
        caplog.clear()
        failures = 0

        # Connections dropped, then refused (the server is down).
        proxy.drop()
        proxy.refuse()
        for call in calls(w, acknowledged["id"]):
            assert_unavailable(await call())
            failures += 1
        assert_unavailable_page(await page(w, "en"), "en")
        assert_unavailable_page(await page(w, "uk"), "uk")
        failures += 2

        # Listening again but still recovering: FATAL 57P03 "the database system is
        # starting up" (asyncpg CannotConnectNowError).
        await proxy.resume()
        proxy.starting_up()
        for call in calls(w, acknowledged["id"]):
            assert_unavailable(await call())
            failures += 1

        # Fast shutdown while a query is in flight: 57P01 (AdminShutdownError), or the
        # connection simply cut (ConnectionDoesNotExistError); new connections refused.
        for sqlstate in ("57P01", None):
            await proxy.resume()
            await until_served(w, within=5)
            for call in calls(w, acknowledged["id"]):
                await until_served(w, within=5)
                proxy.hold()
                pending = asyncio.ensure_future(call())
                await asyncio.wait_for(proxy.holding.wait(), 5)
                proxy.drop(sqlstate, "terminating connection due to administrator command")
                proxy.refuse()
                assert_unavailable(await pending)
                failures += 1
                await proxy.resume()

        # Back: served again within a few seconds, without restarting anything.
        await proxy.resume()
        assert await until_served(w, within=5) < 5
        assert (await login(w)).status_code == 200
        after = await submit(w)
        assert after.status_code == 201, after.text
        again = await w.get("caseworker", f"/api/requests/{acknowledged['id']}")
        assert again.status_code == 200, again.text
        assert again.json()["journal_number"] == acknowledged["journal_number"]
        assert_no_traceback(caplog, failures)

else:
    from piccolo.engine.sqlite import SQLiteEngine

    @contextlib.contextmanager
    def unreachable_file(where: Path) -> Iterator[None]:
        """The engine's database file is, for a while, in a directory that does not exist."""
        db = db_engine.engine()
        assert isinstance(db, SQLiteEngine)
        path = db.path
        db.path = str(where / "gone" / "hromada.sqlite3")
        try:
            yield
        finally:
            db.path = path

    async def test_sqlite_file_unreachable_answers_503_and_the_app_recovers(
        world: World,
        own_client: httpx.AsyncClient,
        tmp_path: Path,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        w = dataclasses.replace(world, client=own_client)
        before = await submit(w)
        assert before.status_code == 201, before.text
        acknowledged = before.json()
        caplog.set_level(logging.INFO)
        caplog.clear()
        with unreachable_file(tmp_path):
            for call in calls(w, acknowledged["id"]):
                assert_unavailable(await call())
            assert_unavailable_page(await page(w, "en"), "en")
            assert_unavailable_page(await page(w, "uk"), "uk")
        assert await until_served(w, within=5) < 5
        again = await w.get("caseworker", f"/api/requests/{acknowledged['id']}")
        assert again.status_code == 200, again.text
        assert_no_traceback(caplog, 6)
