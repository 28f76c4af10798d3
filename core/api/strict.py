"""JSON bodies are read as the OpenAPI document types them.

Litestar converts a decoded body to the handler's type with msgspec in lax mode, which
takes ``0`` for ``false``, ``"5"`` for ``5`` and ``5.0`` for an integer. The document (and
``docs/api.md``) promise JSON types, so :func:`strict_body`, the app's ``before_request``
hook (it runs after every guard, so access and a closed plugin still answer 401, 403 or
404 first), decodes the body in strict mode and answers a value of the wrong JSON type
with a 400 naming the field, as Litestar names the fields it refuses. A body that is not
JSON at all is left to Litestar (a 400 too).

The value it decodes is what the handler gets: it is kept as the request's JSON, which
Litestar's body extractor reads, and the handler's signature passes a value already of
its type through as it is. The body is decoded once, and a body's checks
(``core.validators.Checked``) run once, instead of a strict decode thrown away, Litestar's
decode into dicts and lists, and its conversion to the type.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar.connection import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import ValidationException
from litestar.params import BodyKwarg
from litestar.utils.scope.state import ScopeState

from core.api.body import plainly_fine

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_AT = re.compile(r" - at `\$(?P<path>[^`]*)`$")


def _key(path: str) -> str:
    """``.form.items[0].name`` → ``form.items[0].name``."""
    return path.removeprefix(".")


async def strict_body(connection: Request[Any, Any, Any]) -> None:
    if connection.scope.get("method") not in _WRITES:
        return
    signature = getattr(connection.route_handler, "parsed_fn_signature", None)
    field = signature.parameters.get("data") if signature is not None else None
    if field is None:
        return
    kwarg = field.kwarg_definition
    if isinstance(kwarg, BodyKwarg) and kwarg.media_type != RequestEncodingType.JSON:
        return
    raw = await connection.body()
    if not raw.strip():
        return
    try:
        value = msgspec.json.decode(raw, type=field.annotation, strict=True)
    except msgspec.ValidationError as exc:
        text = str(exc)
        found = _AT.search(text)
        message = _AT.sub("", text)
        raise ValidationException(
            f"Validation failed for {connection.method} {connection.url.path}",
            extra=[
                {
                    "message": message,
                    "key": _key(found.group("path")) if found else "data",
                    "source": "body",
                }
            ],
        ) from None
    except Exception:
        return
    if plainly_fine(raw):
        # (A body that may hold a NUL or nest too deep is left to ApiRequest.json, which
        # looks for them in what Litestar decodes.)
        ScopeState.from_scope(connection.scope).json = value
