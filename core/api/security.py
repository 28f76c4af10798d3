"""Browser protections of every answer: security headers, and the origin check of
cookie-authenticated API requests (cross-site request forgery).

**Headers.** :class:`SecurityHeaders` wraps the whole application, so every answer gets
them: pages, the API's JSON, errors (401, 403, 404, 422, 500), static files and the
OpenAPI document. A header the route set itself (the pages' own policy,
:data:`core.web.layout.SECURITY_HEADERS`) is kept.

**Origin check.** A browser sends the ``SameSite=Strict`` session cookie only with the
site's own requests, but that is the cookie's only barrier. So an unsafe request (POST,
PUT, PATCH, DELETE) to ``/api`` authenticated *by the cookie* must show it comes from
this site: ``Sec-Fetch-Site: same-origin``, or else an ``Origin`` (or, without one, a
``Referer``) whose host is the request's ``Host`` or one of ``trusted_origins``. Anything
else is refused with 403. Requests with a bearer token are not checked (a page of
another site cannot add the header), nor are safe methods. The pages' forms have their
own token (:mod:`core.web.csrf`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from core.api.access import OPENAPI_PATH

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: The JSON API and anything else that is not a page: nothing may load or run.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
#: Swagger UI at /schema: its own files, its inline start-up script and styles.
SCHEMA_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


def common_headers(path: str, secure: bool) -> dict[str, str]:
    """The headers an answer to ``path`` carries unless it set them itself."""
    schema = path == OPENAPI_PATH or path.startswith(OPENAPI_PATH + "/")
    headers = {
        "content-security-policy": SCHEMA_POLICY if schema else API_POLICY,
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
        "x-frame-options": "DENY",
    }
    if secure:
        headers["strict-transport-security"] = HSTS
    return headers


class SecurityHeaders:
    """ASGI wrapper adding :func:`common_headers` to every HTTP answer; HSTS when the
    deployment's ``secure_cookies`` is on (it serves over TLS)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        platform = getattr(getattr(scope.get("app"), "state", None), "platform", None)
        secure = bool(getattr(getattr(platform, "settings", None), "secure_cookies", False))
        extra = common_headers(scope.get("path", ""), secure)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {bytes(name).lower() for name, _ in headers}
                for name, value in extra.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CrossSiteRequest(PermissionDeniedException):
    def __init__(self) -> None:
        super().__init__(
            "запит з іншого сайту відхилено: сеансовий cookie приймається лише із запитів "
            "цього сайту; API-клієнти надсилають Bearer-токен / cross-site request refused: "
            "the session cookie is accepted only on this site's own requests; API clients "
            "send a Bearer token"
        )


def _host_of(url: str) -> str:
    try:
        return (urlsplit(url).netloc or "").lower()
    except ValueError:
        return ""


def _own_hosts(connection: ASGIConnection[Any, Any, Any, Any]) -> set[str]:
    hosts = {connection.headers.get("host", "").lower()}
    settings = getattr(connection.app.state.platform, "settings", None)
    for origin in getattr(settings, "trusted_origins", ()):
        hosts.add(_host_of(origin))
    hosts.discard("")
    return hosts


def same_origin(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """Whether the browser says the request comes from this site."""
    fetch_site = connection.headers.get("sec-fetch-site")
    if fetch_site:
        return fetch_site.lower() == "same-origin"
    origin = connection.headers.get("origin")
    if origin is None:
        origin = connection.headers.get("referer")
    if not origin or origin == "null":
        return False
    return _host_of(origin) in _own_hosts(connection)


def check_cookie_request(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Refuse an unsafe API request authenticated by the session cookie unless it comes
    from this site (see the module's docstring)."""
    path = connection.scope.get("path", "")
    if connection.scope.get("method", "GET") not in UNSAFE_METHODS:
        return
    if not (path == "/api" or path.startswith("/api/")):
        return
    if not same_origin(connection):
        raise CrossSiteRequest()
