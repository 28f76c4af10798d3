"""Authentication: a bearer token (API clients) or the session cookie (browsers).

Both are the same server-side session token, stored hashed, so any number of stateless
workers can check it. An unsafe API request signed in by the cookie must come from this
site (:mod:`core.api.security`). Anonymous requests pass with ``user = None``; the access guard
decides whether the route allows them.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from core.api.security import check_cookie_request
from core.workflow import users


class TokenAuthMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        ip = connection.client.host if connection.client else ""
        header = connection.headers.get("authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token:
                raise NotAuthorizedException("очікується Bearer-токен / expected a Bearer token")
            actor = await users.actor_for_token(token.strip(), ip)
            if actor is None:
                raise NotAuthorizedException(
                    "токен недійсний або прострочений / token invalid or expired"
                )
            return AuthenticationResult(user=actor, auth=token)
        cookie = connection.cookies.get(connection.app.state.platform.settings.session_cookie)
        if cookie:
            actor = await users.actor_for_token(cookie, ip)
            if actor is not None:
                # A browser's cookie: an unsafe API request must come from this site.
                check_cookie_request(connection)
                return AuthenticationResult(user=actor, auth=cookie)
        return AuthenticationResult(user=None, auth=None)
