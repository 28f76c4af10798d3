"""What counts as "the database is unavailable", and how it is answered, on any engine
(the SQLite leg of CI has no PostgreSQL to break, so the drivers' exceptions are fed in
here; the outage itself is played in ``tests/api/test_outage.py``)."""

from __future__ import annotations

import asyncio
import logging
import socket
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg
import httpx
import pytest
from asyncpg import exceptions as pg
from litestar import Litestar, get
from litestar.params import FromPath
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template import TemplateConfig

from core.api.errors import HANDLERS
from core.api.outage import (
    MESSAGE,
    RETRY_AFTER,
    OneLine,
    is_database_unavailable,
    quiet_driver_logs,
)

WEB = Path(__file__).resolve().parents[2] / "core" / "web"


def sqlite_error(message: str, code: int | None) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(message)
    if code is not None:
        exc.sqlite_errorcode = code
    return exc


OUTAGES: dict[str, BaseException] = {
    "shutting down (57P03)": pg.CannotConnectNowError("the database system is shutting down"),
    "starting up (57P03)": pg.CannotConnectNowError("the database system is starting up"),
    "admin shutdown (57P01)": pg.AdminShutdownError(
        "terminating connection due to administrator command"
    ),
    "crash shutdown (57P02)": pg.CrashShutdownError(
        "terminating connection because of crash of another server process"
    ),
    "connection lost (08003)": pg.ConnectionDoesNotExistError(
        "connection was closed in the middle of operation"
    ),
    "connection failure (08006)": pg.ConnectionFailureError("connection failure"),
    "too many clients (53300)": pg.TooManyConnectionsError("sorry, too many clients already"),
    "pool closing": pg.InterfaceError("pool is closing"),
    "pool closed": pg.InterfaceError("pool is closed"),
    "connection closed": pg.InterfaceError("connection is closed"),
    "released connection closed": pg.InterfaceError(
        "cannot call Connection.fetch(): the underlying connection is closed"
    ),
    "sqlite cannot open": sqlite_error("unable to open database file", sqlite3.SQLITE_CANTOPEN),
    "sqlite disk I/O": sqlite_error("disk I/O error", sqlite3.SQLITE_IOERR),
    "sqlite disk I/O, extended code": sqlite_error("disk I/O error", 778),  # IOERR_WRITE
    "sqlite disk I/O, no code": sqlite3.OperationalError("disk I/O error"),
}

NOT_OUTAGES: dict[str, BaseException] = {
    "a bug": ValueError("oops"),
    "unique violation": pg.UniqueViolationError("duplicate key value"),
    "statement timeout (57014)": pg.QueryCanceledError("canceling statement due to timeout"),
    "protocol violation (08P01)": pg.ProtocolViolationError("protocol violation"),
    "driver misuse": pg.InterfaceError(
        "cannot perform operation: another operation is in progress"
    ),
    "refused outside the driver": ConnectionRefusedError(111, "Connection refused"),
    "file missing outside the driver": FileNotFoundError(2, "No such file", "/x"),
    "sqlite locked (its own 503)": sqlite_error("database is locked", sqlite3.SQLITE_BUSY),
    "sqlite constraint": sqlite3.IntegrityError("UNIQUE constraint failed: user.username"),
    "sqlite syntax": sqlite_error('near "SELEC": syntax error', sqlite3.SQLITE_ERROR),
}


@pytest.mark.parametrize("exc", OUTAGES.values(), ids=OUTAGES.keys())
def test_outages_are_recognised(exc: BaseException) -> None:
    assert is_database_unavailable(exc)


@pytest.mark.parametrize("exc", NOT_OUTAGES.values(), ids=NOT_OUTAGES.keys())
def test_other_errors_are_not_outages(exc: BaseException) -> None:
    assert not is_database_unavailable(exc)


def test_an_outage_behind_another_error_is_recognised() -> None:
    lost = pg.ConnectionDoesNotExistError("connection was closed in the middle of operation")
    wrapped = RuntimeError("the use case failed")
    wrapped.__cause__ = lost
    assert is_database_unavailable(wrapped)
    assert is_database_unavailable(ExceptionGroup("tasks", [ValueError("x"), lost]))
    assert not is_database_unavailable(ExceptionGroup("tasks", [ValueError("x")]))


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


async def test_a_refused_connection_from_the_driver_is_recognised() -> None:
    with pytest.raises(ConnectionRefusedError) as refused:
        await asyncpg.connect(f"postgresql://x@127.0.0.1:{closed_port()}/x", timeout=5)
    assert is_database_unavailable(refused.value)


@pytest.mark.parametrize(
    ("say_no_to_ssl", "expected"),
    [(False, ConnectionResetError), (True, pg.ConnectionDoesNotExistError)],
    ids=["reset at once", "closed after the SSL answer"],
)
async def test_a_cut_connection_from_the_driver_is_recognised(
    say_no_to_ssl: bool, expected: type[Exception]
) -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if say_no_to_ssl:
            await reader.readexactly(8)
            writer.write(b"N")
            await writer.drain()
            await reader.read(4)
        writer.transport.abort()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(expected) as cut:
            await asyncpg.connect(f"postgresql://x@127.0.0.1:{port}/x", timeout=5)
    finally:
        server.close()
    assert is_database_unavailable(cut.value)


async def test_an_unreachable_sqlite_file_is_recognised(tmp_path: Path) -> None:
    with pytest.raises(sqlite3.OperationalError) as direct:
        sqlite3.connect(tmp_path / "gone" / "db.sqlite3")
    assert is_database_unavailable(direct.value)
    with pytest.raises(sqlite3.OperationalError) as through_aiosqlite:
        await aiosqlite.connect(tmp_path / "gone" / "db.sqlite3")
    assert is_database_unavailable(through_aiosqlite.value)


def failing_app(exc: BaseException) -> Litestar:
    @get("/api/thing", sync_to_thread=False)
    def api() -> None:
        raise exc

    @get("/page/{lang:str}", sync_to_thread=False)
    def page(lang: FromPath[str]) -> None:
        raise exc

    return Litestar(
        route_handlers=[api, page],
        exception_handlers=HANDLERS,
        template_config=TemplateConfig(directory=WEB / "templates", engine=JinjaTemplateEngine),
        logging_config=None,  # leave the root logger (and caplog) alone
    )


@pytest.fixture
def call() -> Callable[[BaseException, str, dict[str, str]], Any]:
    async def call(exc: BaseException, url: str, headers: dict[str, str]) -> httpx.Response:
        transport = httpx.ASGITransport(app=failing_app(exc))  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get(url, headers=headers)

    return call


@pytest.mark.parametrize("exc", OUTAGES.values(), ids=OUTAGES.keys())
async def test_an_outage_answers_503_with_retry_after_and_one_log_line(
    exc: BaseException, call: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    r = await call(exc, "/api/thing", {"Accept": "text/html"})
    assert r.status_code == 503
    assert r.headers["retry-after"] == str(RETRY_AFTER)
    assert r.json() == {"status_code": 503, "detail": MESSAGE}
    [line] = [rec for rec in caplog.records if rec.name == "hromada.api"]
    assert line.exc_info is None
    message = line.getMessage()
    assert message.startswith("database unavailable on GET /api/thing: ")
    assert type(exc).__name__ in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("accept", "lang", "words"),
    [
        ("text/html,application/xhtml+xml,*/*;q=0.8", "uk", "тимчасово недоступна"),
        ("text/html", "en", "temporarily unavailable"),
    ],
)
async def test_a_page_gets_a_503_page_in_the_readers_language(
    call: Any, accept: str, lang: str, words: str
) -> None:
    exc = pg.CannotConnectNowError("the database system is starting up")
    r = await call(exc, f"/page/{lang}", {"Accept": accept, "Accept-Language": lang})
    assert r.status_code == 503
    assert r.headers["retry-after"] == str(RETRY_AFTER)
    assert r.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in r.text
    assert words in r.text
    as_json = await call(exc, f"/page/{lang}", {"Accept": "application/json"})
    assert as_json.json()["detail"] == MESSAGE


async def test_other_errors_keep_their_answers(call: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    assert (await call(ValueError("oops"), "/api/thing", {})).status_code == 500
    assert any(rec.exc_info for rec in caplog.records)  # a bug keeps its traceback
    locked = sqlite_error("database is locked", sqlite3.SQLITE_BUSY)
    busy = await call(locked, "/api/thing", {})
    assert busy.status_code == 503
    assert "зайнята" in busy.json()["detail"]


def test_the_pools_reconnect_failures_are_logged_on_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    quiet_driver_logs()
    quiet_driver_logs()
    pool_log = logging.getLogger("asyncpg.pool")
    caplog.set_level(logging.INFO)
    try:
        raise pg.CannotConnectNowError("the database system is starting up")
    except pg.PostgresError:
        pool_log.warning("Failed to restore the pool connection floor; retrying", exc_info=True)
    try:
        raise ValueError("something else")
    except ValueError:
        pool_log.warning("unrelated", exc_info=True)
    outage, other = [rec for rec in caplog.records if rec.name == "asyncpg.pool"]
    assert outage.exc_info is None
    assert outage.getMessage() == (
        "Failed to restore the pool connection floor; retrying: "
        "CannotConnectNowError: the database system is starting up"
    )
    assert other.exc_info is not None
    assert sum(isinstance(f, OneLine) for f in pool_log.filters) == 1
