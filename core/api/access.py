"""Who may call what. Every route declares it; a route that does not is refused.

``opt=public()`` — anyone, including anonymous users;
``opt=roles("intake", "caseworker")`` — logged-in users with one of these roles.
Whether a provider or citizen reaches only their own records is checked in the use case.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from core.errors import NotFound
from core.schemas import ROLES

#: Paths served by Litestar itself (the OpenAPI document and its pages) are public.
OPENAPI_PATH = "/schema"


def public() -> dict[str, Any]:
    return {"public": True}


def roles(*names: str) -> dict[str, Any]:
    unknown = [n for n in names if n not in ROLES]
    if unknown or not names:
        raise ValueError(f"unknown roles {unknown}")
    return {"roles": tuple(names)}


def declared(handler: BaseRouteHandler) -> bool:
    return bool(handler.opt.get("public")) or bool(handler.opt.get("roles"))


async def access_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Every route's access, as its ``opt`` declares it (``async``: Litestar runs a plain
    function guard in a worker thread, a thread hop on every request)."""
    if handler.opt.get("public") or connection.scope.get("method") == "OPTIONS":
        return
    path = connection.scope["path"]
    if path == OPENAPI_PATH or path.startswith(OPENAPI_PATH + "/"):
        return
    allowed = handler.opt.get("roles")
    if not allowed:
        raise PermissionDeniedException("маршрут не оголошує доступу / route declares no access")
    user = connection.scope.get("user")
    if user is None:
        raise NotAuthorizedException("потрібен вхід / login required")
    if user.role not in allowed:
        raise PermissionDeniedException(
            f"роль «{user.role}» не має доступу / role '{user.role}' may not do this"
        )


Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def plugin_enabled(name: str) -> Guard:
    """A plugin's routes answer only in a municipality that enabled the plugin: the
    caller's, or for an anonymous caller the ``?municipality=<slug>`` asked for (else the
    deployment's first). Runs after :func:`access_guard`, so a refused role stays 401/403."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if connection.scope.get("method") == "OPTIONS":
            return
        platform = connection.app.state.platform
        user = connection.scope.get("user")
        if user is not None:
            municipality_id = user.municipality_id
        else:
            slug = connection.query_params.get("municipality")
            municipality_id = (await platform.municipality(slug or None)).id
        if name not in await platform.enabled_plugins(municipality_id):
            raise NotFound(
                f"«{name}» не ввімкнено в громаді / the plugin '{name}' is not enabled in "
                "this municipality",
                "plugin",
            )

    return guard
