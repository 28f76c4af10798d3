"""Who may call what. Every route declares it; a route that does not is refused.

``opt=public()`` — anyone, including anonymous users;
``opt=roles("intake", "caseworker")`` — logged-in users with one of these roles.
Whether a provider or citizen reaches only their own records is checked in the use case.
"""

from __future__ import annotations

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
    """Every route's access, as its ``opt`` declares it; the first of the app's checks
    (``core.api.app``), which every request passes once it is authenticated."""
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


#: The ``opt`` key that closes a layer's routes where its plugin is not enabled.
PLUGIN_KEY = "enabled_by"


def enabled_by(name: str) -> dict[str, Any]:
    """``opt`` of a plugin's router: see :func:`plugin_enabled`."""
    return {PLUGIN_KEY: name}


async def plugin_enabled(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """A plugin's routes (``opt=enabled_by(name)`` on their router) answer only in a
    municipality that enabled the plugin: the caller's, or for an anonymous caller the
    ``?municipality=<slug>`` asked for (else the deployment's first). Runs after
    :func:`access_guard`, so a refused role stays 401/403."""
    name = handler.opt.get(PLUGIN_KEY)
    if not name or connection.scope.get("method") == "OPTIONS":
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
