"""No input makes a page answer 500: odd forms, bodies and query values."""

from __future__ import annotations

import httpx

from tests.web.conftest import form_token, sign_in
from tests.world import World

QUERIES: list[dict[str, str | list[str]]] = [
    {"next": "\x00"},
    {"next": "/" + "x" * 5000},
    {"reason": "' OR 1=1 --"},
    {"lang": "xx"},
    {"lang": ["uk", "en"]},
    {"service": "\x00"},
    {"service": "x" * 5000},
]


async def test_no_input_breaks_the_sign_in_page(world: World, visitor: httpx.AsyncClient) -> None:
    for query in QUERIES:
        r = await visitor.get("/sign-in", params=query)
        assert r.status_code < 500, (query, r.text)
    token = form_token((await visitor.get("/sign-in")).text)
    forms: list[dict[str, str | list[str]]] = [
        {"username": "\x00", "password": "\x00"},
        {"username": "x" * 100_000, "password": "y"},
        {"username": "a", "password": "p" * 100_000},
        {"username": ["a", "b"], "password": ["c", "d"]},
        {"username": f"{world.slug}.admin", "password": "x", "next": "\x00"},
    ]
    for form in forms:
        r = await visitor.post("/sign-in", data={**form, "_csrf": token})
        assert r.status_code == 400, (form, r.status_code)
    r = await visitor.post("/sign-in", json={"username": "a", "_csrf": token})
    assert r.status_code == 403
    r = await visitor.post(
        "/sign-in",
        files={"username": ("u.txt", b"\xff\xfe"), "password": ("p.txt", b"x")},
        data={"_csrf": token},
    )
    assert r.status_code == 400
    r = await visitor.post(
        "/sign-in",
        content=b"%%%&&&=",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 403


async def test_no_query_breaks_a_home(world: World, visitor: httpx.AsyncClient) -> None:
    await sign_in(visitor, f"{world.slug}.intake")
    for query in QUERIES:
        r = await visitor.get("/desk/front-office", params=query)
        assert r.status_code < 500, (query, r.text)
