"""Sign-in limits: an account locks after wrong passwords in a row, a client address is
throttled after many failures, and a refused attempt never runs argon2."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import httpx
import msgspec
import pytest
import time_machine
from litestar import Litestar

from core import clock
from core.db.tables import AuditLog, User
from core.workflow import users
from tests.world import PASSWORD, World

LOCK_AFTER = 3


@pytest.fixture
def limits(app: Litestar) -> Iterator[None]:
    """Small limits for this test (the deployment's defaults are 10 and 30)."""
    platform = app.state.platform
    before = platform.settings
    platform.settings = msgspec.structs.replace(
        before, login_failures_before_lock=LOCK_AFTER, login_lock_seconds=600
    )
    app.state.login_throttle = users.AddressThrottle(6, 300)
    try:
        yield
    finally:
        platform.settings = before
        app.state.login_throttle = None


@pytest.fixture
async def elsewhere(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """A client at an address of its own, so its failures count only against it."""
    transport = httpx.ASGITransport(app=app, client=("192.0.2.7", 4000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password argon2 checks."""
    seen: list[str] = []
    real = users._hasher

    class Counting:
        def verify(self, hash: Any, password: Any) -> bool:
            seen.append(password)
            return real.verify(hash, password)

        def hash(self, password: Any) -> str:
            return real.hash(password)

    monkeypatch.setattr(users, "_hasher", Counting())
    return seen


async def _login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    r = await client.post("/api/auth/login", json={"username": username, "password": password})
    client.cookies.clear()
    return r


async def _actions(subject_id: int | None, action: str) -> list[dict[str, Any]]:
    query = AuditLog.select().where(AuditLog.action == action)
    if subject_id is not None:
        query = query.where(AuditLog.subject_id == subject_id)
    return list(await query)


@pytest.mark.usefixtures("limits")
async def test_wrong_passwords_lock_the_account_until_an_admin_unlocks_it(
    world: World, elsewhere: httpx.AsyncClient, verifications: list[str]
) -> None:
    username = f"{world.slug}.intake"
    user_id = world.actors["intake"].id
    for _ in range(LOCK_AFTER):
        assert (await _login(elsewhere, username, "wrong password")).status_code == 401
    verifications.clear()
    # The right password no longer helps, from this address or another, and is not checked.
    for client in (elsewhere, world.client):
        r = await _login(client, username, PASSWORD)
        assert r.status_code == 429, r.text
        assert 1 <= int(r.headers["retry-after"]) <= 600
        assert "заблоковано" in r.json()["detail"]
        assert "locked" in r.json()["detail"]
    assert verifications == []
    locked = await _actions(user_id, "auth.locked")
    assert len(locked) == 1
    assert locked[0]["municipality"] == world.municipality_id
    listed = {u["id"]: u for u in (await world.get("admin", "/api/users")).json()}
    assert listed[user_id]["locked_until"] is not None

    r = await world.post("admin", f"/api/users/{user_id}/unlock")
    assert r.status_code == 200, r.text
    assert r.json()["locked_until"] is None
    assert await _actions(user_id, "user.unlock")
    assert (await _login(elsewhere, username, PASSWORD)).status_code == 200


@pytest.mark.usefixtures("limits")
async def test_a_lock_ends_after_its_time_out_and_a_success_resets_the_count(
    world: World, elsewhere: httpx.AsyncClient
) -> None:
    username = f"{world.slug}.auditor"
    for _ in range(LOCK_AFTER):
        await _login(elsewhere, username, "wrong password")
    assert (await _login(elsewhere, username, PASSWORD)).status_code == 429
    with time_machine.travel(clock.now() + timedelta(seconds=601), tick=False):
        elsewhere_throttle_free = await _login(world.client, username, PASSWORD)
        assert elsewhere_throttle_free.status_code == 200
    row = await User.select(User.failed_logins, User.locked_until).where(User.username == username)
    assert row == [{"failed_logins": 0, "locked_until": None}]
    # Failures not in a row never lock.
    for _ in range(2):
        for _ in range(LOCK_AFTER - 1):
            await _login(world.client, username, "wrong password")
        assert (await _login(world.client, username, PASSWORD)).status_code == 200


@pytest.mark.usefixtures("limits")
async def test_an_address_is_throttled_without_running_argon2(
    world: World, elsewhere: httpx.AsyncClient, verifications: list[str]
) -> None:
    for n in range(6):
        assert (await _login(elsewhere, f"nobody-{n}", "guess")).status_code == 401
    verifications.clear()
    r = await _login(elsewhere, f"{world.slug}.caseworker", PASSWORD)
    assert r.status_code == 429
    assert 1 <= int(r.headers["retry-after"]) <= 300
    assert "too many failed sign-ins" in r.json()["detail"]
    assert verifications == []
    throttled = [
        a for a in await _actions(None, "auth.throttled") if "192.0.2.7" in str(a["details"])
    ]
    assert len(throttled) == 1
    # Another address is not affected.
    assert (await _login(world.client, f"{world.slug}.caseworker", PASSWORD)).status_code == 200


@pytest.mark.usefixtures("limits")
async def test_the_sign_in_page_shows_the_lock_in_the_users_language(
    world: World, elsewhere: httpx.AsyncClient
) -> None:
    username = f"{world.slug}.accountant"
    for _ in range(LOCK_AFTER):
        await _login(elsewhere, username, "wrong password")
    page = await elsewhere.get("/sign-in?lang=en")
    token = page.text.split('name="_csrf" value="')[1].split('"')[0]
    r = await elsewhere.post(
        "/sign-in",
        data={"username": username, "password": PASSWORD, "_csrf": token},
    )
    elsewhere.cookies.clear()
    assert r.status_code == 429
    assert r.headers["retry-after"]
    assert r.headers["content-type"].startswith("text/html")
    assert "The account is locked" in r.text
    assert "hromada_session" not in r.headers.get("set-cookie", "")
