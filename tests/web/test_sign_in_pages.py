"""The sign-in and sign-out pages: the cookie session, the form token, ``next``."""

from __future__ import annotations

import re

import httpx
import pytest

from core.web.auth_pages import safe_next
from tests.web.conftest import form_token, sign_in
from tests.world import World


async def test_the_sign_in_page_is_ukrainian_with_a_form_token_and_security_headers(
    visitor: httpx.AsyncClient,
) -> None:
    r = await visitor.get("/sign-in")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="uk">' in r.text
    assert "Вхід для працівників і надавачів" in r.text
    csp = r.headers["content-security-policy"]
    for part in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"):
        assert part in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert "no-store" in r.headers["cache-control"]
    cookie = visitor.cookies["hromada_csrf"]
    set_cookie = r.headers["set-cookie"].lower()
    assert "httponly" in set_cookie
    assert "samesite=strict" in set_cookie
    token = form_token(r.text)
    assert cookie not in r.text
    assert token != cookie
    # No inline script or style: the policy above would block them.
    assert not re.search(r"<script(?![^>]*\bsrc=)", r.text)
    assert " style=" not in r.text
    assert '<script src="/static/htmx.min.js" defer></script>' in r.text


async def test_signing_in_opens_the_role_home_and_never_shows_the_session_token(
    world: World, visitor: httpx.AsyncClient
) -> None:
    r = await sign_in(visitor, f"{world.slug}.intake")
    assert r.status_code == 303
    assert r.headers["location"] == "/desk/front-office"
    session = visitor.cookies["hromada_session"]
    set_cookie = r.headers["set-cookie"].lower()
    assert "httponly" in set_cookie
    assert "samesite=strict" in set_cookie
    home = await visitor.get("/desk/front-office")
    assert home.status_code == 200
    assert session not in home.text
    assert "Прийом звернень" in home.text
    assert "Тестова громада" in home.text  # the user's municipality in the header
    r = await visitor.get("/sign-in")
    assert r.status_code == 302
    assert r.headers["location"] == "/desk/front-office"
    # The same session authorises the JSON API.
    me = await visitor.get("/api/auth/me")
    assert me.json()["role"] == "intake"


async def test_a_wrong_password_is_a_400_form_that_keeps_the_username(
    world: World, visitor: httpx.AsyncClient
) -> None:
    r = await sign_in(visitor, f"{world.slug}.intake", "wrong password")
    assert r.status_code == 400
    assert "Невірне ім&#39;я користувача або пароль" in r.text
    assert f'value="{world.slug}.intake"' in r.text
    assert 'aria-invalid="true"' in r.text
    assert "hromada_session" not in visitor.cookies
    r = await visitor.post("/sign-in?lang=en", data={"_csrf": form_token(r.text)})
    assert r.status_code == 400
    assert "Enter your username." in r.text
    assert "Enter your password." in r.text


@pytest.mark.parametrize(
    ("wanted", "kept"),
    [
        ("/desk/back-office?service=funeral_aid.lump_sum", True),
        ("/services/funeral_aid.lump_sum?lang=en", True),
        ("https://elsewhere.example/desk", False),
        ("//elsewhere.example/desk", False),
        ("/\\elsewhere.example", False),
        ("javascript:alert(1)", False),
        ("/api/requests", False),
        ("/sign-out", False),
        ("/desk\r\nSet-Cookie: x=1", False),
        ("", False),
    ],
)
def test_next_is_a_page_of_this_site_or_nothing(wanted: str, kept: bool) -> None:
    assert safe_next(wanted) == (wanted if kept else None)


async def test_signing_in_returns_to_next(world: World, visitor: httpx.AsyncClient) -> None:
    r = await sign_in(visitor, f"{world.slug}.caseworker", next_page="//elsewhere.example/")
    assert r.headers["location"] == "/desk/back-office"
    visitor.cookies.clear()
    r = await sign_in(visitor, f"{world.slug}.caseworker", next_page="/desk/back-office?service=x")
    assert r.headers["location"] == "/desk/back-office?service=x"


async def test_signing_out_closes_the_session(world: World, visitor: httpx.AsyncClient) -> None:
    await sign_in(visitor, f"{world.slug}.admin")
    session = visitor.cookies["hromada_session"]
    home = await visitor.get("/desk/admin")
    r = await visitor.post("/sign-out", data={"_csrf": form_token(home.text)})
    assert r.status_code == 303
    assert r.headers["location"] == "/sign-in?reason=signed_out"
    assert "hromada_session" not in visitor.cookies
    visitor.cookies.set("hromada_session", session)
    r = await visitor.get("/desk/admin")
    assert r.status_code == 303
    assert r.headers["location"].startswith("/sign-in?reason=expired")
