"""``HEAD`` answers as ``GET`` does, without the body (RFC 9110, 9.3.2).

Litestar routes ``HEAD`` only to handlers that declare it, and a handler that does may not
return a body, so a page or an API read answered a monitoring probe's ``HEAD`` with 405.
:class:`HeadAsGet` runs the request as a ``GET`` (on a copy of the scope: the server
keeps its own, and knows it answers a ``HEAD``) and sends the answer's status and
headers, ``Content-Length`` included, without its body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from litestar.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI wrapper: a ``HEAD`` request is served as a ``GET`` with the body left out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(cast("Scope", {**scope, "method": "GET"}), receive, headers_only)
