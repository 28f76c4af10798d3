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


def access_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
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
