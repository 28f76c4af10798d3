"""The test kit's pytest plugin, registered under the ``pytest11`` entry point: installed
with Hromada, it is active in every pytest session of the environment, the project's own
and an outside plugin package's.

Fixtures (all named ``hromada_*``, so they never clash with a package's own):

- ``hromada_platform`` (session): a migrated platform on a temporary SQLite file, or on
  the PostgreSQL database ``HROMADA_TEST_DATABASE_URL`` names (its ``public`` schema is
  dropped first); the deployment enables the plugins ``HROMADA_TEST_PLUGINS`` names
  (comma-separated), else the built-in ones.
- ``hromada_app`` (session), ``hromada_client`` (session): the Litestar app and an
  ``httpx.AsyncClient`` calling it in the test's event loop.
- ``hromada_world``: a fresh municipality (:class:`core.testkit.world.World`) with a user
  of every role, two citizens, two providers and an office; every plugin of the
  deployment is enabled in it unless the test is marked
  ``@pytest.mark.world_plugins("meals_on_wheels")``.

And two rules for every session:

- **The time.** ``HROMADA_TEST_NOW`` (an ISO date-time with its offset) moves the whole
  session's clock there with time-machine before anything is collected; it ticks on.
  A process the session starts later can catch up with it: :data:`NOW_SINCE` holds the
  real time the clock set off (``tests/e2e/serve.py`` does).
- **No silent skips.** When ``CI`` is set, a skipped test fails the run.

The fixtures are asynchronous: the package's tests run under pytest-asyncio in one
session-wide loop (``asyncio_mode = "auto"``, ``asyncio_default_fixture_loop_scope`` and
``asyncio_default_test_loop_scope`` ``"session"``), as the scaffold's ``pyproject.toml``
sets.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import httpx
    from litestar import Litestar

    from core.platform import Platform
    from core.testkit.world import World

#: The real time (seconds since the epoch) at which the session's clock was set to
#: ``HROMADA_TEST_NOW``: a process the session starts adds the time gone since.
NOW_SINCE = "HROMADA_TEST_NOW_SINCE"

_travel: list[Any] = []
_skipped: list[str] = []


def session_now() -> datetime | None:
    """The instant ``HROMADA_TEST_NOW`` names (offset required), or None for the real time."""
    raw = os.environ.get("HROMADA_TEST_NOW", "").strip()
    if not raw:
        return None
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise pytest.UsageError(f"HROMADA_TEST_NOW={raw!r} needs a UTC offset, e.g. +02:00")
    return moment


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "world_plugins(*names): the plugins enabled in the test municipality (default: all)",
    )
    moment = session_now()
    if moment is not None:
        import time_machine

        # The real time the session's clock set off, for the processes it starts later
        # (servers, workers): they travel to HROMADA_TEST_NOW plus the time gone since,
        # so that their "now" is the session's, not minutes behind it.
        os.environ[NOW_SINCE] = repr(time.time())
        trip = time_machine.travel(moment, tick=True)
        trip.start()
        _travel.append(trip)


def pytest_unconfigure(config: pytest.Config) -> None:
    while _travel:
        _travel.pop().stop()
    os.environ.pop(NOW_SINCE, None)


def pytest_report_header() -> str:
    moment = session_now()
    return f"hromada clock: {moment.isoformat() if moment else 'real time'}"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI") and _skipped:
        print(f"\nCI forbids skipped tests; skipped: {_skipped}")
        session.exitstatus = 1


def _report_engine() -> None:
    """Tell CI which engine really ran the tests (HROMADA_TEST_ENGINE_REPORT names a file)."""
    from core.db import engine as db_engine

    report = os.environ.get("HROMADA_TEST_ENGINE_REPORT")
    if report:
        kind = type(db_engine.engine())
        name = next(c.__name__ for c in kind.__mro__ if c.__module__.startswith("piccolo"))
        Path(report).write_text(name + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def hromada_tmp() -> Iterator[Path]:
    """The session's own folder (the SQLite file, mail and SMS files)."""
    with tempfile.TemporaryDirectory(prefix="hromada-test-") as tmp:
        yield Path(tmp)


def _async_fixture(scope: str = "session") -> Any:
    """An async fixture run in the session's event loop (the pool lives there)."""
    import pytest_asyncio

    return pytest_asyncio.fixture(scope=scope, loop_scope="session")  # type: ignore[call-overload]


@pytest.fixture(scope="session")
def hromada_database_url(hromada_tmp: Path) -> str:
    """The session's database: ``HROMADA_TEST_DATABASE_URL`` or a temporary SQLite file."""
    from core.testkit.session import database_url

    return database_url(hromada_tmp)


@_async_fixture()
async def hromada_platform(hromada_database_url: str, hromada_tmp: Path) -> AsyncIterator[Platform]:
    from core.testkit.session import plugins_under_test, session_platform

    url = hromada_database_url
    async with session_platform(url, plugins_under_test(), hromada_tmp) as platform:
        _report_engine()
        yield platform


@pytest.fixture(scope="session")
def hromada_app(hromada_platform: Platform) -> Litestar:
    from core.api.app import create_app

    return create_app(hromada_platform)


@_async_fixture()
async def hromada_client(hromada_app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    from core.testkit.session import asgi_client

    async with asgi_client(hromada_app) as client:
        yield client


@_async_fixture(scope="function")
async def hromada_world(
    request: pytest.FixtureRequest, hromada_platform: Platform, hromada_client: httpx.AsyncClient
) -> World:
    from core.testkit.world import make_world

    marker = request.node.get_closest_marker("world_plugins")
    plugins = list(marker.args) if marker else None
    return await make_world(hromada_platform, hromada_client, plugins=plugins)
