"""CSRF: a page's form post needs the token of the page it came from; the JSON API
needs none."""

from __future__ import annotations

import httpx

from core.web import csrf
from tests.web.conftest import form_token, sign_in
from tests.world import PASSWORD, World

REFUSED = "Форму не прийнято"


def assert_refused(r: httpx.Response) -> None:
    assert r.status_code == 403, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert REFUSED in r.text


async def test_a_post_without_the_token_is_refused_with_a_page(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await visitor.get("/sign-in")
    assert_refused(
        await visitor.post(
            "/sign-in", data={"username": f"{world.slug}.admin", "password": PASSWORD}
        )
    )
    await sign_in(visitor, f"{world.slug}.admin")
    assert_refused(await visitor.post("/sign-out", data={}))
    assert_refused(await visitor.post("/sign-out", data={"_csrf": "0" * 64}))
    assert (await visitor.get("/desk/admin")).status_code == 200, "still signed in"


async def test_a_token_without_the_cookie_or_from_another_session_is_refused(
    world: World, visitor: httpx.AsyncClient
) -> None:
    page = await visitor.get("/sign-in")
    anonymous = form_token(page.text)
    await sign_in(visitor, f"{world.slug}.admin")
    # The token of the page before signing in does not fit the new session.
    assert_refused(await visitor.post("/sign-out", data={"_csrf": anonymous}))
    home = await visitor.get("/desk/admin")
    token = form_token(home.text)
    cookie = visitor.cookies["hromada_csrf"]
    del visitor.cookies["hromada_csrf"]
    assert_refused(await visitor.post("/sign-out", data={"_csrf": token}))
    visitor.cookies.set("hromada_csrf", cookie)
    # The header htmx can send works like the field.
    r = await visitor.post("/sign-out", headers={"X-CSRF-Token": token})
    assert r.status_code == 303


def test_the_token_depends_on_the_cookie_and_the_session() -> None:
    a, b = "a" * 43, "b" * 43
    assert csrf.token_for(a, "") != csrf.token_for(b, "")
    assert csrf.token_for(a, "s1") != csrf.token_for(a, "s2")
    assert csrf.token_for(a, "s1") == csrf.token_for(a, "s1")
    assert "s1" not in csrf.token_for(a, "s1")


async def test_the_json_api_needs_no_form_token(world: World, visitor: httpx.AsyncClient) -> None:
    """Bearer clients and the API's own login are not the pages' forms."""
    await visitor.get("/sign-in")  # the browser holds a CSRF cookie: it changes nothing
    r = await visitor.post(
        "/api/auth/login", json={"username": f"{world.slug}.intake", "password": PASSWORD}
    )
    assert r.status_code == 200
    token = r.json()["token"]
    r = await visitor.post(
        "/api/citizens",
        json={"last_name": "Бондар", "first_name": "Ірина"},
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    assert r.status_code == 201, r.text
