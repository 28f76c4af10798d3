"""Form labels: a form described field by field, what its labels leave out, and the
load-time check that refuses a plugin whose form is not labelled."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from types import ModuleType
from typing import Annotated, Any, Literal

import msgspec
import pytest
from msgspec import Meta

from core.config import builtin_plugins
from core.form_fields import FormField, describe, label_problems, walk
from core.hookspecs import hookimpl
from core.plugin_info import PluginInfo
from core.plugins import Candidate, PluginError, PluginHost
from core.service import FieldLabel, Text, label
from plugins.funeral_aid.service import SERVICE


class Colour(enum.Enum):
    red = "red"
    blue = "blue"


class Income(msgspec.Struct, kw_only=True):
    amount: Decimal
    quarter: Annotated[int, Meta(ge=1, le=4)]


class Home(msgspec.Struct, kw_only=True):
    area: Decimal
    owned: bool = True


class Sample(msgspec.Struct, kw_only=True):
    name: Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^\S")]
    born: date | None = None
    married: bool = False
    children: Annotated[int, Meta(ge=0, le=20)] = 0
    pension: Decimal = Decimal("0.50")
    group: Literal[1, 2, 3] | None
    colour: Colour = Colour.red
    needs: list[Literal["ramp", "lift"]] = msgspec.field(default_factory=list)
    home: Home
    incomes: Annotated[list[Income], Meta(min_length=1, max_length=12)]


LABELS: dict[str, FieldLabel] = {
    "name": label("Прізвище", "Last name"),
    "born": label("Дата народження", "Date of birth"),
    "married": label("Одружений", "Married"),
    "children": label("Кількість дітей", "Children"),
    "pension": label("Пенсія, грн", "Pension, UAH", help=("На місяць.", "A month.")),
    "group": label(
        "Група інвалідності",
        "Disability group",
        choices={"1": ("I група", "Group I"), "2": ("II група", "Group II"), "3": ("III", "III")},
    ),
    "colour": label(
        "Колір", "Colour", choices={"red": ("Червоний", "Red"), "blue": ("Синій", "Blue")}
    ),
    "needs": label(
        "Потреби", "Needs", choices={"ramp": ("Пандус", "Ramp"), "lift": ("Ліфт", "Lift")}
    ),
    "home": label("Житло", "Home"),
    "home.area": label("Площа, м²", "Area, m²"),
    "home.owned": label("Власне", "Owned"),
    "incomes": label("Доходи", "Incomes"),
    "incomes.amount": label("Сума, грн", "Amount, UAH"),
    "incomes.quarter": label("Квартал", "Quarter"),
}


def by_path(fields: list[FormField]) -> dict[str, FormField]:
    return {f.path: f for f in walk(fields)}


def test_describe_gives_each_field_its_kind_label_and_limits() -> None:
    fields = describe(Sample, LABELS)
    assert [f.name for f in fields] == [
        "name", "born", "married", "children", "pension", "group", "colour", "needs", "home",
        "incomes",
    ]  # fmt: skip
    f = by_path(fields)
    assert {p: x.kind for p, x in f.items()} == {
        "name": "text",
        "born": "date",
        "married": "bool",
        "children": "int",
        "pension": "decimal",
        "group": "choice",
        "colour": "choice",
        "needs": "choices",
        "home": "group",
        "home.area": "decimal",
        "home.owned": "bool",
        "incomes": "rows",
        "incomes.amount": "decimal",
        "incomes.quarter": "int",
    }
    assert f["name"].required
    assert f["name"].label == Text("Прізвище", "Last name")
    assert (f["name"].min_length, f["name"].max_length, f["name"].pattern) == (1, 64, r"^\S")
    assert f["born"].nullable
    assert not f["born"].required
    assert f["born"].default is None
    assert f["married"].default is False
    assert (f["children"].ge, f["children"].le, f["children"].default) == (0, 20, 0)
    assert f["pension"].default == "0.50"
    assert f["pension"].help == Text("На місяць.", "A month.")
    assert f["group"].nullable
    assert f["group"].required
    assert f["group"].choices == (
        ("1", Text("I група", "Group I")),
        ("2", Text("II група", "Group II")),
        ("3", Text("III", "III")),
    )
    assert [v for v, _ in f["colour"].choices] == ["red", "blue"]
    assert ("ramp", Text("Пандус", "Ramp")) in f["needs"].choices
    assert f["needs"].default == []
    assert [c.path for c in f["home"].children] == ["home.area", "home.owned"]
    assert f["home.owned"].default is True
    assert (f["incomes"].min_length, f["incomes"].max_length) == (1, 12)
    assert (f["incomes.quarter"].ge, f["incomes.quarter"].le) == (1, 4)
    assert not f["name"].nullable
    assert f["name"].help is None


def test_a_fully_labelled_form_has_no_problems() -> None:
    assert label_problems(Sample, LABELS) == []


def test_label_problems_lists_each_gap() -> None:
    labels = dict(LABELS)
    del labels["home.area"]  # missing
    labels["married"] = label("Одружений", "")  # one language only
    labels["pension"] = label("Пенсія", "Pension", help=("На місяць.", " "))  # help in one
    labels["group"] = label("Група", "Group", choices={"1": ("I", "I"), "2": ("II", "II")})
    labels["colour"] = label(
        "Колір", "Colour", choices={"red": ("Червоний", "Red"), "blue": ("", "")}
    )
    labels["incomes.kind"] = label("Вид", "Kind")  # not on the form
    assert label_problems(Sample, labels) == [
        "field 'married' has no label in Ukrainian and English",
        "field 'pension' has help in one language only",
        "choice '3' of field 'group' is not put in words in Ukrainian and English",
        "choice 'blue' of field 'colour' is not put in words in Ukrainian and English",
        "field 'home.area' has no label in Ukrainian and English",
        "a label is given for 'incomes.kind', which the form does not have",
    ]


def fake_plugin(labels: dict[str, FieldLabel]) -> Candidate:
    module = ModuleType("fake_labels")

    @hookimpl
    def plugin_info() -> PluginInfo:
        return PluginInfo(name="demo", contract=1, title=Text("Тест", "Test"))

    @hookimpl
    def register_services() -> Any:
        return [msgspec.structs.replace(SERVICE, code="demo.one", labels=labels)]

    module.plugin_info = plugin_info  # type: ignore[attr-defined]
    module.register_services = register_services  # type: ignore[attr-defined]
    return Candidate(name="demo", distribution="demo-pkg", version="1.0", load=lambda: module)


def test_a_plugin_with_a_field_without_a_label_is_refused_at_load() -> None:
    labels = {k: v for k, v in SERVICE.labels.items() if k != "death_date"}
    with pytest.raises(PluginError) as info:
        PluginHost(["demo"], [fake_plugin(labels)])
    assert info.value.plugin == "demo"
    assert str(info.value) == (
        "plugin 'demo': service 'demo.one': form labels: field 'death_date' has no label in "
        "Ukrainian and English"
    )


def test_the_refusal_shows_five_problems_and_counts_the_rest() -> None:
    # 18 fields without a label and 8 relations not in words: 5 shown, 21 counted.
    with pytest.raises(PluginError) as info:
        PluginHost(["demo"], [fake_plugin({})])
    problems = str(info.value).removeprefix("plugin 'demo': service 'demo.one': form labels: ")
    assert problems.startswith("field 'deceased_last_name' has no label")
    assert problems.count("; ") == 4
    assert problems.endswith(
        "field 'deceased_tax_number' has no label in Ukrainian and English (and 21 more)"
    )


def test_a_fully_labelled_plugin_loads() -> None:
    host = PluginHost(["demo"], [fake_plugin(dict(SERVICE.labels))])
    assert host.services["demo.one"].labels == SERVICE.labels


def test_every_builtin_service_is_fully_labelled() -> None:
    host = PluginHost(builtin_plugins())
    assert len(host.services) == 12
    for code, service in host.services.items():
        assert label_problems(service.form, service.labels) == [], code
    paths = sum(len(list(walk(describe(s.form, s.labels)))) for s in host.services.values())
    assert paths == 123
