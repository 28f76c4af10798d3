"""Test set-up: one database per test session, SQLite by default or PostgreSQL when
``HROMADA_TEST_DATABASE_URL`` names one. Database tests are never skipped: under CI a
skipped test fails the run.

"Now" is set here and nowhere else: ``HROMADA_TEST_NOW`` (an ISO date-time with its
offset, e.g. ``2026-12-31T23:30:00+02:00``) moves the whole session's clock there, and it
ticks on from that instant; unset, the session runs at the real time. CI runs the suite
at several such instants (the last day of a month, New Year, 29 February, a Saturday, a
Monday) besides the real one: a test that passes only on some dates is a failing test."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import asyncpg
import httpx
import pytest
import time_machine
from litestar import Litestar

from core.config import Settings, builtin_plugins
from core.db import engine as db_engine
from core.db.migrate import migrate
from core.platform import Platform
from tests.world import World, make_world


def session_now() -> datetime | None:
    """The instant ``HROMADA_TEST_NOW`` names (offset required), or None for the real time."""
    raw = os.environ.get("HROMADA_TEST_NOW", "").strip()
    if not raw:
        return None
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise pytest.UsageError(f"HROMADA_TEST_NOW={raw!r} needs a UTC offset, e.g. +02:00")
    return moment


_travel: list[time_machine.travel] = []


def pytest_configure(config: pytest.Config) -> None:
    """Travel to the session's "now" before anything is collected: the modules' own
    constants, the platform, the demo and every test read the time through
    ``core.clock``, which this moves."""
    moment = session_now()
    if moment is not None:
        trip = time_machine.travel(moment, tick=True)
        trip.start()
        _travel.append(trip)


def pytest_unconfigure(config: pytest.Config) -> None:
    while _travel:
        _travel.pop().stop()


def pytest_report_header() -> str:
    moment = session_now()
    return f"hromada clock: {moment.isoformat() if moment else 'real time'}"


def _database_url(tmp: Path) -> str:
    url = os.environ.get("HROMADA_TEST_DATABASE_URL", "")
    return url or f"sqlite:///{tmp / 'test.sqlite3'}"


async def _reset_postgres(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def tmp_session_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="hromada-test-") as tmp:
        yield Path(tmp)


@pytest.fixture(scope="session")
def database_url(tmp_session_dir: Path) -> str:
    return _database_url(tmp_session_dir)


def plugins_under_test() -> tuple[str, ...]:
    """The built-in plugins, or those ``HROMADA_TEST_PLUGINS`` names (comma-separated)."""
    chosen = os.environ.get("HROMADA_TEST_PLUGINS", "")
    return tuple(p.strip() for p in chosen.split(",") if p.strip()) or builtin_plugins()


def _report_engine(name: str) -> None:
    """Tell CI which engine really ran the tests (HROMADA_TEST_ENGINE_REPORT names a file)."""
    report = os.environ.get("HROMADA_TEST_ENGINE_REPORT")
    if report:
        Path(report).write_text(name + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
async def platform(database_url: str, tmp_session_dir: Path) -> AsyncIterator[Platform]:
    if database_url.startswith("postgres"):
        await _reset_postgres(database_url)
    # Mail and SMS files go to the session's own folder: sessions may run side by side.
    settings = Settings(
        database_url=database_url,
        plugins=plugins_under_test(),
        mail_dir=str(tmp_session_dir / "mail"),
        sms_dir=str(tmp_session_dir / "sms"),
    )
    platform = Platform(settings)
    platform.bind_database()
    db = db_engine.engine()
    await db_engine.start(db)
    await migrate()
    # The engine's kind (the kept-connection SQLite engine is an SQLiteEngine).
    _report_engine(next(c.__name__ for c in type(db).__mro__ if c.__module__.startswith("piccolo")))
    yield platform
    await db_engine.stop(db)


@pytest.fixture(scope="session")
def app(platform: Platform) -> Litestar:
    from core.api.app import create_app

    return create_app(platform)


@pytest.fixture(scope="session")
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """The app called in the test's own event loop (an asyncpg pool cannot cross loops, and
    Litestar's test client runs the app in a portal thread). The lifespan's work (pool
    start/stop) is the ``platform`` fixture's."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def world(
    request: pytest.FixtureRequest, platform: Platform, client: httpx.AsyncClient
) -> World:
    """A fresh municipality with a user of every role, a few citizens and a provider.

    Every plugin of the deployment is enabled in it, unless the test is marked, e.g.
    ``@pytest.mark.world_plugins("funeral_aid")`` for a catalogue of funeral aid only.
    """
    marker = request.node.get_closest_marker("world_plugins")
    return await make_world(platform, client, plugins=list(marker.args) if marker else None)


_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI") and _skipped:
        print(f"\nCI forbids skipped tests; skipped: {_skipped}")
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _fresh_login_throttle(request: pytest.FixtureRequest) -> None:
    """Each test starts with no failed sign-ins counted against the test client's address
    (the app, and so its in-process throttle, lives for the whole session)."""
    if "app" in request.fixturenames:
        throttle = getattr(request.getfixturevalue("app").state, "login_throttle", None)
        if throttle is not None:
            throttle.clear()
