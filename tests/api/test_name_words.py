"""The words of the citizens' names (``citizen_name_word``), which the desk's close match
compares a word typed with: kept by the database on both engines as people are
registered and renamed, each once per municipality, whatever a name holds."""

from __future__ import annotations

from core.db.tables import Citizen
from tests.world import World


async def words(world: World) -> set[str]:
    rows = await Citizen.raw(
        "SELECT word FROM citizen_name_word WHERE municipality = {}", world.municipality_id
    )
    return {r["word"] for r in rows}


async def test_the_words_of_every_name_once_split_on_spaces_and_hyphens(world: World) -> None:
    before = await words(world)
    for last, first, patronymic in (
        ("Петренко-Соловйова", "Анна  Марія", "Ігорівна"),
        ("Д'Артаньян", 'Шарль "Молодий"', "Бертранович\\"),
        ("Петренко", "Анна", ""),
    ):
        body = {"last_name": last, "first_name": first, "patronymic": patronymic}
        r = await world.post("intake", "/api/citizens", body)
        assert r.status_code == 201, r.text
    added = await words(world) - before
    assert added == {
        "петренко",
        "соловйова",
        "анна",
        "марія",
        "ігорівна",
        "д'артаньян",
        "шарль",
        '"молодий"',
        "бертранович\\",
    }
    rows = await Citizen.raw(
        "SELECT COUNT(*) AS n FROM citizen_name_word WHERE municipality = {} AND word = {}",
        world.municipality_id,
        "петренко",
    )
    assert rows[0]["n"] == 1


async def test_a_new_name_adds_its_words(world: World) -> None:
    assert "верес" not in await words(world)
    r = await world.patch("intake", f"/api/citizens/{world.citizen_id}", {"last_name": "Верес"})
    assert r.status_code == 200, r.text
    assert "верес" in await words(world)
