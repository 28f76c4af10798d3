"""The OpenAPI document tells the truth about every operation, the plugins' included.

Litestar generates the document from the handlers; this module completes it in one place,
from what each route already declares, so no handler (and no plugin) has to remember:

- **security**: a public route (``opt=public()``) needs no credentials (``security: []``);
  a role route takes the bearer token or the session cookie;
- **errors**: every operation lists the error answers the host can give it (400, 401
  for a bad token, 403 for a refused role, 404, 409, 422, 413 for bodies, 503 with
  ``Retry-After`` when the database is unavailable), all with the one
  :data:`ERROR` body of ``core/api/errors.py``; a route adds others with Litestar's
  ``responses=`` (the login's 429);
- **files**: a route that answers a file declares its media types with :func:`produces`;
- **methods**: ``OPTIONS`` answers the methods the document lists for the path
  (:class:`AllowHeader`; Litestar's own answer forgets the handlers of a path registered
  by a second controller);
- **bodies**: a msgspec Struct that forbids unknown fields says so
  (``additionalProperties: false``), and a ``Decimal`` is a decimal string (or a JSON
  number, which msgspec accepts too) with its pattern.

``tests/fuzz`` runs schemathesis against the document to keep it honest.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import msgspec
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi.spec import (
    Components,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    Operation,
    Reference,
    Schema,
    SecurityScheme,
)
from litestar.openapi.spec.enums import OpenAPIType
from litestar.plugins import OpenAPISchemaPlugin
from litestar.routes import HTTPRoute

if TYPE_CHECKING:
    from litestar import Litestar
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.handlers.base import BaseRouteHandler
    from litestar.types import ASGIApp, Message, Receive, Scope, Send
    from litestar.typing import FieldDefinition

#: The component every error answer refers to.
ERROR = "Error"
#: A decimal string as the API writes money and quantities ("3209.00", "2.5", "800").
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
BEARER = "BearerToken"
COOKIE = "SessionCookie"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_ERROR_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    required=["detail", "status_code"],
    properties={
        "status_code": Schema(type=OpenAPIType.INTEGER, minimum=400, maximum=599),
        "detail": Schema(type=OpenAPIType.STRING),
        "extra": Schema(
            type=OpenAPIType.ARRAY,
            description="each bad field: key, message, source (and more for the client)",
            items=Schema(
                type=OpenAPIType.OBJECT,
                properties={
                    "key": Schema(type=OpenAPIType.STRING),
                    "message": Schema(type=OpenAPIType.STRING),
                    "source": Schema(type=OpenAPIType.STRING),
                },
            ),
        ),
    },
    description="Every error: the status, a message «українською / in English», the fields",
)

#: Litestar's description of a success the route did not describe itself.
_LITESTAR_OK = "Request fulfilled, document follows"
#: Why each status is answered (``docs/api.md#errors`` says it at length).
_WHY = {
    400: "Invalid input: the fields are named in extra",
    401: "No login where one is needed, or a malformed, unknown or expired token",
    403: "The caller's role may not do this, or the record is someone else's",
    404: "Not found, or in another municipality, or the plugin is not enabled there",
    409: "A conflict: a status transition, a duplicate, money or a cap that would be exceeded",
    413: "The request body is too large",
    422: "Refused by the rules (a delivery's dates or the plugin's checks)",
    429: "Too many attempts: wait Retry-After seconds",
    503: "The database is unavailable or busy: retry after Retry-After seconds",
}
_RETRY_AFTER = {
    "Retry-After": OpenAPIHeader(
        schema=Schema(type=OpenAPIType.STRING, pattern=r"^[0-9]+$"),
        description="seconds to wait before retrying",
        required=True,
    )
}


def produces(*media_types: str) -> dict[str, Any]:
    """``opt`` of a route that answers a file: its success answer has these media types
    (``application/json`` keeps the JSON schema Litestar generated)."""
    return {"produces": tuple(media_types)}


def _error(status: int) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=_WHY[status],
        content={
            "application/json": OpenAPIMediaType(schema=Reference(f"#/components/schemas/{ERROR}"))
        },
        headers=dict(_RETRY_AFTER) if status in (429, 503) else None,
    )


def _statuses(handler: BaseRouteHandler, method: str, operation: Operation) -> list[int]:
    """What the host can answer besides success: any operation may meet invalid input,
    a bad token, a missing record, a state that forbids it (a certificate of a closed
    entry), a rule or a parameter not in force on the date asked (422), or the database
    away; role routes and writes may be refused (403), bodies may be too large."""
    found = [400, 401, 404, 409, 422, 503]
    if not handler.opt.get("public") or method in WRITES:
        found.append(403)
    if operation.request_body is not None:
        found.append(413)
    return sorted(found)


def _files(operation: Operation, media_types: tuple[str, ...]) -> None:
    responses = operation.responses or {}
    for status, answer in responses.items():
        if not status.startswith("2") or not isinstance(answer, OpenAPIResponse):
            continue
        content = answer.content or {}
        json = content.get("application/json")
        answer.content = {
            media: json
            if media == "application/json" and json is not None
            else OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, format=None))
            for media in media_types
        }
        if answer.description == _LITESTAR_OK:
            answer.description = "The file"


def _complete_operation(handler: BaseRouteHandler, method: str, operation: Operation) -> None:
    operation.security = [] if handler.opt.get("public") else [{BEARER: []}, {COOKIE: []}]
    responses = operation.responses = dict(operation.responses or {})
    for status in _statuses(handler, method, operation):
        key = str(status)
        if status == 400 or key not in responses:
            responses[key] = _error(status)
    for key, answer in list(responses.items()):
        # An error the route declares itself (``responses=``, e.g. the login's 429): the
        # same body, and Retry-After where the host sends it.
        if key.isdigit() and int(key) in _WHY and isinstance(answer, OpenAPIResponse):
            responses[key] = _error(int(key))
            responses[key].description = answer.description or _WHY[int(key)]
    media_types = handler.opt.get("produces")
    if media_types:
        _files(operation, tuple(media_types))


def complete_document(app: Litestar, session_cookie: str) -> None:
    """Complete the app's (cached) OpenAPI document in place; call once, after creating it."""
    document = app.openapi_schema
    components = document.components = document.components or Components()
    components.schemas = {**(components.schemas or {}), ERROR: _ERROR_SCHEMA}
    components.security_schemes = {
        **(components.security_schemes or {}),
        BEARER: SecurityScheme(type="http", scheme="bearer"),
        COOKIE: SecurityScheme(type="apiKey", name=session_cookie, security_scheme_in="cookie"),
    }
    document.security = [{BEARER: []}, {COOKIE: []}]
    paths = document.paths or {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        item = paths.get(route.path_format or "/")
        if item is None:
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods:
                operation = getattr(item, method.lower(), None)
                if isinstance(operation, Operation):
                    _complete_operation(handler, method, operation)


class StrictStructSchemaPlugin(StructSchemaPlugin):
    """A Struct with ``forbid_unknown_fields`` refuses other fields: the schema says so."""

    def to_openapi_schema(
        self, field_definition: FieldDefinition, schema_creator: SchemaCreator
    ) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        info = msgspec.inspect.type_info(field_definition.type_)
        if isinstance(info, msgspec.inspect.StructType) and info.forbid_unknown_fields:
            schema.additional_properties = False
        return schema


class DecimalSchemaPlugin(OpenAPISchemaPlugin):
    """Money and quantities: written as decimal strings; read from a decimal string or a
    JSON number (msgspec accepts both)."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return field_definition.annotation is Decimal

    def to_openapi_schema(
        self, field_definition: FieldDefinition, schema_creator: SchemaCreator
    ) -> Schema:
        return Schema(
            type=[OpenAPIType.STRING, OpenAPIType.NUMBER],
            pattern=DECIMAL_PATTERN,
            examples=["3209.00"],
        )


SCHEMA_PLUGINS = [StrictStructSchemaPlugin(), DecimalSchemaPlugin()]


class AllowHeader:
    """ASGI wrapper: the ``Allow`` header of an ``OPTIONS`` answer lists every method of
    the path. Litestar builds a path's OPTIONS handler with its first route and keeps it
    when another controller adds methods to the same path, so it would list only those
    of the first."""

    def __init__(self, app: ASGIApp, litestar: Litestar) -> None:
        self.app = app
        self.allowed: dict[str, str] = {}
        for route in litestar.routes:
            if isinstance(route, HTTPRoute):
                methods = ", ".join(sorted(route.methods))
                self.allowed[route.path] = methods
                self.allowed[route.path_format] = methods

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "OPTIONS":
            await self.app(scope, receive, send)
            return

        async def send_allow(message: Message) -> None:
            if message["type"] == "http.response.start":
                allowed = self.allowed.get(str(scope.get("path_template", "")))
                if allowed is not None:
                    headers = [
                        (k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"
                    ]
                    if any(k.lower() == b"allow" for k, _ in message.get("headers", [])):
                        headers.append((b"allow", allowed.encode()))
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_allow)
