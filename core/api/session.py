"""Login and logout: a token for API clients, the same token as a cookie for browsers."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from litestar.openapi import ResponseSpec
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


def login_limits(settings: Settings) -> users.LoginLimits:
    return users.LoginLimits(
        failures_before_lock=settings.login_failures_before_lock,
        lock_seconds=settings.login_lock_seconds,
        address_failures=settings.login_address_failures,
        address_window_seconds=settings.login_address_window_seconds,
    )


def address_throttle(connection: ASGIConnection[Any, Any, Any, Any]) -> users.AddressThrottle:
    """This process's count of failed sign-ins per address (one per app)."""
    state = connection.app.state
    throttle = getattr(state, "login_throttle", None)
    if throttle is None:
        settings: Settings = state.platform.settings
        throttle = users.AddressThrottle(
            settings.login_address_failures, settings.login_address_window_seconds
        )
        state.login_throttle = throttle
    return throttle


async def authenticate(
    connection: ASGIConnection[Any, Any, Any, Any], username: str, password: str
) -> Actor | None:
    """Check a sign-in (the API's and the page's) within the limits; raises
    :class:`~core.workflow.users.LoginRefused` when it is refused unchecked."""
    settings: Settings = connection.app.state.platform.settings
    return await users.authenticate(
        username,
        password,
        connection.client.host if connection.client else "",
        limits=login_limits(settings),
        throttle=address_throttle(connection),
    )


@post(
    "/api/auth/login",
    opt=public(),
    status_code=200,
    tags=["auth"],
    responses={429: ResponseSpec(None, description="Too many wrong passwords: wait Retry-After")},
    description=(
        "Wrong passwords are limited: too many from one address, or in a row for one "
        "account (which locks it until a time-out or an admin's unlock), answer 429 with "
        "Retry-After."
    ),
)
async def login(request: Request[Any, Any, Any], data: JSONBody[LoginIn]) -> Response[LoginOut]:
    settings = platform_of(request).settings
    try:
        actor = await authenticate(request, data.username, data.password)
    except users.LoginRefused as exc:
        raise TooManyRequestsException(
            exc.message, headers={"Retry-After": str(exc.retry_after)}
        ) from None
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
