"""Browser tests: Debian's Chromium driven by Playwright against a running server.

The server (``server.py``) and the browser start once for this folder's tests, with the
demo loaded, and stop after them; each test gets a fresh browser context (no cookies)
through the ``desk`` fixture. Under CI a missing
Chromium fails the run (``.ci/run`` installs it); elsewhere the tests are skipped with
the reason.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Generator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from tests.e2e.browser import ARTIFACTS, Desk
from tests.e2e.server import Server, e2e_database_url
from tests.mailbox import Mailbox, smtp_server

CHROMIUM = Path(os.environ.get("HROMADA_E2E_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def chromium() -> str:
    if CHROMIUM.exists():
        return str(CHROMIUM)
    reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def mailbox() -> Iterator[Mailbox]:
    """The SMTP server the e2e server sends its e-mail to."""
    with smtp_server() as box:
        yield box


@pytest.fixture(scope="package")
async def e2e_server(
    chromium: str, tmp_session_dir: Path, mailbox: Mailbox
) -> AsyncIterator[Server]:
    server = await Server.start(
        e2e_database_url(tmp_session_dir), ARTIFACTS / "server.log", smtp_port=mailbox.port
    )
    yield server
    await server.stop()


@pytest.fixture(scope="package")
async def browser(chromium: str) -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(
            executable_path=chromium, args=["--disable-dev-shm-usage", "--disable-gpu"]
        )
        yield launched
        await launched.close()


FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


@pytest.fixture
async def desk(
    request: pytest.FixtureRequest, browser: Browser, e2e_server: Server
) -> AsyncIterator[Desk]:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    context = await browser.new_context(
        base_url=e2e_server.url,
        viewport={"width": 1280, "height": 900},
        # The browser asks for English: the desk still opens in Ukrainian.
        locale="en-US",
    )
    page = await context.new_page()
    yield Desk(page=page, server=e2e_server, folder=ARTIFACTS / name)
    if request.node.stash.get(FAILED, False):
        shot = ARTIFACTS / name / "failure.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(shot), full_page=True)
        print(f"\nscreenshot of the failure: {shot}")
    await context.close()
