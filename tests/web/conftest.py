"""Pages through the application in-process: a client of its own per test (the shared
``client`` must keep no cookies), following no redirects, like a browser's first hop."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import msgspec
import pytest
from litestar import Litestar

from core.db.tables import OutboxMessage
from core.platform import Platform
from tests.mailbox import SITE, Mailbox, smtp_server
from tests.world import PASSWORD

TOKEN = re.compile(r'name="_csrf" value="([0-9a-f]{64})"')


def form_token(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "the page has no form token"
    return found.group(1)


@pytest.fixture
async def visitor(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={"Accept": "text/html"}
    ) as client:
        yield client


async def sign_in(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD, next_page: str = ""
) -> httpx.Response:
    page = await client.get("/sign-in")
    data = {"username": username, "password": password, "_csrf": form_token(page.text)}
    if next_page:
        data["next"] = next_page
    return await client.post("/sign-in", data=data)


@pytest.fixture
async def smtp(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Mailbox]:
    """A local SMTP server, and the platform's settings sending e-mail to it (with the
    site's address :data:`tests.mailbox.SITE` in the links). Messages earlier tests left
    waiting (a reminder that comes due at the session's moment) are withdrawn first, so
    the box holds this test's messages only."""
    await OutboxMessage.update({OutboxMessage.status: "cancelled"}).where(
        OutboxMessage.status == "pending"
    )
    with smtp_server() as box:
        settings = msgspec.structs.replace(
            platform.settings, smtp_host="127.0.0.1", smtp_port=box.port, public_url=SITE
        )
        monkeypatch.setattr(platform, "settings", settings)
        yield box
