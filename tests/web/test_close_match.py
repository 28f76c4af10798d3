"""The desk's citizen search forgives typos: when nothing matches exactly it shows the
names close to every word typed, closest first (on PostgreSQL the candidates come from the
trigram index, on SQLite from the first letters); the API's search stays exact."""

from __future__ import annotations

import httpx

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
