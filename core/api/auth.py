"""Authentication: a bearer token (API clients) or the session cookie (browsers).

Both are the same server-side session token, stored hashed, so any number of stateless
workers can check it. An unsafe API request signed in by the cookie must come from this
site (:mod:`core.api.security`). Anonymous requests pass with ``user = None``; the route's
checks (:data:`Checks`, the access guard first) decide whether the route allows them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection, Request
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import Receive, Scope, Send

from core.api.security import check_cookie_request
from core.workflow import users

#: What every route runs once its caller is known, before its handler: the access guard,
#: the plugin and form checks its layers ask for, the note of a personal read. Passed the
#: request (an HTTP request is the route's request class) and the route's handler itself;
#: it raises to refuse.
Checks = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def _connection(
    scope: Scope, receive: Receive, send: Send, handler: BaseRouteHandler
) -> ASGIConnection[Any, Any, Any, Any]:
    if scope["type"] != "http":
        return ASGIConnection(scope, receive, send)
    make = getattr(handler, "resolve_request_class", None)
    request_class: type[Request[Any, Any, Any]] = make() if make is not None else Request
    return request_class(scope, receive, send)


class TokenAuthMiddleware(AbstractAuthenticationMiddleware):
    """Who is calling, then the route's :data:`Checks`.

    The checks run here rather than as Litestar guards: Litestar copies the route handler
    (some sixty attributes) for every guard it calls on every request, which was a tenth
    of a kept catalogue's time in the process for each guard. Every HTTP request passes
    here (no path, method or route is excluded); an ``OPTIONS`` request is anonymous.
    The checks are required: there is no middleware that lets a route through unchecked.
    """

    __slots__ = ("checks",)

    def __init__(self, app: Any, *, checks: Checks) -> None:
        super().__init__(app)
        self.checks = checks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            handler: BaseRouteHandler = scope["route_handler"]
            connection = _connection(scope, receive, send, handler)
            if scope.get("method") == "OPTIONS":
                scope["user"], scope["auth"] = None, None
            else:
                result = await self.authenticate_request(connection)
                scope["user"], scope["auth"] = result.user, result.auth
            await self.checks(connection, handler)
        await self.app(scope, receive, send)

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        ip = connection.client.host if connection.client else ""
        keep = connection.app.state.platform.settings.session_cache_seconds
        header = connection.headers.get("authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token:
                raise NotAuthorizedException("очікується Bearer-токен / expected a Bearer token")
            actor = await users.actor_for_token(token.strip(), ip, keep)
            if actor is None:
                raise NotAuthorizedException(
                    "токен недійсний або прострочений / token invalid or expired"
                )
            return AuthenticationResult(user=actor, auth=token)
        cookie = connection.cookies.get(connection.app.state.platform.settings.session_cookie)
        if cookie:
            actor = await users.actor_for_token(cookie, ip, keep)
            if actor is not None:
                # A browser's cookie: an unsafe API request must come from this site.
                check_cookie_request(connection)
                return AuthenticationResult(user=actor, auth=cookie)
        return AuthenticationResult(user=None, auth=None)
