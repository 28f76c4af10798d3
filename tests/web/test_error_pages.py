"""Errors on pages are pages in the reader's language; the API keeps its JSON."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar, get
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template import TemplateConfig

from core.api.access import public
from core.api.app import WEB
from core.api.errors import HANDLERS
from core.web.errors import with_pages
from tests.web.conftest import sign_in
from tests.world import World


def assert_page(r: httpx.Response, status: int, lang: str, heading: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in r.text
    assert f"<h1>{heading}</h1>" in r.text
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


async def test_unknown_pages_and_cards_are_404_pages(
    world: World, visitor: httpx.AsyncClient
) -> None:
    assert_page(await visitor.get("/no/such/page"), 404, "uk", "Сторінку не знайдено")
    assert_page(await visitor.get("/no/such/page?lang=en"), 404, "en", "Page not found")
    card = await visitor.get("/services/none.such", params={"municipality": world.slug})
    assert_page(card, 404, "en", "Page not found")  # English was chosen above: a cookie
    assert "service not found" in card.text
    assert_page(
        await visitor.get("/services/none.such", params={"municipality": world.slug, "lang": "uk"}),
        404,
        "uk",
        "Сторінку не знайдено",
    )
    # A client asking for JSON only gets JSON.
    r = await visitor.get("/no/such/page", headers={"Accept": "application/json"})
    assert r.status_code == 404
    assert r.json()["status_code"] == 404


async def test_api_errors_stay_json(world: World, visitor: httpx.AsyncClient) -> None:
    for path, status in (("/api/no-such", 404), ("/api/requests", 401)):
        r = await visitor.get(path, headers={"Accept": "text/html"})
        assert r.status_code == status
        assert r.headers["content-type"].startswith("application/json")
    r = await visitor.get("/api/requests", headers=world.auth("provider"))
    assert r.status_code == 403
    assert r.json()["status_code"] == 403


async def test_another_roles_page_is_a_403_page_and_a_wrong_method_a_405(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.intake")
    r = await visitor.get("/desk/admin")
    assert_page(r, 403, "uk", "Немає доступу")
    assert 'href="/desk/front-office"' in r.text  # back to their own home
    unknown = await visitor.get("/no/such/page")
    assert 'href="/desk"' in unknown.text  # signed in: home, not "sign in"
    assert 'href="/sign-in"' not in unknown.text
    assert_page(await visitor.get("/sign-out"), 405, "uk", "Дію не підтримано")


async def test_without_a_session_a_page_sends_to_sign_in_with_next(
    visitor: httpx.AsyncClient,
) -> None:
    r = await visitor.get("/desk/back-office?service=funeral_aid.lump_sum")
    assert r.status_code == 303
    assert r.headers["location"] == (
        "/sign-in?reason=required&next=%2Fdesk%2Fback-office%3Fservice%3Dfuneral_aid.lump_sum"
    )
    visitor.cookies.set("hromada_session", "long-gone")
    r = await visitor.get("/desk")
    assert r.headers["location"] == "/sign-in?reason=expired&next=%2Fdesk"
    assert 'hromada_session=""' in r.headers["set-cookie"]
    page = await visitor.get(r.headers["location"])
    assert "Ваш сеанс завершився. Увійдіть знову, щоб продовжити." in page.text
    assert 'name="next" value="/desk"' in page.text
    visitor.cookies.set("hromada_session", "long-gone")
    r = await visitor.get(
        "/desk/front-office",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/desk/front-office"},
    )
    assert r.status_code == 401
    assert r.headers["hx-redirect"] == "/sign-in?reason=expired&next=%2Fdesk%2Ffront-office"


@get("/boom", opt=public())
async def boom() -> None:
    raise RuntimeError("a bug with a secret in its message")


@get("/busy", opt=public())
async def busy() -> None:
    raise sqlite3.OperationalError("database is locked")


@get("/api/boom", opt=public())
async def api_boom() -> None:
    raise RuntimeError("a bug")


@pytest.fixture
async def failing() -> AsyncIterator[httpx.AsyncClient]:
    app = Litestar(
        route_handlers=[boom, busy, api_boom],
        exception_handlers=with_pages(HANDLERS),
        template_config=TemplateConfig(directory=WEB / "templates", engine=JinjaTemplateEngine),
    )
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_500_and_503_are_pages_without_internals(failing: httpx.AsyncClient) -> None:
    r = await failing.get("/boom")
    assert_page(r, 500, "uk", "Внутрішня помилка")
    assert "secret" not in r.text
    assert "Traceback" not in r.text
    assert_page(await failing.get("/boom?lang=en"), 500, "en", "Internal error")
    r = await failing.get("/busy?lang=uk")
    assert_page(r, 503, "uk", "Сервіс тимчасово зайнятий")
    assert int(r.headers["retry-after"]) > 0
    r = await failing.get("/api/boom")
    assert r.status_code == 500
    assert r.headers["content-type"].startswith("application/json")


async def test_an_htmx_error_replaces_the_main_content(failing: httpx.AsyncClient) -> None:
    r = await failing.get("/boom", headers={"HX-Request": "true"})
    assert r.status_code == 500
    assert r.headers["hx-retarget"] == "#main"
    assert r.headers["hx-reswap"] == "innerHTML"
    assert "<html" not in r.text
    assert "<h1>Внутрішня помилка</h1>" in r.text
