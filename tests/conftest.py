"""Test set-up: the shipped test kit's (:mod:`core.testkit.pytest_plugin`, active through
its ``pytest11`` entry point) under the names the project's tests use. One database per
test session, SQLite by default or PostgreSQL when ``HROMADA_TEST_DATABASE_URL`` names
one. Database tests are never skipped: under CI a skipped test fails the run.

"Now" is set in the kit's plugin and nowhere else: ``HROMADA_TEST_NOW`` (an ISO date-time with its
offset, e.g. ``2026-12-31T23:30:00+02:00``) moves the whole session's clock there, and it
ticks on from that instant; unset, the session runs at the real time. CI runs the suite
at several such instants (the last day of a month, New Year, 29 February, a Saturday, a
Monday) besides the real one: a test that passes only on some dates is a failing test."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from core.platform import Platform
from core.testkit.world import World


@pytest.fixture(scope="session")
def tmp_session_dir(hromada_tmp: Path) -> Path:
    return hromada_tmp


@pytest.fixture(scope="session")
def database_url(hromada_database_url: str) -> str:
    return hromada_database_url


@pytest.fixture(scope="session")
def platform(hromada_platform: Platform) -> Platform:
    return hromada_platform


@pytest.fixture(scope="session")
def app(hromada_app: Litestar) -> Litestar:
    return hromada_app


@pytest.fixture(scope="session")
def client(hromada_client: httpx.AsyncClient) -> httpx.AsyncClient:
    return hromada_client


@pytest.fixture
def world(hromada_world: World) -> World:
    """A fresh municipality with a user of every role, a few citizens and a provider.

    Every plugin of the deployment is enabled in it, unless the test is marked, e.g.
    ``@pytest.mark.world_plugins("funeral_aid")`` for a catalogue of funeral aid only.
    """
    return hromada_world


@pytest.fixture(autouse=True)
def _fresh_login_throttle(request: pytest.FixtureRequest) -> None:
    """Each test starts with no failed sign-ins counted against the test client's address
    (the app, and so its in-process throttle, lives for the whole session)."""
    if "app" in request.fixturenames:
        throttle = getattr(request.getfixturevalue("app").state, "login_throttle", None)
        if throttle is not None:
            throttle.clear()
