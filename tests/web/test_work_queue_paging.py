"""The work queue pages by number near the start and by cursor further on (following its
"next" links visits every request once, earliest due first), and its counts stop at the
lists' bound ("понад ...")."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from core.db import paging
from core.web import back_office, panels
from tests.api.test_requests import submit
from tests.web.conftest import sign_in
from tests.world import World

NUMBER = re.compile(r'<a href="/desk/requests/(\d+)">')
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


async def _requests(world: World, count: int) -> list[int]:
    names = ("Анна", "Богдан", "Віра", "Галина", "Данило", "Євген", "Жанна")
    return [(await submit(world, deceased_first_name=n))["id"] for n in names[:count]]


async def test_following_next_visits_every_request_once(
    world: World, visitor: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = await _requests(world, 5)
    monkeypatch.setattr(back_office, "PAGE_SIZE", 2)
    monkeypatch.setattr(paging, "OFFSET_LIMIT", 4)  # pages 1-2 by number, then cursors
    await sign_in(visitor, f"{world.slug}.caseworker")
    seen: list[int] = []
    path = "/desk/requests?status="
    links = []
    for _ in range(10):
        page = await visitor.get(path)
        assert page.status_code == 200, page.text
        seen += [int(i) for i in NUMBER.findall(page.text)]
        found = NEXT.search(page.text)
        if found is None:
            break
        path = html.unescape(found.group(1))
        links.append(path)
    assert sorted(seen) == sorted(made)  # every request, none twice
    assert len(seen) == len(set(seen))
    assert "page=2" in links[0]
    assert all("after=" in link and "status=" in link for link in links[1:])
    assert "На першу сторінку" in page.text  # a page after a cursor leads back to the first


async def test_a_broken_page_link_is_a_400_page(
    world: World, visitor: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _requests(world, 1)
    await sign_in(visitor, f"{world.slug}.caseworker")
    for query in ({"after": "bm90LWpzb24"}, {"after": "лапки"}):
        broken = await visitor.get("/desk/requests", params=query)
        assert broken.status_code == 400
        assert "Посилання на сторінку пошкоджене" in broken.text
    monkeypatch.setattr(paging, "OFFSET_LIMIT", 25)
    deep = await visitor.get("/desk/requests", params={"page": "2"})
    assert deep.status_code == 400
    assert "На першу сторінку" in deep.text


async def test_counts_above_the_bound_read_more_than(
    world: World, visitor: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _requests(world, 4)
    monkeypatch.setattr(paging, "COUNT_LIMIT", 3)  # the list's count
    monkeypatch.setattr(panels, "PANEL_LIMIT", 3)  # the panel's
    await sign_in(visitor, f"{world.slug}.caseworker")
    queue = await visitor.get("/desk/requests")
    assert "Звернень: понад\u00a03" in queue.text
    assert re.search(r'<td class="num">понад\u00a03</td>', queue.text)
    english = await visitor.get("/desk/requests", params={"lang": "en"})
    assert "Requests: more than 3" in english.text
    monkeypatch.setattr(paging, "COUNT_LIMIT", 4)
    monkeypatch.setattr(panels, "PANEL_LIMIT", 4)
    exact = await visitor.get("/desk/requests", params={"lang": "uk"})
    assert "Звернень: 4" in exact.text
