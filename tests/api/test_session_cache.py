"""A process keeps a session it has read for ``session_cache_seconds``: signing out, a
deactivation or a new role made through the process end it there at once, another
process's within that time, and the session's expiry is checked at every request."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, timedelta

import msgspec
import pytest
import time_machine

from core import clock
from core.db.tables import SessionToken, User
from core.platform import Platform
from core.workflow import users
from tests.api.test_statement_count import counted
from tests.world import World


@pytest.fixture
def keep_half_a_second(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(
        platform,
        "settings",
        msgspec.structs.replace(platform.settings, session_cache_seconds=0.5),
    )
    users.forget_sessions()
    yield
    users.forget_sessions()


def _session_reads(seen: list[str]) -> list[str]:
    return [s for s in seen if '"session_token"' in s]


async def test_a_session_is_read_once_while_it_is_kept(
    world: World, monkeypatch: pytest.MonkeyPatch, keep_half_a_second: None
) -> None:
    for expected in (1, 0):
        with counted(monkeypatch) as seen:
            me = await world.get("auditor", "/api/auth/me")
        assert me.status_code == 200
        assert me.json()["role"] == "auditor"
        assert len(_session_reads(seen)) == expected, "\n".join(seen)
    # An unknown token is never kept: each request reads it and is refused.
    for _ in range(2):
        with counted(monkeypatch) as seen:
            r = await world.client.get(
                "/api/auth/me", headers={"Authorization": "Bearer no-such-token"}
            )
        assert r.status_code == 401
        assert len(_session_reads(seen)) == 1


async def test_another_processs_sign_out_is_seen_within_the_time(
    world: World, keep_half_a_second: None
) -> None:
    assert (await world.get("auditor", "/api/auth/me")).status_code == 200
    # Another process ends the session (its row is gone): this one's copy is kept...
    await SessionToken.delete().where(SessionToken.user == world.actors["auditor"].id)
    assert (await world.get("auditor", "/api/auth/me")).status_code == 200
    # ...until its time is up.
    await asyncio.sleep(0.6)
    assert (await world.get("auditor", "/api/auth/me")).status_code == 401


async def test_an_admins_change_to_a_user_ends_their_kept_session_at_once(
    world: World, keep_half_a_second: None
) -> None:
    assert (await world.get("caseworker", "/api/requests")).status_code == 200
    user_id = world.actors["caseworker"].id
    r = await world.patch("admin", f"/api/users/{user_id}", {"active": False})
    assert r.status_code == 200, r.text
    assert (await world.get("caseworker", "/api/requests")).status_code == 401


async def test_another_processs_deactivation_is_seen_within_the_time(
    world: World, keep_half_a_second: None
) -> None:
    assert (await world.get("caseworker", "/api/auth/me")).status_code == 200
    await User.update({User.active: False}).where(User.id == world.actors["caseworker"].id)
    await asyncio.sleep(0.6)
    assert (await world.get("caseworker", "/api/auth/me")).status_code == 401


async def test_a_kept_session_still_expires_on_time(world: World, keep_half_a_second: None) -> None:
    assert (await world.get("auditor", "/api/auth/me")).status_code == 200
    rows = await SessionToken.select(SessionToken.expires_at).where(
        SessionToken.user == world.actors["auditor"].id
    )
    expires = rows[0]["expires_at"]
    expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
    # Past its expiry within the half second the copy is kept: refused all the same.
    with time_machine.travel(expires + timedelta(seconds=1)):
        assert clock.now() > expires
        assert (await world.get("auditor", "/api/auth/me")).status_code == 401


async def test_nothing_is_kept_with_no_time(
    world: World, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        platform, "settings", msgspec.structs.replace(platform.settings, session_cache_seconds=0)
    )
    users.forget_sessions()
    for _ in range(2):
        with counted(monkeypatch) as seen:
            assert (await world.get("auditor", "/api/auth/me")).status_code == 200
        assert len(_session_reads(seen)) == 1
