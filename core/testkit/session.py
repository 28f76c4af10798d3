"""A platform for a test session: one database (a temporary SQLite file, or the
PostgreSQL database ``HROMADA_TEST_DATABASE_URL`` names, whose ``public`` schema is
dropped and made anew), migrated, with the plugins under test; and an HTTP client that
calls the application in the test's own event loop.

The project's own tests and the kit's pytest plugin (:mod:`core.testkit.pytest_plugin`)
both start their platform here.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx
from litestar import Litestar

from core.config import Settings, builtin_plugins
from core.db import engine as db_engine
from core.db.migrate import migrate
from core.platform import Platform


def database_url(tmp: Path) -> str:
    """``HROMADA_TEST_DATABASE_URL``, or a new SQLite file in ``tmp``."""
    url = os.environ.get("HROMADA_TEST_DATABASE_URL", "")
    return url or f"sqlite:///{tmp / 'test.sqlite3'}"


def plugins_under_test(default: Sequence[str] | None = None) -> tuple[str, ...]:
    """The plugins ``HROMADA_TEST_PLUGINS`` names (comma-separated), else ``default``,
    else the built-in ones."""
    chosen = os.environ.get("HROMADA_TEST_PLUGINS", "")
    named = tuple(p.strip() for p in chosen.split(",") if p.strip())
    return named or tuple(default or ()) or builtin_plugins()


async def reset_postgres(url: str) -> None:
    """Drop and make anew the ``public`` schema: point it at a database for tests only."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


@asynccontextmanager
async def session_platform(url: str, plugins: Sequence[str], tmp: Path) -> AsyncIterator[Platform]:
    """A migrated platform on ``url`` with ``plugins`` enabled in the deployment; mail and
    SMS go to files under ``tmp`` (sessions may run side by side)."""
    if url.startswith("postgres"):
        await reset_postgres(url)
    settings = Settings(
        database_url=url,
        plugins=tuple(plugins),
        mail_dir=str(tmp / "mail"),
        sms_dir=str(tmp / "sms"),
    )
    platform = Platform(settings)
    platform.bind_database()
    db = db_engine.engine()
    await db_engine.start(db)
    try:
        await migrate()
        yield platform
    finally:
        await db_engine.stop(db)


@asynccontextmanager
async def asgi_client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """The app called in the caller's own event loop (an asyncpg pool cannot cross loops,
    and Litestar's test client runs the app in a portal thread). The lifespan's work (the
    pool) is :func:`session_platform`'s."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
