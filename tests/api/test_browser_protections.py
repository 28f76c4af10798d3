"""Cookie-authenticated API requests must come from this site (CSRF), and every answer
carries the security headers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import msgspec
import pytest
from litestar import Litestar

from core.api.app import all_handlers
from tests.world import PASSWORD, World


@pytest.fixture
async def browser(world: World) -> AsyncIterator[httpx.AsyncClient]:
    """The test client signed in as the caseworker by the session cookie only."""
    r = await world.client.post(
        "/api/auth/login", json={"username": f"{world.slug}.caseworker", "password": PASSWORD}
    )
    assert r.status_code == 200
    token = r.json()["token"]
    world.client.cookies.clear()
    world.client.cookies.set("hromada_session", token)
    try:
        yield world.client
    finally:
        world.client.cookies.clear()


def _citizen(world: World) -> dict[str, object]:
    return {
        "last_name": "Коваль",
        "first_name": "Ірина",
        "birth_date": "1980-02-03",
        "settlement": world.settlements[0],
        "address": "вул. Лесі Українки, 1",
    }


CROSS_SITE = [
    {"Origin": "http://evil.example", "Content-Type": "text/plain"},
    {"Origin": "null", "Content-Type": "application/x-www-form-urlencoded"},
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"},
    {"Sec-Fetch-Site": "same-site", "Origin": "http://sub.testserver"},
    {"Referer": "http://evil.example/page", "Content-Type": "multipart/form-data; b=x"},
    {},  # neither Origin nor Referer: a browser always sends one on a cross-site POST
]


@pytest.mark.parametrize("headers", CROSS_SITE)
async def test_cookie_post_from_another_site_is_refused(
    world: World, browser: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    body = msgspec.json.encode(_citizen(world))
    r = await browser.post("/api/citizens", content=body, headers=headers)
    assert r.status_code == 403, r.text
    assert "cross-site request refused" in r.json()["detail"]
    assert "запит з іншого сайту" in r.json()["detail"]
    r = await browser.post("/api/auth/logout", headers=headers)
    assert r.status_code == 403
    assert (await browser.get("/api/auth/me")).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
        {"Origin": "http://testserver"},
        {"Referer": "http://testserver/schema"},
    ],
)
async def test_cookie_post_from_this_site_passes(
    world: World, browser: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    r = await browser.post("/api/citizens", json=_citizen(world), headers=headers)
    assert r.status_code == 201, r.text


async def test_bearer_clients_and_safe_methods_are_not_checked(world: World) -> None:
    r = await world.client.post(
        "/api/citizens",
        json=_citizen(world),
        headers={**world.auth("caseworker"), "Origin": "http://x.example"},
    )
    assert r.status_code == 201, r.text


async def test_trusted_origin_behind_a_proxy(
    app: Litestar, world: World, browser: httpx.AsyncClient
) -> None:
    platform = app.state.platform
    before = platform.settings
    platform.settings = msgspec.structs.replace(
        before, trusted_origins=("https://social.example.gov.ua",)
    )
    try:
        r = await browser.post(
            "/api/citizens",
            json=_citizen(world),
            headers={"Origin": "https://social.example.gov.ua"},
        )
    finally:
        platform.settings = before
    assert r.status_code == 201, r.text


HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


def _check(r: httpx.Response, what: str) -> None:
    for name in HEADERS:
        assert r.headers.get(name), f"{what}: {r.status_code} lacks {name}"
    assert r.headers["x-content-type-options"] == "nosniff", what
    assert r.headers["x-frame-options"] == "DENY", what
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"], what


async def test_every_route_answers_with_the_security_headers(app: Litestar, world: World) -> None:
    """Each route of the app, called anonymously (401/403/404/405/200) and as the admin,
    with its path parameters filled in, answers with the headers."""
    checked = 0
    for path, handler in all_handlers(app):
        url = (
            path.replace("{code:str}", "x")
            .replace("{file_path:path}", "swagger-ui.css")
            .replace("{path:path}", "x")
        )
        while "{" in url:
            start = url.index("{")
            url = url[:start] + "999999" + url[url.index("}", start) + 1 :]
        for method in sorted(getattr(handler, "http_methods", {"GET"})):
            for role in (None, "admin"):
                r = await world.client.request(
                    method, url, headers=world.auth(role), content=b"{" if method != "GET" else None
                )
                _check(r, f"{method} {url}")
                checked += 1
    assert checked > 100


async def test_headers_on_errors_static_files_pages_and_the_schema(
    app: Litestar, world: World
) -> None:
    cases = {
        "/api/auth/me": 401,
        "/api/audit": 403,
        "/api/nowhere": 404,
        "/static/swagger/swagger-ui.css": 200,
        "/sign-in": 200,
        "/schema": 200,
        "/schema/openapi.json": 200,
    }
    for url, status in cases.items():
        role = "intake" if url == "/api/audit" else None
        r = await world.get(role, url)
        assert r.status_code == status, (url, r.status_code)
        _check(r, url)
    r = await world.post("caseworker", "/api/citizens", {"last_name": 5})
    assert r.status_code in (400, 422)
    _check(r, "invalid body")
    assert r.headers["content-security-policy"].startswith("default-src 'none'")
    schema = await world.get(None, "/schema")
    assert "script-src 'self' 'unsafe-inline'" in schema.headers["content-security-policy"]
    page = await world.get(None, "/sign-in")
    assert "script-src 'self';" in page.headers["content-security-policy"]  # the page's own
    assert "strict-transport-security" not in page.headers


async def test_hsts_with_secure_cookies(app: Litestar, world: World) -> None:
    platform = app.state.platform
    before = platform.settings
    platform.settings = msgspec.structs.replace(before, secure_cookies=True)
    try:
        for url in ("/api/services", "/api/nowhere", "/sign-in", "/static/swagger/swagger-ui.css"):
            r = await world.get(None, url)
            assert r.headers["strict-transport-security"].startswith("max-age="), url
    finally:
        platform.settings = before


async def test_an_unexpected_error_has_the_headers(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.workflow import accounts

    async def broken(*_: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(accounts, "listing", broken)
    r = await world.get("admin", "/api/users")
    assert r.status_code == 500
    _check(r, "500")
