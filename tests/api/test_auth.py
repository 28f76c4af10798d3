"""Login, logout, session cookie and the demo of auditing logins."""

from __future__ import annotations

from datetime import timedelta

from core import clock
from core.db.tables import SessionToken
from tests.world import PASSWORD, World


async def test_login_gives_a_token_and_a_cookie(world: World) -> None:
    r = await world.post(
        None, "/api/auth/login", {"username": f"{world.slug}.intake", "password": PASSWORD}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"]["role"] == "intake"
    assert "hromada_session" in r.headers["set-cookie"]
    assert "HttpOnly" in r.headers["set-cookie"]
    me = await world.client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {body['token']}"}
    )
    assert me.json()["username"] == f"{world.slug}.intake"
    world.client.cookies.clear()


async def test_cookie_authorises_the_browser(world: World) -> None:
    r = await world.post(
        None, "/api/auth/login", {"username": f"{world.slug}.caseworker", "password": PASSWORD}
    )
    token = r.json()["token"]
    world.client.cookies.clear()
    world.client.cookies.set("hromada_session", token)
    try:
        me = await world.client.get("/api/auth/me")
    finally:
        world.client.cookies.clear()
    assert me.status_code == 200
    assert me.json()["role"] == "caseworker"


async def test_wrong_password_and_unknown_user_are_401(world: World) -> None:
    for username, password in ((f"{world.slug}.intake", "wrong"), ("nobody", PASSWORD)):
        r = await world.post(None, "/api/auth/login", {"username": username, "password": password})
        assert r.status_code == 401
    r = await world.post(None, "/api/auth/login", {"username": ""})
    assert r.status_code == 400


async def test_logout_ends_the_session(world: World) -> None:
    token = (
        await world.post(
            None, "/api/auth/login", {"username": f"{world.slug}.auditor", "password": PASSWORD}
        )
    ).json()["token"]
    world.client.cookies.clear()
    headers = {"Authorization": f"Bearer {token}"}
    # The logout's own request kept the session in the process (session_cache_seconds):
    # signing out forgets it at once.
    assert (await world.client.post("/api/auth/logout", headers=headers)).status_code == 200
    assert (await world.client.get("/api/auth/me", headers=headers)).status_code == 401


async def test_expired_token_is_refused(world: World) -> None:
    await SessionToken.update({SessionToken.expires_at: clock.now() - timedelta(seconds=1)}).where(
        SessionToken.user == world.actors["accountant"].id
    )
    r = await world.get("accountant", "/api/auth/me")
    assert r.status_code == 401
