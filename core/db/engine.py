"""Engine set-up: the configured database, bound to every table of the core and plugins.

Piccolo finds its engine through ``piccolo_conf`` (see :mod:`core.db.piccolo_conf`,
which reads from here), so ``configure()`` must run before any query.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import import_module
from typing import Any, TypeVar

from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import AppConfig, AppRegistry
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from core.db.sqlite_kept import KeptSQLiteEngine

T = TypeVar("T")

CORE_APP = "core.db.piccolo_app"

os.environ.setdefault("PICCOLO_CONF", "core.db.piccolo_conf")


class _State:
    engine: Engine | None = None
    registry: AppRegistry | None = None
    url: str = ""


state = _State()


#: Settings of every PostgreSQL connection: none. Statements keep PostgreSQL's own plan
#: cache (``plan_cache_mode = auto``): from a prepared statement's sixth run it may keep
#: one generic plan, which is what the reads and writes by key want (planning each run
#: cost a submission about 1.3 ms of PostgreSQL's CPU in four statements). The searches
#: and lists, whose best plan depends on the values, ask for their own plans
#: (:func:`planned_for_values`).
SERVER_SETTINGS: dict[str, str] = {}


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        return KeptSQLiteEngine(path=path, timeout=30)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresEngine(config={"dsn": url, "server_settings": SERVER_SETTINGS})
    raise ValueError(
        f"database_url {url!r}: expected sqlite:///<file> or postgresql://user@host:port/db"
    )


def configure(url: str, plugin_apps: list[str]) -> Engine:
    """Create the engine for ``url`` and bind every table of the given apps to it.

    Configuring the same URL again keeps the engine (and its pool), whatever the apps:
    every table ever bound keeps talking to the one engine, so a transaction on it covers
    them all (two engines on one SQLite file would wait on each other's write lock).
    """
    apps = [CORE_APP, *plugin_apps]
    if (
        state.engine is not None
        and state.url == url
        and state.registry is not None
        and state.registry.apps == apps
    ):
        return state.engine
    engine = state.engine if state.engine is not None and state.url == url else make_engine(url)
    registry = AppRegistry(apps=apps)
    state.engine, state.registry, state.url = engine, registry, url
    for table in all_tables(registry):
        table._meta.db = engine
    Migration._meta.db = engine
    return engine


def all_tables(registry: AppRegistry | None = None) -> list[type[Table]]:
    reg = registry or state.registry
    if reg is None:
        return []
    out: list[type[Table]] = []
    for app in reg.app_configs.values():
        out.extend(app.table_classes)
    return out


def app_config(path: str) -> AppConfig:
    config: AppConfig = import_module(path).APP_CONFIG
    return config


def engine() -> Engine:
    if state.engine is None:
        raise RuntimeError("the database is not configured: call core.db.engine.configure()")
    return state.engine


def current_transaction() -> Any:
    """The transaction this task is in, or None."""
    return engine().current_transaction.get()


def is_sqlite() -> bool:
    return isinstance(state.engine, SQLiteEngine)


async def _returned(connection: Any) -> None:
    """What a pooled PostgreSQL connection needs when it comes back: nothing more.

    asyncpg rolls back a transaction left open on a connection released to its pool, then
    by default sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET
    ALL`` as well: one more round trip, and a tenth of a submission's time in the web
    process, after each of the dozen statements a request runs outside a transaction.
    Hromada's connections take no session-level advisory lock (the person and batch locks
    are ``pg_advisory_xact_lock``, released at commit), open no cursor outside a
    transaction, listen to nothing (the job queue has its own connections) and change no
    setting for the session (``set_config(..., true)`` is the transaction's), so there is
    nothing to undo; a test keeps it so (tests/unit/test_engine_pool.py).
    """


async def start(db: Engine) -> None:
    """Open the pool (PostgreSQL) or set WAL mode (SQLite)."""
    if isinstance(db, SQLiteEngine):
        await db.run_ddl("PRAGMA journal_mode=WAL")
    elif isinstance(db, PostgresEngine) and db.pool is None:
        await db.start_connection_pool(min_size=1, max_size=10, reset=_returned)


async def stop(db: Engine) -> None:
    if isinstance(db, KeptSQLiteEngine):
        await db.close_kept()
    if isinstance(db, PostgresEngine) and db.pool is not None:
        await db.close_connection_pool()
        db.pool = None


#: One write transaction at a time per event loop on SQLite (see write_transaction).
_sqlite_writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _sqlite_writer_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _sqlite_writers.get(loop)
    if lock is None:
        lock = _sqlite_writers[loop] = asyncio.Lock()
    return lock


async def write_at_once(work: Callable[[sqlite3.Connection], T]) -> T:
    """SQLite: run ``work`` in a write transaction of its own, in the connection's thread
    (:meth:`KeptSQLiteEngine.run_write`), in its turn among the process's writers."""
    db = engine()
    if not isinstance(db, KeptSQLiteEngine) or db.current_transaction.get() is not None:
        raise RuntimeError("write_at_once: SQLite's kept engine, outside a transaction")
    async with _sqlite_writer_lock():
        return await db.run_write(work)


@asynccontextmanager
async def planned_for_values() -> AsyncIterator[None]:
    """Run the statements inside planned for the values they are run with (PostgreSQL).

    asyncpg prepares every statement, and from a prepared statement's sixth run
    PostgreSQL may keep one generic plan for all values. For a search whose selectivity
    depends on the words typed, that plan walks the name index past every citizen when a
    rare name is sought (3.8 s at a million citizens, against 2 ms; docs/performance.md,
    "Search and lists at a city's scale"). Inside, the statements run in one read
    transaction with ``plan_cache_mode = force_custom_plan`` set for it alone
    (``SET LOCAL``); inside a caller's transaction they join it and the setting stays
    until its end. Nothing changes on SQLite, which plans every statement anew.
    """
    db = engine()
    if not isinstance(db, PostgresEngine):
        yield
        return
    async with db.transaction():
        await db.run_ddl("SET LOCAL plan_cache_mode = force_custom_plan")
        yield


@asynccontextmanager
async def write_transaction() -> AsyncIterator[Any]:
    """A transaction for a write use case: IMMEDIATE on SQLite (no lock upgrades).

    SQLite lets one transaction write at a time. Concurrent requests of one process
    used to open their ``BEGIN IMMEDIATE`` together and wait in SQLite's busy handler,
    which sleeps in growing steps (up to 100 ms) and wakes in no order: 39 submissions a
    second with a p99 of 3.3 s at 32 clients. They now queue on an asyncio lock of the
    process, first come first served, and take the file's lock only when it is their
    turn; other processes (a worker, a CLI command) still meet the busy handler. A
    write transaction opened inside another joins it, as Piccolo's nesting does.
    """
    db = engine()
    if isinstance(db, SQLiteEngine):
        if db.current_transaction.get() is not None:
            async with db.transaction(transaction_type=TransactionType.immediate) as tx:
                yield tx
            return
        async with (
            _sqlite_writer_lock(),
            db.transaction(transaction_type=TransactionType.immediate) as tx,
        ):
            yield tx
    else:
        async with db.transaction() as tx:
            yield tx
