"""No input produces a 500: malformed bodies, ids and query values on every route."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from litestar import Litestar

from core import clock
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
            assert r.json()["detail"], (what, method, url, r.text)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"answers": {"a": ' + b"[" * 1000 + b"]" * 1000 + b"}}", "nested deeper than 32"),
        (b'{"answers": {"a": ' + b"[" * 40 + b"]" * 40 + b"}}", "nested deeper than 32"),
        (b'{"answers": {"a": "\xff\xfe"}}', "not valid UTF-8"),
    ],
)
async def test_the_400_for_malformed_json_says_what_is_wrong(
    world: World, body: bytes, says: str
) -> None:
    url = f"/api/screening?municipality={world.slug}"
    r = await world.client.post(url, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text
    assert says in r.json()["detail"], r.text


async def test_a_login_in_invalid_utf8_is_400(world: World) -> None:
    body = b'{"username": "\xff\xfe", "password": "\xc3\x28"}'
    r = await world.client.post(
        "/api/auth/login", content=body, headers={"content-type": "application/json"}
    )
    assert r.status_code == 400, r.text
    assert "not valid UTF-8" in r.json()["detail"], r.text


# ------------------------------------------------- odd values in every field and query
ODD_TEXT = [
    "0001-01-01",
    "9999-12-31",
    "0000-01",
    "2026-13",
    "1E+400",
    "0.001",
    "NaN",
    "-Infinity",
    "\u0000",
    "a\u0000b",
    "",
    "x" * 100_000,
]
ODD_NUMBERS: list[object] = [2**70, -(2**70), 1e308, -1, 0, 1.5, "1E+400"]
ODD_QUERY = [*ODD_TEXT[:-1], "99999999999999999999", "-5", "1e400", "9" * 400]


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def _example(doc: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Any:
    """A plausible value of ``schema``: the first choice, today's dates, small numbers."""
    schema = _resolve(doc, schema)
    if depth > 6:
        return None
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(doc, o).get("type") != "null"]
            return _example(doc, options[0], depth + 1) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _example(doc, v, depth + 1) for k, v in props.items()}
    if kind == "array":
        return [_example(doc, schema.get("items", {}), depth + 1)]
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return clock.today().isoformat()
        if fmt == "date-time":
            return clock.now().isoformat()
        if fmt == "decimal":
            return "10.00"
        if "[0-9]{2}$" in schema.get("pattern", ""):
            return clock.today().strftime("%Y-%m")
        return "Тест"
    return None


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict) and value:
        return [leaf for k, v in value.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(value, list) and value:
        return _leaves(value[0], (*path, 0))
    return [(path, value)]


def _with(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    here = copy
    for step in path[:-1]:
        here = here[step]
    here[path[-1]] = new
    return copy


async def test_odd_values_in_any_field_or_query_never_break_a_route(
    app: Litestar, world: World
) -> None:
    """Each field of each body in turn, and each query parameter, takes out-of-range
    dates and months, exponent and NaN money, NUL characters, empty and very long text,
    integers beyond int64: every answer is below 500."""
    doc = app.openapi_schema.to_schema()
    roles: dict[tuple[str, str], str | None] = {}
    for path, handler in all_handlers(app):
        allowed = sorted(handler.opt.get("roles", [])) or ["admin"]
        role = (
            None if handler.opt.get("public") else ("admin" if "admin" in allowed else allowed[0])
        )
        for method in handler.http_methods:  # type: ignore[attr-defined]
            roles[(method, re.sub(r":\w+\}", "}", path))] = role
    broken: list[tuple[str, str, str, str, str]] = []
    for path, operations in doc["paths"].items():
        if not path.startswith("/api/") or path == "/api/auth/logout":  # keep the sessions
            continue
        # Passwords and roles change on the auditor's account, not the caller's own.
        url = path.replace("{user_id}", str(world.actors["auditor"].id))
        url = re.sub(r"\{[a-z_]+\}", "1", url)
        for method, operation in operations.items():
            verb = method.upper()
            auth = world.auth(roles.get((verb, path), "admin"))
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema:
                base = _example(doc, schema)
                for where, value in _leaves(base):
                    for odd in ODD_TEXT if isinstance(value, str) else ODD_NUMBERS:
                        body = _with(base, where, odd)
                        r = await world.client.request(verb, url, json=body, headers=auth)
                        if r.status_code >= 500:
                            broken.append((verb, path, str(where), repr(odd)[:20], r.text))
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                for odd in ODD_QUERY:
                    params = {parameter["name"]: odd}
                    r = await world.client.request(verb, url, params=params, headers=auth)
                    if r.status_code >= 500:
                        broken.append((verb, path, parameter["name"], repr(odd)[:20], r.text))
    assert not broken, "\n".join(" ".join(b) for b in broken)
    # The sessions lasted to the end: every route was reached as its role.
    assert (await world.get("admin", "/api/auth/me")).status_code == 200


async def test_a_nul_character_in_body_text_is_400_naming_the_field(world: World) -> None:
    """PostgreSQL cannot store NUL in text; SQLite stored it. Both engines refuse it now,
    naming the field, before anything is written."""
    citizen = {"last_name": "Ко\u0000валь", "first_name": "Іван"}
    r = await world.post("intake", "/api/citizens", citizen)
    assert r.status_code == 400, r.text
    assert r.json()["extra"][0]["key"] == "last_name"
    nested = {"applicant": {"settlement": "Ковель"}, "answers": {"items": ["a", "b\u0000"]}}
    r = await world.client.post(f"/api/screening?municipality={world.slug}", json=nested)
    assert r.status_code == 400, r.text
    assert r.json()["extra"][0]["key"] == "answers.items[1]"
    r = await world.post(None, "/api/auth/login", {"username": "a\u0000", "password": "x"})
    assert r.status_code == 400, r.text
    assert r.json()["extra"][0]["key"] == "username"
