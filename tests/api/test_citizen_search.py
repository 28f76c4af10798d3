"""Citizen search: any fragment of the name (on PostgreSQL through the trigram index),
the tax number and the birth date, alone and together, in the order of the name (the
desk's close match: tests/web/test_close_match.py)."""

from __future__ import annotations

from typing import Any

import pytest

from core.db import paging
from core.db.engine import is_sqlite
from core.db.tables import Citizen
from core.workflow import citizen_search
from tests.world import World

PEOPLE = [
    ("Ковальчишин", "Ігор", "Юрійович", "1961-03-14", "1759013776"),
    ("Коваль", "Марія", "Петрівна", "1961-03-14", "3068109381"),
    ("Шевчук", "Оксана", "Ігорівна", "1990-07-01", None),
    ("Ткаченко", "Ігор", "", "1975-11-30", None),
    ("Мельничук", "Ярослав", "Ігорович", None, None),
]


async def register(world: World) -> dict[str, int]:
    ids = {}
    for last, first, patronymic, born, tax in PEOPLE:
        body: dict[str, Any] = {"last_name": last, "first_name": first, "patronymic": patronymic}
        if born:
            body["birth_date"] = born
        if tax:
            body["tax_number"] = tax
        r = await world.post("intake", "/api/citizens", body)
        assert r.status_code == 201, r.text
        ids[f"{last} {first}"] = r.json()["id"]
    return ids


async def names(world: World, exact: str = "yes", **params: str) -> list[str]:
    """The names found, "last first"; unless ``exact`` is "no", all of them on one page."""
    r = await world.get("intake", "/api/citizens", params=params)
    assert r.status_code == 200, r.text
    page = r.json()
    if exact != "no":
        assert page["total"] == len(page["items"])
        assert page["total_exact"]
    return [f"{c['last_name']} {c['first_name']}" for c in page["items"]]


async def test_any_fragment_of_the_name_in_any_case(world: World) -> None:
    await register(world)
    assert await names(world, q="вальчи") == ["Ковальчишин Ігор"]  # inside a surname
    # the world's own citizens are Шевченко Оксана and Коваль Петро
    assert await names(world, q="КОВАЛЬ") == ["Коваль Марія", "Коваль Петро", "Ковальчишин Ігор"]
    assert await names(world, q="ігор") == [  # a first name, and inside patronymics
        "Ковальчишин Ігор",
        "Мельничук Ярослав",
        "Ткаченко Ігор",
        "Шевчук Оксана",
    ]
    assert await names(world, q="ігор ковал") == ["Ковальчишин Ігор"]  # every word, any order
    assert await names(world, q="чук ігорівна") == ["Шевчук Оксана"]
    assert await names(world, q="ко") == [
        "Коваль Марія",
        "Коваль Петро",
        "Ковальчишин Ігор",
        "Ткаченко Ігор",
        "Шевченко Оксана",
    ]
    assert await names(world, q="ковальчишинка") == []
    assert await names(world, q="ігор ярослав оксана") == []


async def test_tax_number_and_birth_date_alone_and_with_a_name(world: World) -> None:
    await register(world)
    assert await names(world, tax_number="3068109381") == ["Коваль Марія"]
    assert await names(world, tax_number="306810938") == []  # a number, not a fragment
    assert await names(world, birth_date="1961-03-14") == ["Коваль Марія", "Ковальчишин Ігор"]
    assert await names(world, birth_date="1961-03-14", q="ігор") == ["Ковальчишин Ігор"]
    assert await names(world, birth_date="1961-03-15") == []
    assert await names(world, tax_number="1759013776", birth_date="1961-03-14") == [
        "Ковальчишин Ігор"
    ]
    assert await names(world, tax_number="1759013776", q="марія") == []
    r = await world.get("intake", "/api/citizens", params={"birth_date": "14.03.1961"})
    assert r.status_code == 400
    assert "birth_date" in r.text


async def test_many_matches_come_in_name_order_wherever_they_sit(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With more matches than the count's bound, a page of a name search is read in the
    order of the name wherever the matches sit: one fragment on PostgreSQL from the
    entries of the words holding it; several words (and SQLite) from a short walk of the
    name index when the matches are spread along it, and from all the matches sorted
    when they sit at its far end."""
    monkeypatch.setattr(paging, "COUNT_LIMIT", 2)
    monkeypatch.setattr(paging, "WALK_LIMIT", 4)
    entries = 0
    made = citizen_search._entries

    def counted(municipality_id: int, word: str) -> paging.InOrder | None:
        read = made(municipality_id, word)
        if read is None:
            return None

        async def counting(after: list[Any] | None, limit: int) -> list[dict[str, Any]]:
            nonlocal entries
            entries += 1
            return await read(after, limit)

        return counting

    monkeypatch.setattr(citizen_search, "_entries", counted)
    for last, first in [("Антоненко", "Ярема"), ("Бабенко", "Олег"), ("Вакуленко", "Ярема")]:
        await world.post("intake", "/api/citizens", {"last_name": last, "first_name": first})
    for first in ("Ірина", "Олена", "Петро", "Ярема"):
        await world.post("intake", "/api/citizens", {"last_name": "Ющенко", "first_name": first})
    spread = await names(world, q="енко", page_size="2", exact="no")
    assert spread == ["Антоненко Ярема", "Бабенко Олег"]
    at_the_end = await names(world, q="ющ", page_size="3", exact="no")
    assert at_the_end == ["Ющенко Ірина", "Ющенко Олена", "Ющенко Петро"]
    second = await names(world, q="ющ", page_size="2", page="2", exact="no")
    assert second == ["Ющенко Петро", "Ющенко Ярема"]
    for q in ("ярем", "енко"):  # a first name, a surname's ending: every page, in order
        r = await world.get("intake", "/api/citizens", params={"q": q, "page_size": 1})
        walked = [" ".join((r.json()["items"][0]["last_name"], r.json()["items"][0]["first_name"]))]
        while r.json()["next_after"] and len(walked) <= len(ALL):  # a cursor going nowhere
            after = r.json()["next_after"]
            r = await world.get(
                "intake", "/api/citizens", params={"q": q, "page_size": 1, "after": after}
            )
            item = r.json()["items"][0]
            walked.append(f"{item['last_name']} {item['first_name']}")
        expected = [n for n in ALL if q in n.lower()]
        assert walked == expected
    # several words: the walk, then all sorted
    assert await names(world, q="енко я", page_size="2", exact="no") == [
        "Антоненко Ярема",
        "Вакуленко Ярема",
    ]
    assert await names(world, q="ющ енко", page_size="3", exact="no") == at_the_end
    # PostgreSQL read the single fragments' pages from the entries (SQLite has none)
    assert (entries > 0) == (not is_sqlite())


ALL = [
    "Антоненко Ярема",
    "Бабенко Олег",
    "Вакуленко Ярема",
    "Шевченко Оксана",  # the world's
    "Ющенко Ірина",
    "Ющенко Олена",
    "Ющенко Петро",
    "Ющенко Ярема",
]


async def test_the_entries_follow_a_new_name(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A renamed person is found by the new name's fragments in its place, and no longer
    by the old one's (the entries are kept by the database)."""
    monkeypatch.setattr(paging, "COUNT_LIMIT", 1)
    ids = {}
    for first in ("Олена", "Петро", "Ярема"):
        r = await world.post(
            "intake", "/api/citizens", {"last_name": "Ющенко", "first_name": first}
        )
        ids[first] = r.json()["id"]
    r = await world.patch("intake", f"/api/citizens/{ids['Петро']}", {"last_name": "Аюшенко"})
    assert r.status_code == 200, r.text
    assert await names(world, q="ющенко", exact="no") == ["Ющенко Олена", "Ющенко Ярема"]
    assert await names(world, q="юшенко", exact="no") == ["Аюшенко Петро"]
    r = await world.patch("intake", f"/api/citizens/{ids['Олена']}", {"address": "вул. Нова, 1"})
    assert r.status_code == 200, r.text
    assert await names(world, q="енко", exact="no") == [
        "Аюшенко Петро",
        "Шевченко Оксана",
        "Ющенко Олена",
        "Ющенко Ярема",
    ]


async def _plan_mode() -> str:
    rows = await Citizen.raw("SELECT current_setting('plan_cache_mode') AS mode")
    return str(rows[0]["mode"])


async def test_a_search_is_planned_for_its_words(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reads by key keep PostgreSQL's plan cache; the statements of a search and of the
    desk's close match are each planned for the words typed (core.db.engine,
    planned_for_values), and the setting ends with the search."""
    await register(world)
    seen: list[str] = []
    counted, close = paging.count_up_to, citizen_search._dictionary_candidates

    async def count(*args: Any, **kwargs: Any) -> int:
        seen.append("sqlite" if is_sqlite() else await _plan_mode())
        return await counted(*args, **kwargs)

    async def candidates(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        seen.append("sqlite" if is_sqlite() else await _plan_mode())
        return await close(*args, **kwargs)

    monkeypatch.setattr(paging, "count_up_to", count)
    monkeypatch.setattr(citizen_search, "_dictionary_candidates", candidates)
    assert await names(world, q="ковал") == ["Коваль Марія", "Коваль Петро", "Ковальчишин Ігор"]
    where = Citizen.municipality == world.municipality_id
    found = await citizen_search.similar_names(where, "Ткачинко", world.municipality_id)
    assert [f"{r['last_name']} {r['first_name']}" for r in found] == ["Ткаченко Ігор"]
    if is_sqlite():
        assert seen == ["sqlite", "sqlite"]
    else:
        assert seen == ["force_custom_plan", "force_custom_plan"]
        assert await _plan_mode() == "auto"  # outside: PostgreSQL's own plan cache
