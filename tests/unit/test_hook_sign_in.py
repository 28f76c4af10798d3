"""The ``register_sign_in`` hook: a plugin's way to sign in (as an OpenID Connect
provider would be added) is linked from the sign-in page and ends in the same session."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from litestar import Request, Response, get
from litestar.params import FromQuery
from litestar.response import Redirect

from core.api.access import public, roles
from core.api.app import create_app
from core.config import Settings
from core.db.tables import AuditLog
from core.errors import Conflict
from core.platform import Platform
from core.plugins import PluginError, PluginHost
from core.service import Text
from core.web.sign_in_methods import SignInMethod, complete
from core.workflow import identities
from tests.unit.test_hooks import fake
from tests.world import World

ISSUER = "https://id.example.gov.ua"


@get("/start", opt=public())
async def start() -> Redirect:
    # A real provider would be sent here with state and nonce; the test's answers at once.
    return Redirect("/sign-in/ext/fake/callback?subject=person-42")


@get("/callback", opt=public())
async def callback(request: Request[Any, Any, Any], subject: FromQuery[str]) -> Response[Any]:
    actor = await identities.user_for(ISSUER, subject)
    if actor is None:
        return Redirect("/sign-in?reason=required")
    return await complete(request, actor, via="fake")


def method() -> SignInMethod:
    return SignInMethod(
        label=Text("Увійти через Тест-ID", "Sign in with Test ID"),
        start="/start",
        handlers=[start, callback],
    )


async def test_hook_register_sign_in(platform: Platform, world: World) -> None:
    settings = Settings(database_url=platform.settings.database_url, plugins=("funeral_aid",))
    host = PluginHost(["fake"], [fake(register_sign_in=method)])
    app = create_app(Platform(settings, host))
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        page = await client.get("/sign-in")
        assert 'href="/sign-in/ext/fake/start"' in page.text
        assert "Увійти через Тест-ID" in page.text
        english = await client.get("/sign-in?lang=en")
        assert "Sign in with Test ID" in english.text

        # Nobody is linked to the identity yet: no session.
        first = await client.get("/sign-in/ext/fake/callback?subject=person-42")
        assert first.headers["location"] == "/sign-in?reason=required"

        citizen = world.actors["citizen"]
        await identities.link(citizen.id, ISSUER, "person-42")
        with pytest.raises(Conflict):
            await identities.link(world.actors["intake"].id, ISSUER, "person-42")

        hop = await client.get("/sign-in/ext/fake/start")
        assert hop.status_code in (302, 303, 307)
        signed = await client.get(hop.headers["location"])
        assert signed.status_code == 303
        assert signed.headers["location"] == "/desk/citizen"
        assert settings.session_cookie in signed.headers["set-cookie"]
        home = await client.get("/desk/citizen")
        assert home.status_code == 200
    logged = await AuditLog.select(AuditLog.details).where(
        (AuditLog.action == "auth.login") & (AuditLog.actor == citizen.id)
    )
    assert any("fake" in str(row["details"]) for row in logged)


def test_a_sign_in_route_must_be_public(platform: Platform) -> None:
    @get("/closed", opt=roles("citizen"))
    async def closed() -> str:
        return ""

    settings = Settings(database_url=platform.settings.database_url, plugins=("funeral_aid",))

    def wrong() -> SignInMethod:
        return SignInMethod(label=Text("a", "a"), start="/closed", handlers=[closed])

    host = PluginHost(["fake"], [fake(register_sign_in=wrong)])
    with pytest.raises(PluginError, match=r"sign-in route /sign-in/ext/fake/closed must be"):
        create_app(Platform(settings, host))
    not_a_method = PluginHost(["fake"], [fake(register_sign_in=lambda: [start])])
    with pytest.raises(
        PluginError, match=r"must return a core\.web\.sign_in_methods\.SignInMethod"
    ):
        not_a_method.sign_in_methods()
