"""JSON request bodies: whatever bytes arrive, a body that cannot be decoded is a 400.

Litestar decodes a JSON body with msgspec and turns msgspec's ``DecodeError`` into a 400,
but two failures escape it as other exceptions: invalid UTF-8 inside a string
(``UnicodeDecodeError``) and nesting deeper than the interpreter's recursion limit
(``RecursionError``). Both are the client's fault, so ``ApiRequest.json`` answers them
with a 400 that says what is wrong, and it refuses any body nested deeper than
``MAX_DEPTH`` levels: no body of the API needs more, and a deeper one would only reach
code that walks it recursively.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import SerializationException

#: The deepest nesting of arrays and objects a JSON body may have.
MAX_DEPTH = 32


def _too_deep(value: Any, limit: int) -> bool:
    """Whether ``value`` nests arrays and objects deeper than ``limit`` (iteratively)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class ApiRequest(Request[Any, Any, Any]):
    """Litestar's request whose ``json()`` answers any undecodable body with a 400."""

    async def json(self) -> Any:
        try:
            value = await super().json()
        except UnicodeDecodeError as exc:
            raise SerializationException(
                "Тіло запиту не в кодуванні UTF-8 / the request body is not valid UTF-8 "
                f"(byte {exc.start})"
            ) from exc
        except RecursionError as exc:
            raise SerializationException(
                f"JSON вкладений глибше за {MAX_DEPTH} рівнів / the JSON body is nested "
                f"deeper than {MAX_DEPTH} levels"
            ) from exc
        if _too_deep(value, MAX_DEPTH):
            raise SerializationException(
                f"JSON вкладений глибше за {MAX_DEPTH} рівнів / the JSON body is nested "
                f"deeper than {MAX_DEPTH} levels"
            )
        return value
