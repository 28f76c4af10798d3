"""Answers kept ready to send: the public catalogue's JSON and pages, whose status,
headers and body are the same for every request that gets them.

Litestar makes each answer anew (a :class:`~litestar.Response`, then an ASGI response
whose headers are added one by one and encoded), which was the larger part of what a kept
catalogue costs above a bare route. :func:`kept` names the answer (its body by its ETag,
media type, audience and freshness), and :class:`KeptResponse` makes its ASGI answer once
for that name and the route's own headers, and hands it to Litestar as it is. A route
whose layers set cookies or a background task gets Litestar's own answer.
"""

from __future__ import annotations

from typing import Any

from litestar import Response
from litestar.types import Receive, Scope, Send

#: How many ready answers a process keeps (searches make many): all are dropped past it.
KEPT_MOST = 2000


class Ready:
    """An ASGI answer: its status, encoded headers and body, sent as they are."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status, "headers": list(self.headers)}
        )
        await send({"type": "http.response.body", "body": self.body, "more_body": False})


_READY: dict[tuple[Any, ...], Ready] = {}


class KeptResponse(Response[bytes]):
    """A response whose ASGI answer is made once for its name (:func:`kept`)."""

    __slots__ = ("name",)

    def __init__(
        self,
        body: bytes,
        status: int,
        headers: dict[str, str],
        media_type: str,
        name: tuple[Any, ...],
    ) -> None:
        super().__init__(body, status_code=status, headers=headers, media_type=media_type)
        self.name = name

    def to_asgi_response(self, app: Any, request: Any, **kwargs: Any) -> Any:
        layer = kwargs.get("headers") or {}
        if kwargs.get("cookies") or self.cookies or kwargs.get("background"):
            return super().to_asgi_response(app, request, **kwargs)
        key = (*self.name, tuple(layer.items()))
        ready = _READY.get(key)
        if ready is None:
            # As Litestar would: the layers' headers, then the answer's own, then its type
            # and length (none for a 304).
            merged = {**layer, **self.headers}
            encoded = [
                (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in merged.items()
            ]
            status = self.status_code or 200
            if status != 304:
                media = str(self.media_type)
                kind = f"{media}; charset=utf-8" if media.startswith("text/") else media
                encoded += [
                    (b"content-type", kind.encode()),
                    (b"content-length", b"%d" % len(self.content)),
                ]
            ready = Ready(status, encoded, self.content if status != 304 else b"")
            if len(_READY) >= KEPT_MOST:
                _READY.clear()
            _READY[key] = ready
        return ready


def kept(body: bytes, etag: str, media_type: str, *, shared: bool, fresh: bool) -> KeptResponse:
    """``body`` (whose ETag is ``etag``) with its ETag, or a 304 when the client has it
    (``fresh``). Clients may keep it a minute; a ``shared`` answer (to no signed-in user)
    may be kept by any cache, another only by the user's browser."""
    headers = {
        "ETag": etag,
        "Cache-Control": f"{'public' if shared else 'private'}, max-age=60",
        "Vary": "Accept-Language, Authorization, Cookie",
    }
    name = (etag, media_type, shared, fresh)
    return KeptResponse(b"" if fresh else body, 304 if fresh else 200, headers, media_type, name)
