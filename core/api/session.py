"""Login and logout: a token for API clients, the same token as a cookie for browsers."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException
from litestar.params import JSONBody

from core.actor import Actor
from core.api.access import public, roles
from core.api.deps import actor_of, platform_of
from core.api.reads import not_personal
from core.config import Settings
from core.schemas import ROLES, LoginIn, LoginOut, Me
from core.workflow import audit, users

ANY_ROLE = roles(*ROLES)


def me_of(actor: Actor) -> Me:
    return Me(
        id=actor.id,
        username=actor.username,
        full_name=actor.full_name,
        role=actor.role,
        municipality=actor.municipality_slug,
        provider_id=actor.provider_id,
        citizen_id=actor.citizen_id,
    )


def session_cookie(settings: Settings, token: str) -> Cookie:
    """The session cookie the API's login and the sign-in page both set (HttpOnly)."""
    return Cookie(
        key=settings.session_cookie,
        value=token,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
        max_age=settings.session_ttl_seconds,
        path="/",
    )


@post("/api/auth/login", opt=public(), status_code=200, tags=["auth"])
async def login(request: Request[Any, Any, Any], data: JSONBody[LoginIn]) -> Response[LoginOut]:
    settings = platform_of(request).settings
    actor = await users.authenticate(data.username, data.password)
    if actor is None:
        raise NotAuthorizedException("невірне ім'я або пароль / wrong username or password")
    token, expires = await users.open_session(actor, settings.session_ttl_seconds)
    await audit.record(actor, "auth.login", "user", actor.id)
    cookie = session_cookie(settings, token)
    return Response(LoginOut(token=token, expires_at=expires, user=me_of(actor)), cookies=[cookie])


@post("/api/auth/logout", opt=ANY_ROLE, status_code=200, tags=["auth"])
async def logout(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    actor = actor_of(request)
    if isinstance(request.auth, str):
        await users.close_session(request.auth)
    await audit.record(actor, "auth.logout", "user", actor.id)
    settings = platform_of(request).settings
    return Response(
        {"detail": "вихід виконано / logged out"},
        cookies=[Cookie(key=settings.session_cookie, value="", max_age=0, path="/")],
    )


@get("/api/auth/me", opt=ANY_ROLE | not_personal(), tags=["auth"])
async def me(request: Request[Any, Any, Any]) -> Me:
    return me_of(actor_of(request))
