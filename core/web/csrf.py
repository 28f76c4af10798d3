"""Protection of the pages' form posts against cross-site request forgery.

Every page gives the browser a random ``hromada_csrf`` cookie (HttpOnly, SameSite=Strict)
once, and every form carries a token derived from it and from the session:
``HMAC-SHA256(key=cookie, message=session token)``. A post is accepted only when the
token it carries (the ``_csrf`` form field, or the ``X-CSRF-Token`` header that htmx can
send) equals the one computed from the cookies it came with.

- A page of another site can neither read the cookie nor our page, so it cannot forge
  the token; a token made for one session is useless in another.
- Nothing has to be kept on the server and no secret has to be shared between workers
  or survive a restart.
- The session token itself never appears in a page: HMAC does not reveal its key or
  message.

Only the pages' routes are guarded by the token. The JSON API under ``/api`` takes no
form token: its clients send a bearer token (which a forged cross-site request cannot),
and an unsafe request signed in by the browser's session cookie must show that it comes
from this site (``Sec-Fetch-Site``, ``Origin`` or ``Referer``, see
:mod:`core.api.security`).
"""

from __future__ import annotations

import hmac
import re
import secrets
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

COOKIE = "hromada_csrf"
FIELD = "_csrf"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_STATE_KEY = "hromada_csrf_new_cookie"
_COOKIE_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


class FormRefused(PermissionDeniedException):
    """A form post whose CSRF token is missing or wrong (403, shown as a page)."""

    def __init__(self) -> None:
        super().__init__(
            "форму не прийнято: застарілий або відсутній токен форми / "
            "form refused: the form token is missing or out of date"
        )


def _valid_cookie(value: str | None) -> bool:
    return bool(value) and bool(_COOKIE_SHAPE.match(value or ""))


def session_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The session token that authenticated this request, or "" for an anonymous one."""
    auth = connection.scope.get("auth")
    return auth if isinstance(auth, str) and connection.scope.get("user") is not None else ""


def token_for(cookie: str, session: str) -> str:
    return hmac.new(cookie.encode(), b"hromada-form:" + session.encode(), "sha256").hexdigest()


def browser_cookie(connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[str, bool]:
    """The browser's CSRF cookie, or a new one made for this request (and then True: the
    response must set it). Several pages rendered in one request share the new value."""
    existing = connection.cookies.get(COOKIE)
    if _valid_cookie(existing):
        return str(existing), False
    made = connection.scope.setdefault("state", {}).get(_STATE_KEY)
    if made is None:
        made = secrets.token_urlsafe(32)
        connection.scope["state"][_STATE_KEY] = made
    return str(made), True


def form_token(connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[str, Cookie | None]:
    """The token the page's forms carry, and the cookie to set when the browser has none."""
    cookie, new = browser_cookie(connection)
    set_cookie = None
    if new:
        platform = getattr(connection.app.state, "platform", None)
        secure = bool(getattr(getattr(platform, "settings", None), "secure_cookies", False))
        set_cookie = Cookie(
            key=COOKIE,
            value=cookie,
            httponly=True,
            samesite="strict",
            secure=secure,
            path="/",
        )
    return token_for(cookie, session_of(connection)), set_cookie


async def sent_token(request: Request[Any, Any, Any]) -> str:
    header = request.headers.get(HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(FIELD)
        return value if isinstance(value, str) else ""
    return ""


#: The ``opt`` key of the routers whose unsafe requests must carry the token.
KEY = "csrf"


def checked() -> dict[str, Any]:
    """``opt`` of a router of pages: its forms' posts are checked by :func:`guard`."""
    return {KEY: True}


async def guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Refuse an unsafe request to a page route (``opt=checked()`` on its router) unless
    it carries the right token. One of the app's checks (``core.api.app``)."""
    if not handler.opt.get(KEY) or connection.scope.get("method", "GET") in SAFE_METHODS:
        return
    cookie = connection.cookies.get(COOKIE)
    if not _valid_cookie(cookie):
        raise FormRefused()
    request = (
        connection
        if isinstance(connection, Request)
        else Request[Any, Any, Any](connection.scope, connection.receive)
    )
    expected = token_for(str(cookie), session_of(connection))
    if not hmac.compare_digest(expected.encode(), (await sent_token(request)).encode()):
        raise FormRefused()
