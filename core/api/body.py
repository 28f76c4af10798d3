"""JSON request bodies: whatever bytes arrive, a body that cannot be decoded is a 400.

Litestar decodes a JSON body with msgspec and turns msgspec's ``DecodeError`` into a 400,
but two failures escape it as other exceptions: invalid UTF-8 inside a string
(``UnicodeDecodeError``) and nesting deeper than the interpreter's recursion limit
(``RecursionError``). Both are the client's fault, so ``ApiRequest.json`` answers them
with a 400 that says what is wrong, and it refuses any body nested deeper than
``MAX_DEPTH`` levels: no body of the API needs more, and a deeper one would only reach
code that walks it recursively. A NUL character in any string of the body (PostgreSQL
cannot store it in text) is a 400 naming the field.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import SerializationException, ValidationException

#: The deepest nesting of arrays and objects a JSON body may have.
MAX_DEPTH = 32


def _path(steps: tuple[str | int, ...]) -> str:
    """``("members", 0, "name")`` → ``members[0].name``."""
    out = ""
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def _problem(value: Any, limit: int) -> tuple[str, str] | None:
    """The first problem of a decoded body (iteratively, never recursing): nesting deeper
    than ``limit``, or a NUL character in a key or a string (which PostgreSQL cannot
    store in text), as ``(kind, path)``."""
    stack: list[tuple[Any, int, tuple[str | int, ...]]] = [(value, 1, ())]
    while stack:
        item, depth, steps = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return "nul", _path(steps)
            continue
        if isinstance(item, dict):
            if depth > limit:
                return "deep", _path(steps)
            for key, child in item.items():
                if "\x00" in key:
                    return "nul", _path(steps)
                stack.append((child, depth + 1, (*steps, key)))
        elif isinstance(item, list):
            if depth > limit:
                return "deep", _path(steps)
            stack.extend((child, depth + 1, (*steps, i)) for i, child in enumerate(item))
    return None


def plainly_fine(raw: bytes) -> bool:
    """Whether the body's bytes alone show it has neither problem of :func:`_problem`:
    no NUL, raw or escaped, and fewer brackets than :data:`MAX_DEPTH` (each level of
    nesting opens one). Most bodies are; the walk over the decoded value is then spared."""
    return (
        b"\\u0000" not in raw
        and b"\x00" not in raw
        and raw.count(b"{") + raw.count(b"[") <= MAX_DEPTH
    )


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
        problem = None if plainly_fine(await self.body()) else _problem(value, MAX_DEPTH)
        if problem is not None and problem[0] == "deep":
            raise SerializationException(
                f"JSON вкладений глибше за {MAX_DEPTH} рівнів / the JSON body is nested "
                f"deeper than {MAX_DEPTH} levels"
            )
        if problem is not None:
            key = problem[1] or "data"
            message = (
                f"{key}: символ NUL (\\u0000) у тексті неприпустимий / a NUL character "
                "(\\u0000) is not allowed in text"
            )
            raise ValidationException(
                message, extra=[{"key": key, "message": message, "source": "body"}]
            )
        return value
