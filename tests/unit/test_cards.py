"""Information cards as data: the loader's errors name the file and the field, a file of
several cards shares its common part, and every built-in plugin's card loads."""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest

from core.cards import CardError, load_card, load_cards
from core.plugins import Candidate, PluginError, PluginHost, discover
from core.service import InfoCard, LocalContacts, Text
from plugins.funeral_aid.service import CARD

GOOD = """\
term_days = 10
term_kind = "working"
local_term = "shorter"
fee = "12.50"
keywords = ["зимова допомога", "winter"]

[title]
uk = "Зимова допомога"
en = "Winter aid"

[summary]
uk = "Дрова або вугілля на зиму."
en = "Firewood or coal for the winter."

[who_may_apply]
uk = "Мешканці громади."
en = "Residents of the hromada."

[[documents]]
name.uk = "Заява"
name.en = "Application"
form = "original"

[[documents]]
name.uk = "Паспорт"
name.en = "Passport"
note.uk = "або ID-картка"
note.en = "or an ID card"

[[refusal_grounds]]
code = "not_resident"
text.uk = "Не мешканець громади"
text.en = "Not a resident"

[appeal]
uk = "До суду."
en = "To a court."

[[legal_basis]]
uk = "Рішення ради № 1"
en = "Council decision No. 1"

[outcome]
uk = \"\"\"\\
  Рішення про допомогу; \\
  дрова привозять додому.\"\"\"
en = "A decision; the firewood is brought home."

[[submission_methods]]
uk = "Особисто в ЦНАП"
en = "In person at a service centre"
"""


@pytest.fixture
def here(tmp_path: Path) -> Iterator[Path]:
    """A working directory, so the files are named as a plugin's are (relative)."""
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        (tmp_path / "winter_aid").mkdir()
        yield tmp_path / "winter_aid"
    finally:
        os.chdir(before)


def write(folder: Path, text: str, name: str = "card.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path, **kw: object) -> str:
    with pytest.raises(CardError) as info:
        load_card(path, **kw)  # type: ignore[arg-type]
    return str(info.value)


def test_a_card_file_gives_the_card(here: Path) -> None:
    card = load_card(write(here, GOOD))
    assert card.title == Text("Зимова допомога", "Winter aid")
    assert card.term_days == 10
    assert card.term_kind == "working"
    assert card.local_term == "shorter"
    assert card.fee == Decimal("12.50")
    assert card.documents[0].form == "original"
    assert card.documents[1].form == "original_or_copy"
    assert card.documents[1].note == Text("або ID-картка", "or an ID card")
    assert card.refusal_grounds[0].code == "not_resident"
    assert card.legal_basis == (Text("Рішення ради № 1", "Council decision No. 1"),)
    assert card.outcome.uk == "Рішення про допомогу; дрова привозять додому."
    assert card.keywords == ("зимова допомога", "winter")
    assert card.contacts is None
    assert card.local_decision is None


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            'name.en = "Passport"',
            "name.en = 5",
            "winter_aid/card.toml: $.documents[1].name.en: Expected `str`, got `int`",
        ),
        (
            'form = "original"',
            'form = "scan"',
            "winter_aid/card.toml: $.documents[0].form: Invalid enum value 'scan'",
        ),
        (
            "term_days = 10",
            "term_days = 10\nterm = 5",
            "winter_aid/card.toml: $.term: unknown field (known: appeal, ",
        ),
        (
            'note.en = "or an ID card"',
            'note.en = "or an ID card"\nnote.de = "oder"',
            "winter_aid/card.toml: $.documents[1].note.de: unknown field (known: en, uk)",
        ),
        (
            'en = "To a court."',
            "",
            "winter_aid/card.toml: $.appeal.en: required field missing",
        ),
        (
            '[appeal]\nuk = "До суду."\nen = "To a court."\n',
            "",
            "winter_aid/card.toml: $.appeal: required field missing",
        ),
        (
            'uk = "Мешканці громади."',
            'uk = "  "',
            "winter_aid/card.toml: $.who_may_apply.uk: the text is blank",
        ),
        ('fee = "12.50"', "fee = 12.5", '$.fee: write money as a string ("12.50"), not float'),
        ('fee = "12.50"', 'fee = "12.505"', "$.fee: 12.505 is not an amount above zero"),
        ('fee = "12.50"', 'fee = "0"', "(leave fee out for a free service)"),
        ("term_days = 10", "term_days = 0", "$.term_days: must be a positive number of days"),
        (
            'keywords = ["зимова допомога", "winter"]',
            'keywords = "winter"',
            "$.keywords: Expected `array`, got `str`",
        ),
        (
            '[[legal_basis]]\nuk = "Рішення ради № 1"',
            '[legal_basis]\nuk = "Рішення ради № 1"',
            "$.legal_basis: Expected `array`, got `object`",
        ),
        (
            '[[submission_methods]]\nuk = "Особисто в ЦНАП"\nen = "In person at a service centre"',
            '[[submission_methods]]\nuk = "Особисто в ЦНАП"\nen = "In person at a service centre"'
            '\n\n[[refusal_grounds]]\ncode = "not_resident"\ntext.uk = "Ще раз"\ntext.en = "Again"',
            "$.refusal_grounds[1].code: 'not_resident' is listed twice",
        ),
        (
            'local_term = "shorter"',
            'local_term = "longer"',
            "$.local_term: Invalid enum value 'longer'",
        ),
    ],
)
def test_a_bad_card_is_refused_naming_the_file_and_the_field(
    here: Path, old: str, new: str, error: str
) -> None:
    assert old in GOOD
    message = refused(write(here, GOOD.replace(old, new, 1)))
    assert message.startswith("winter_aid/card.toml: "), message
    assert error in message, message


def test_local_parts_are_the_municipalitys_not_the_plugins(here: Path) -> None:
    contacts = GOOD.replace("term_days = 10", 'term_days = 10\ncontacts.phone = "0332"', 1)
    assert refused(write(here, contacts)) == (
        "winter_aid/card.toml: $.contacts: set by a municipality on its local card, not in a "
        "plugin's file"
    )
    local = GOOD.replace('form = "original"', 'form = "original"\nlocal = true', 1)
    assert "$.documents[0].local: set by a municipality" in refused(write(here, local))


def test_a_computed_field_comes_from_the_plugin_not_the_file(here: Path) -> None:
    without = write(here, GOOD.replace("term_days = 10\n", "", 1))
    assert load_card(without, computed={"term_days": 30}).term_days == 30
    assert "$.term_days: required field missing" in refused(without)
    both = write(here, GOOD, "both.toml")
    assert refused(both, computed={"term_days": 30}) == (
        "winter_aid/both.toml: $.term_days: the plugin computes it; leave it out of the file"
    )


def test_a_file_that_is_not_toml_or_is_missing(here: Path) -> None:
    broken = refused(write(here, GOOD.replace('uk = "Зимова допомога"', "uk = Зимова", 1)))
    assert broken.startswith("winter_aid/card.toml: not valid TOML: ")
    assert refused(here / "none.toml") == "winter_aid/none.toml: the card file is missing"


SEVERAL = """\
[common]
term_days = 1
keywords = ["спільне"]

[common.who_may_apply]
uk = "Мешканці громади."
en = "Residents of the hromada."

[[common.documents]]
name.uk = "Заява"
name.en = "Application"

[[common.refusal_grounds]]
code = "not_resident"
text.uk = "Не мешканець громади"
text.en = "Not a resident"

[common.appeal]
uk = "До суду."
en = "To a court."

[[common.legal_basis]]
uk = "Закон"
en = "Law"

[cards.firewood]
title.uk = "Дрова"
title.en = "Firewood"
summary.uk = "Дрова на зиму."
summary.en = "Firewood for the winter."
outcome.uk = "Дрова вдома."
outcome.en = "Firewood at home."
term_days = 10
keywords = ["дрова"]

[[cards.firewood.refusal_grounds]]
code = "no_stock"
text.uk = "Дров немає"
text.en = "No firewood left"

[cards.coal]
title.uk = "Вугілля"
title.en = "Coal"
summary.uk = "Вугілля на зиму."
summary.en = "Coal for the winter."
outcome.uk = "Вугілля вдома."
outcome.en = "Coal at home."
"""


def test_several_cards_share_the_common_part(here: Path) -> None:
    cards = load_cards(write(here, SEVERAL, "cards.toml"))
    assert list(cards) == ["firewood", "coal"]
    firewood, coal = cards["firewood"], cards["coal"]
    assert firewood.term_days == 10
    assert coal.term_days == 1
    assert firewood.keywords == ("спільне", "дрова")
    assert coal.keywords == ("спільне",)
    assert [g.code for g in firewood.refusal_grounds] == ["not_resident", "no_stock"]
    assert [g.code for g in coal.refusal_grounds] == ["not_resident"]
    assert firewood.appeal == coal.appeal == Text("До суду.", "To a court.")
    assert load_card(here / "cards.toml", "coal") == coal


def test_an_error_in_a_file_of_several_names_the_card_or_the_common_part(here: Path) -> None:
    path = write(here, SEVERAL.replace('text.en = "No firewood left"', "text.en = 1"), "c.toml")
    with pytest.raises(CardError, match=r"^winter_aid/c\.toml: \$\.cards\.firewood\.") as info:
        load_cards(path)
    assert str(info.value) == (
        "winter_aid/c.toml: $.cards.firewood.refusal_grounds[0].text.en: Expected `str`, got `int`"
    )
    path = write(here, SEVERAL.replace('name.en = "Application"', "name.en = 2"), "d.toml")
    with pytest.raises(CardError) as info:
        load_cards(path)
    assert str(info.value) == (
        "winter_aid/d.toml: $.common.documents[0].name.en: Expected `str`, got `int`"
    )
    path = write(here, SEVERAL.replace('outcome.en = "Coal at home."\n', ""), "e.toml")
    with pytest.raises(CardError) as info:
        load_cards(path)
    assert str(info.value) == "winter_aid/e.toml: $.cards.coal.outcome.en: required field missing"
    with pytest.raises(CardError, match=r"\$\.cards\.peat: no such card \(cards: firewood, coal\)"):
        load_card(write(here, SEVERAL, "g.toml"), "peat")
    assert "holds several cards; name the one to load" in refused(path)
    with pytest.raises(CardError, match=r"\$\.cards: no \[cards.<name>\] tables"):
        load_cards(write(here, GOOD))
    extra = write(here, SEVERAL + '\n[other]\nx = "1"\n', "f.toml")
    with pytest.raises(CardError, match=r"\$\.other: unknown field \(known: cards, common\)"):
        load_cards(extra)


def test_a_plugin_with_a_bad_card_file_stops_start_up_naming_it(here: Path) -> None:
    bad = write(here, GOOD.replace('name.en = "Passport"', "name.en = 5", 1))

    def load() -> object:
        return load_card(bad)

    with pytest.raises(Exception, match=r"^plugin 'winter_aid': cannot be imported: CardError: "):
        PluginHost(["winter_aid"], [Candidate("winter_aid", "winter-aid", "0.1", load)])


BUILT_IN = {
    "assistant_registration": ["assistant_registration.register_assistant"],
    "disability_transport": ["disability_transport.registration"],
    "funeral_aid": ["funeral_aid.lump_sum"],
    "homeless": [
        "homeless.night_stay",
        "homeless.hot_meal",
        "homeless.hygiene",
        "homeless.documents",
        "homeless.legal_consultation",
        "homeless.patrol_contact",
        "homeless.rehabilitation_referral",
    ],
    "rental_aids": ["rental_aids.loan"],
    "subsidies": ["subsidies.housing"],
}


def _texts(card: InfoCard) -> list[Text]:
    found: list[Text] = []

    def walk(value: object) -> None:
        if isinstance(value, Text):
            found.append(value)
        elif isinstance(value, msgspec.Struct):
            for name in value.__struct_fields__:
                walk(getattr(value, name))
        elif isinstance(value, tuple):
            for item in value:
                walk(item)

    walk(card)
    return found


@pytest.mark.parametrize("plugin", sorted(BUILT_IN))
def test_each_built_in_plugins_card_loads_from_its_file(plugin: str) -> None:
    installed = [c for c in discover() if c.name == plugin]
    host = PluginHost([plugin], installed)
    module = host.pm.get_plugin(plugin)
    assert module is not None
    folder = Path(module.__file__).parent
    assert sorted(p.name for p in folder.glob("card*.toml")) in (["card.toml"], ["cards.toml"])
    assert sorted(host.services) == sorted(BUILT_IN[plugin])
    for service in host.services.values():
        card = service.card
        assert card.term_days > 0
        assert card.refusal_grounds
        assert card.legal_basis
        assert all(t.uk.strip() and t.en.strip() for t in _texts(card)), service.code
        assert card.contacts is None
        assert card.local_decision is None
        assert not any(d.local for d in card.documents)


def test_a_plugins_card_in_code_may_not_set_the_local_parts() -> None:
    from tests.unit.test_plugin_manager import cand, plugin, service

    local = msgspec.structs.replace(
        CARD, contacts=LocalContacts(phone="0332 000 000"), local_term="any"
    )
    with pytest.raises(PluginError, match="only a municipality sets on its local card"):
        PluginHost(["demo"], [cand(plugin(services=lambda: [service(card=local)]))])
