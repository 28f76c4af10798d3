"""``HEAD`` is answered as ``GET`` is, without the body: a page, an API read, a static
file; a path without ``GET`` still refuses it."""

from __future__ import annotations

from typing import Any

import httpx
from litestar import Litestar

from tests.world import World


async def _raw(app: Litestar, method: str, path: str, query: str = "") -> list[dict[str, Any]]:
    """The ASGI messages the app sends for a request (what a server would write)."""
    sent: list[dict[str, Any]] = []
    asked = False

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(dict(message))

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "state": {},
    }
    await app(scope, receive, send)  # type: ignore[arg-type]
    return sent


def _answer(sent: list[dict[str, Any]]) -> tuple[int, dict[str, str], bytes]:
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], headers, body


async def test_head_answers_as_get_without_the_body(world: World, app: Litestar) -> None:
    query = f"municipality={world.slug}"
    for path in ("/", "/api/services", "/static/htmx.min.js"):
        got = _answer(await _raw(app, "GET", path, query))
        head = _answer(await _raw(app, "HEAD", path, query))
        assert got[0] == head[0] == 200, path
        assert got[2], path  # the GET has a body ...
        assert head[2] == b"", path  # ... its HEAD none
        for name in ("content-type", "content-length", "cache-control", "etag"):
            assert head[1].get(name) == got[1].get(name), (path, name)
        assert head[1]["x-content-type-options"] == "nosniff"  # the security headers too


async def test_head_of_a_path_without_get_is_refused(client: httpx.AsyncClient) -> None:
    r = await client.head("/api/auth/login")
    assert r.status_code == 405
    assert "POST" in r.headers["allow"]
