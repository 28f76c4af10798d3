"""The desk's citizen search forgives typos: when nothing matches exactly it shows the
names close to every word typed, closest first (the candidates come from the words of
the names, on both engines); the API's search stays exact."""

from __future__ import annotations

import httpx
import pytest

from core.workflow import citizen_search
from tests.api.test_citizen_search import names, register
from tests.web.conftest import sign_in
from tests.world import World

DESK = "/desk/front-office/citizens"


async def test_the_desk_finds_a_name_typed_wrong_closest_first(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await register(world)
    for last, first in (("Мельничок", "Ганна"), ("Мороз", "Ганна")):
        body = {"last_name": last, "first_name": first}
        assert (await world.post("intake", "/api/citizens", body)).status_code == 201
    await sign_in(visitor, f"{world.slug}.intake")
    found = (await visitor.get(DESK, params={"q": "Мельнічук"})).text  # і for и
    assert "Мельничук Ярослав" in found
    assert found.index("Мельничук Ярослав") < found.index("Мельничок Ганна")
    assert "Мороз" not in found
    found = (await visitor.get(DESK, params={"q": "Шефчук Оксанв"})).text  # two words wrong
    assert "Шевчук Оксана" in found
    assert "Ковальчишин" not in found
    found = (await visitor.get(DESK, params={"q": "Ткачинко"})).text
    assert "Ткаченко Ігор" in found
    nobody = (await visitor.get(DESK, params={"q": "Бондаренко"})).text
    assert "Ткаченко" not in nobody
    assert "Мельнич" not in nobody
    # the API stays exact
    assert await names(world, q="Мельнічук") == []


@pytest.mark.parametrize(
    "missing", [("citizen_name_word_fts",), ("citizen_name_word_fts", "citizen_name_fts")]
)
async def test_an_older_sqlite_without_the_words_still_forgives_typos(
    world: World,
    visitor: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    missing: tuple[str, ...],
) -> None:
    """A SQLite database migrated where the library had no JSON functions has no words of
    the names (and without FTS5's trigram tokenizer no trigram table): the close match
    falls back to the names sharing trigrams, or to the names' first letters. (On
    PostgreSQL, which asks for no table, the words answer the same.)"""
    made = citizen_search._has_table

    async def without(name: str) -> bool:
        return False if name in missing else await made(name)

    monkeypatch.setattr(citizen_search, "_has_table", without)
    await register(world)
    await sign_in(visitor, f"{world.slug}.intake")
    found = (await visitor.get(DESK, params={"q": "Мельнічук"})).text
    assert "Мельничук Ярослав" in found
    found = (await visitor.get(DESK, params={"q": "Ткачинко"})).text
    assert "Ткаченко Ігор" in found
    assert "Мельнич" not in found
