"""The database is unavailable (down, restarting, unreachable): 503, not 500.

A request that fails because the database went away did nothing, or its outcome is
unknown; the client should retry in a few seconds. :func:`is_database_unavailable` tells
such failures from bugs; :func:`unavailable` answers them with 503, ``Retry-After`` and a
bilingual message (a page in the reader's language for the public pages), and logs one
line, not a traceback: an outage is an operational event, and a traceback per request
would bury the log while the database restarts.

Recognised, PostgreSQL (asyncpg):

- connection refused, reset, unreachable, timed out: an ``OSError`` (ConnectionRefusedError,
  ConnectionResetError, TimeoutError, ...) raised inside the driver;
- SQLSTATE class 08, connection exceptions (ConnectionDoesNotExistError "connection was
  closed in the middle of operation", ConnectionFailureError, ...), but not 08P01, a
  protocol violation, which is a bug;
- 57P01 admin shutdown, 57P02 crash shutdown, 57P03 "the database system is starting up"
  / "is shutting down" (CannotConnectNowError), and 53300 too many connections;
- InterfaceError about a closed or closing pool or connection ("pool is closing",
  "connection is closed"), as while the app shuts down or a connection died under it.

SQLite: "unable to open database file" (SQLITE_CANTOPEN) and disk I/O errors
(SQLITE_IOERR and its extended codes). A locked database ("database is locked") has its
own 503 in :mod:`core.api.errors`.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from types import TracebackType
from typing import Any

from litestar import MediaType, Request, Response
from litestar.response import Template

from core.api.deps import lang_of

log = logging.getLogger("hromada.api")

#: Seconds a client should wait before retrying (a restart takes a few seconds).
RETRY_AFTER = 5

MESSAGE = (
    "База даних тимчасово недоступна, повторіть за кілька секунд / "
    "the database is temporarily unavailable, retry in a few seconds"
)

PAGE: dict[str, dict[str, str]] = {
    "uk": {
        "title": "Сервіс тимчасово недоступний",
        "text": "База даних тимчасово недоступна. Сторінка оновиться сама за кілька секунд.",
        "again": "Оновити зараз",
    },
    "en": {
        "title": "Service temporarily unavailable",
        "text": (
            "The database is temporarily unavailable. "
            "This page will reload by itself in a few seconds."
        ),
        "again": "Reload now",
    },
}

_PG_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})
_PG_NOT_OUTAGE = frozenset({"08P01"})
_CLOSED = re.compile(r"\b(pool|connection) (is|was|has been) (closed|closing)\b", re.IGNORECASE)
_SQLITE_CODES = frozenset({sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR})
_SQLITE_MESSAGES = ("unable to open database file", "disk i/o error")
#: Modules whose ``OSError`` means the database could not be reached.
_DRIVERS = ("asyncpg", "aiosqlite", "piccolo.engine")


def is_database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` (or what it was raised from) means the database is unreachable."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, BaseExceptionGroup):
            todo.extend(e.exceptions)
        elif _unavailable(e):
            return True
        if e.__cause__ is not None:
            todo.append(e.__cause__)
    return False


def _unavailable(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.Error):
        return _sqlite_unavailable(exc)
    if isinstance(exc, OSError):
        return _raised_in_driver(exc.__traceback__)
    if not type(exc).__module__.startswith("asyncpg"):
        return False
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate in _PG_SQLSTATES or (
            sqlstate.startswith("08") and sqlstate not in _PG_NOT_OUTAGE
        )
    names = {cls.__name__ for cls in type(exc).__mro__}
    return "InterfaceError" in names and _CLOSED.search(str(exc)) is not None


def _sqlite_unavailable(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        # Extended result codes keep the primary code in the low byte.
        return code & 0xFF in _SQLITE_CODES
    return str(exc).lower().startswith(_SQLITE_MESSAGES)


def _raised_in_driver(tb: TracebackType | None) -> bool:
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if isinstance(module, str) and module.startswith(_DRIVERS):
            return True
        tb = tb.tb_next
    return False


class OneLine(logging.Filter):
    """Turns a driver's log record about an outage into one line, without its traceback.

    asyncpg's pool keeps reconnecting its minimum of connections in the background and
    logs each failed attempt with a traceback ("Failed to restore the pool connection
    floor; retrying"); while the database restarts, one line per attempt says as much.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and is_database_unavailable(exc):
            record.msg = f"{record.getMessage()}: {type(exc).__name__}: {_one_line(str(exc))}"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


#: The loggers of the database drivers that log outages with tracebacks.
DRIVER_LOGGERS = ("asyncpg.pool",)


def quiet_driver_logs() -> None:
    """Install :class:`OneLine` on the drivers' loggers (once)."""
    for name in DRIVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OneLine) for f in logger.filters):
            logger.addFilter(OneLine())


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _wants_page(request: Request[Any, Any, Any]) -> bool:
    """A public page (not the API) asked for by a browser gets a page, not JSON."""
    path = request.url.path
    if (
        path.startswith(("/api/", "/schema"))
        or path == "/api"
        or request.app.template_engine is None
    ):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept and (
        request.accept.best_match(["text/html", "application/json"]) == "text/html"
    )


def unavailable(request: Request[Any, Any, Any], exc: BaseException) -> Response[Any]:
    """503 with ``Retry-After``; one log line naming the request and the failure."""
    log.warning(
        "database unavailable on %s %s: %s: %s",
        request.method,
        request.url.path,
        type(exc).__name__,
        _one_line(str(exc)),
    )
    headers = {"Retry-After": str(RETRY_AFTER)}
    if _wants_page(request):
        lang = lang_of(request, request.query_params.get("lang"))
        return Template(
            "unavailable.html",
            context={"lang": lang, "t": PAGE[lang], "retry_after": RETRY_AFTER},
            status_code=503,
            headers=headers,
        )
    return Response(
        {"status_code": 503, "detail": MESSAGE},
        status_code=503,
        headers=headers,
        media_type=MediaType.JSON,
    )
