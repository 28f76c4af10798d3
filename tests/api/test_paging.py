"""Lists at scale: cursors (``after`` / ``next_after``) walk a list without losing or
repeating a row, page numbers stop near the start, counts stop at their bound, and a bad
cursor is a 400 naming ``after``."""

from __future__ import annotations

import base64
from typing import Any

import msgspec
import pytest

from core.db import paging
from tests.api.test_requests import submit
from tests.world import IBAN, World


async def _walk(world: World, role: str, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a list, page after page by ``next_after``."""
    items: list[dict[str, Any]] = []
    after = None
    for _ in range(100):
        query = dict(params, **({"after": after} if after else {}))
        r = await world.get(role, path, params=query)
        assert r.status_code == 200, r.text
        page = r.json()
        items.extend(page["items"])
        after = page["next_after"]
        if after is None:
            return items
        assert page["items"], "a page with a next cursor has rows"
    raise AssertionError("the cursor never reached the last page")


async def test_citizens_page_on_cursors_in_name_order(world: World) -> None:
    names = [("Бондар", "Олена"), ("Бондар", "Олена"), ("Бондар", "Олена"), ("Андрієнко", "Яна")]
    names += [("Яковенко", "Іван"), ("Бондар", "Андрій"), ("Гнатюк", "Петро")]
    for last, first in names:
        r = await world.post("intake", "/api/citizens", {"last_name": last, "first_name": first})
        assert r.status_code == 201, r.text
    whole = (await world.get("intake", "/api/citizens", params={"page_size": 500})).json()
    assert whole["next_after"] is None
    assert whole["total"] == len(names) + 2
    assert whole["total_exact"]
    expected = [c["id"] for c in whole["items"]]
    keys = [(c["last_name"], c["first_name"], c["id"]) for c in whole["items"]]
    assert keys == sorted(keys)
    walked = await _walk(world, "intake", "/api/citizens", page_size=2)
    assert [c["id"] for c in walked] == expected  # none lost, none repeated, in order
    # namesakes are told apart by their ids: a cursor between two of them
    r = await world.get("intake", "/api/citizens", params={"q": "бондар олена", "page_size": 1})
    first = r.json()
    assert first["total"] == 3
    assert len(first["items"]) == 1
    r = await world.get(
        "intake",
        "/api/citizens",
        params={"q": "бондар олена", "page_size": 1, "after": first["next_after"]},
    )
    second = r.json()
    assert second["items"][0]["id"] > first["items"][0]["id"]
    assert second["total"] == 3  # the count is of the whole list, not of the rest


async def test_requests_page_on_cursors_newest_first(world: World) -> None:
    made = [(await submit(world, deceased_first_name=n))["id"] for n in ("Анна", "Богдан", "Віра")]
    made += [(await submit(world, deceased_first_name=n))["id"] for n in ("Галина", "Данило")]
    walked = await _walk(world, "caseworker", "/api/requests", page_size=2)
    assert [r["id"] for r in walked] == sorted(made, reverse=True)
    by_number = await world.get("caseworker", "/api/requests", params={"page_size": 2, "page": 3})
    assert [r["id"] for r in by_number.json()["items"]] == [min(made)]
    assert by_number.json()["next_after"] is None


async def test_audit_pages_do_not_shift_while_reads_are_written(world: World) -> None:
    """Every page read writes an audit row at the top of the log; pages read after a
    cursor stay where they were (page numbers would have slid by a row each time)."""
    for _ in range(5):
        await world.get("intake", f"/api/citizens/{world.citizen_id}")
    start = (await world.get("admin", "/api/audit", params={"page_size": 3})).json()
    top = start["items"][0]["id"]
    walked = start["items"] + await _walk(
        world, "admin", "/api/audit", page_size=3, after=start["next_after"]
    )
    ids = [row["id"] for row in walked]
    assert ids == sorted(set(ids), reverse=True)
    assert ids[0] == top
    before = (await world.get("admin", "/api/audit", params={"page_size": 1000})).json()
    assert [r["id"] for r in before["items"] if r["id"] <= top] == ids


async def test_providers_page_on_cursors_by_name(world: World) -> None:
    made = (("ГО «Дім»", "40000006"), ("БФ «Надія»", "40000011"), ("Агенція «Турбота»", "40000027"))
    for name, code in made:
        body = {"name": name, "kind": "ngo", "edrpou": code, "iban": IBAN}
        r = await world.post("admin", "/api/providers", body)
        assert r.status_code == 201, r.text
    whole = (await world.get("admin", "/api/providers", params={"page_size": 500})).json()
    keys = [(p["name"], p["id"]) for p in whole["items"]]
    assert keys == sorted(keys)
    assert len(keys) == 5
    walked = await _walk(world, "admin", "/api/providers", page_size=2)
    assert [(p["name"], p["id"]) for p in walked] == keys


def _cursor(*values: Any) -> str:
    return _b64(msgspec.json.encode(list(values)))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "path",
    ["/api/citizens", "/api/requests", "/api/providers", "/api/audit", "/api/deliveries"],
)
async def test_a_bad_cursor_is_a_400_naming_after(world: World, path: str) -> None:
    requests_cursor = _cursor("requests", 5)
    bad = [
        "AAAA",  # base64 of three zero bytes: not JSON
        "bm90LWpzb24",  # "not-json"
        _cursor("audit" if path != "/api/audit" else "citizens", 5),  # another list's
        _cursor("citizens", 5, "x", 1),  # wrong types
        _cursor("deliveries", "5"),
        _cursor("providers", "Назва"),  # a value short
        _cursor("requests", True),
        _b64(b'["requests", 1180591620717411303424]'),  # beyond any id
        "x" * 700,
        "лапки",  # not base64url
        "",
    ]
    if path != "/api/requests":
        bad.append(requests_cursor)
    for after in bad:
        r = await world.get("admin", path, params={"after": after})
        assert r.status_code == 400, (path, after, r.text)
        assert r.json()["extra"][0]["key"] == "after", (path, after, r.text)


async def test_page_and_after_are_not_mixed_and_deep_pages_need_after(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = await world.get("intake", "/api/citizens", params={"page_size": 1})
    cursor = r.json()["next_after"]
    assert cursor
    r = await world.get("intake", "/api/citizens", params={"page": 2, "after": cursor})
    assert r.status_code == 400
    assert r.json()["extra"][0]["key"] == "page"
    monkeypatch.setattr(paging, "OFFSET_LIMIT", 4)
    ok = await world.get("intake", "/api/citizens", params={"page_size": 2, "page": 2})
    assert ok.status_code == 200, ok.text
    deep = await world.get("intake", "/api/citizens", params={"page_size": 2, "page": 3})
    assert deep.status_code == 400
    assert deep.json()["extra"][0]["key"] == "page"
    assert "after" in deep.json()["detail"]


async def test_counts_stop_at_their_bound(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "COUNT_LIMIT", 3)
    for first in ("Ілля", "Ірина"):
        body = {"last_name": "Лук'яненко", "first_name": first}
        assert (await world.post("intake", "/api/citizens", body)).status_code == 201
    every = (await world.get("intake", "/api/citizens", params={"page_size": 1})).json()
    assert (every["total"], every["total_exact"]) == (3, False)  # 4 citizens: "more than 3"
    assert every["next_after"]
    some = (await world.get("intake", "/api/citizens", params={"q": "лук'ян"})).json()
    assert (some["total"], some["total_exact"]) == (2, True)
    assert len(some["items"]) == 2
    assert some["next_after"] is None
