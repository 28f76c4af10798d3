"""No input produces a 500: malformed bodies, ids and query values on every route."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar

from core.api.app import all_handlers
from tests.world import World

BODIES: list[object] = [
    None,
    [],
    "text",
    12,
    {"x": {"y": [1, 2, {"z": None}]}},
    {"service_code": "funeral_aid.lump_sum", "citizen_id": 2**70, "form": {"death_date": 5}},
    {"last_name": "\u0000", "first_name": "x" * 10_000, "birth_date": "0000-00-00"},
    {"name": "ГО", "kind": "ngo", "iban": "UA" + "9" * 40, "edrpou": "ab"},
    {"decision": "approve", "refusal_ground": ["x"]},
    {"key": "funeral_aid.amount", "valid_from": "2026-02-30", "value": {"a": 1}},
    {"plugins": "funeral_aid"},
    {"applicant": {"categories": "veteran"}, "answers": []},
    {"username": "a" * 65, "password": ""},
]
IDS = ["0", "-1", "99999999999999999999999", "abc", "1.5", "2147483648"]


def _routes(app: Litestar) -> list[tuple[str, str]]:
    return sorted(
        {
            (m, p)
            for p, h in all_handlers(app)
            if p.startswith("/api/")
            for m in h.http_methods  # type: ignore[attr-defined]
        }
    )


def _json_routes(app: Litestar) -> list[tuple[str, str, str | None]]:
    """Every route that reads a JSON body, with a role allowed to call it."""
    out = set()
    for path, handler in all_handlers(app):
        data = handler.parsed_fn_signature.parameters.get("data")
        if not path.startswith("/api/") or data is None:
            continue
        if getattr(data.kwarg_definition, "media_type", "application/json") != "application/json":
            continue
        role = None if handler.opt.get("public") else sorted(handler.opt["roles"])[0]
        for method in handler.http_methods:  # type: ignore[attr-defined]
            out.add((method, path, role))
    return sorted(out, key=lambda r: (r[0], r[1], r[2] or ""))


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{[a-z_]+:(int|str)\}", value, path)


@pytest.mark.parametrize("role", ["admin", "intake", None])
async def test_no_body_breaks_any_route(app: Litestar, world: World, role: str | None) -> None:
    for method, path in _routes(app):
        url = _fill(path, "1")
        for body in BODIES:
            r = await world.client.request(method, url, json=body, headers=world.auth(role))
            assert r.status_code < 500, (method, url, body, r.text)
        r = await world.client.request(
            method,
            url,
            content=b"{not json",
            headers={**world.auth(role), "content-type": "application/json"},
        )
        assert r.status_code < 500, (method, url, r.text)


async def test_no_id_or_query_value_breaks_any_route(app: Litestar, world: World) -> None:
    for method, path in _routes(app):
        if "{" not in path:
            continue
        for value in IDS:
            url = _fill(path, value)
            r = await world.client.request(method, url, json={}, headers=world.auth("admin"))
            assert r.status_code < 500, (method, url, r.text)
    for query in (
        {"page": "0"},
        {"page_size": "100000"},
        {"citizen_id": "9" * 30},
        {"birth_date": "31.12.2000"},
        {"overdue": "maybe"},
        {"q": "\u0000' OR 1=1 --"},
        {"office_id": "-5"},
        {"status": "approved", "page": "99999999"},
    ):
        for url in ("/api/requests", "/api/citizens", "/api/providers", "/api/audit"):
            r = await world.get("admin", url, params=query)
            assert r.status_code < 500, (url, query, r.text)


MALFORMED_JSON = {
    "nested 1000 levels": b"[" * 1000 + b"]" * 1000,
    "nested 40 levels": b'{"a": ' + b"[" * 40 + b"]" * 40 + b"}",
    "invalid UTF-8": b'{"username": "\xff\xfe\xfd", "password": "\xc3\x28"}',
}


async def test_malformed_json_is_400_on_every_json_route(app: Litestar, world: World) -> None:
    routes = _json_routes(app)
    assert ("POST", "/api/screening", None) in routes
    assert ("POST", "/api/auth/login", None) in routes
    for method, path, role in routes:
        url = _fill(path, "1")
        for what, body in MALFORMED_JSON.items():
            r = await world.client.request(
                method,
                url,
                content=body,
                headers={**world.auth(role), "content-type": "application/json"},
            )
            assert r.status_code == 400, (what, method, url, r.text)
            detail = r.json()["detail"]
            assert ("UTF-8" in detail) if "UTF" in what else ("nested deeper" in detail), detail
