"""Authentication: a bearer token (API clients) or the session cookie (browsers).

Both are the same server-side session token, stored hashed, so any number of stateless
workers can check it. Anonymous requests pass with ``user = None``; the access guard
decides whether the route allows them.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

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
                return AuthenticationResult(user=actor, auth=cookie)
        return AuthenticationResult(user=None, auth=None)
