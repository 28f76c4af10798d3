"""Social taxi: eligibility and booking rules (table-driven, with the words the user
reads), the card and parameters, and the delivery check's verdicts."""

from __future__ import annotations

import random
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
import pytest

from core.parameters import Parameters
from core.plugins import PluginHost
from core.service import Applicant, Municipality, Payee, Text
from core.workflow.eligibility import evaluate
from plugins.disability_transport.service import PARAMETERS, SERVICE

ON = date(2026, 3, 16)  # a Monday
MUNI = Municipality(
    id=1, slug="kovel", name=Text("Ковельська громада", "Kovel hromada"), settlements=("Ковель",)
)
RESIDENT = Applicant(citizen_id=7, settlement="Ковель", disability_group=1)
FORM: dict[str, Any] = {
    "wheelchair": "manual",
    "disability_group": 1,
    "impairments": ["musculoskeletal"],
    "monthly_pension": "3000.00",
}
NO_WHEELCHAIR = {"wheelchair": "none"}
P = "disability_transport."


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost(["disability_transport"])


def params(**overrides: Any) -> Parameters:
    return Parameters(PARAMETERS).overridden(
        {P + k: [(date(2024, 1, 1), v)] for k, v in overrides.items()}
    )


ELIGIBILITY = [
    # rule, form changes, applicant, parameter overrides, outcome, words (uk)
    ("category", {}, RESIDENT, {}, "passed", "кріслі колісному"),
    (
        "category",
        {"wheelchair": "electric", "disability_group": None},
        RESIDENT,
        {},
        "passed",
        "кріслі",
    ),
    (
        "category",
        {
            **NO_WHEELCHAIR,
            "child_with_disability": True,
            "disability_group": None,
            "impairments": [],
        },
        RESIDENT,
        {},
        "passed",
        "Дитина з інвалідністю",
    ),
    (
        "category",
        {**NO_WHEELCHAIR, "disability_group": 2},
        RESIDENT,
        {},
        "passed",
        "II групи, порушення: опорно",
    ),
    (
        "category",
        {**NO_WHEELCHAIR, "impairments": [], "uses_crutches_or_cane": True},
        RESIDENT,
        {},
        "passed",
        "опорно-рухового",
    ),
    ("category", {**NO_WHEELCHAIR, "impairments": ["visual"]}, RESIDENT, {}, "passed", "зору"),
    (
        "category",
        {**NO_WHEELCHAIR, "impairments": ["visual"]},
        RESIDENT,
        {"visual_impairment_eligible": False},
        "failed",
        "не належить до жодної",
    ),
    (
        "category",
        {**NO_WHEELCHAIR, "impairments": ["intellectual"]},
        RESIDENT,
        {},
        "passed",
        "інтелектуальні",
    ),
    (
        "category",
        {**NO_WHEELCHAIR, "impairments": ["intellectual"]},
        RESIDENT,
        {"intellectual_impairment_eligible": False},
        "failed",
        "апарату, зору;",
    ),
    ("category", {**NO_WHEELCHAIR, "disability_group": 3}, RESIDENT, {}, "failed", "I–II групи"),
    (
        "category",
        {**NO_WHEELCHAIR, "disability_group": None},
        RESIDENT,
        {},
        "failed",
        "не належить до жодної",
    ),
    ("resident", {}, RESIDENT, {}, "passed", "Проживає: Ковель"),
    (
        "resident",
        {},
        msgspec.structs.replace(RESIDENT, settlement=" ковель "),
        {},
        "passed",
        "ковель",
    ),
    (
        "resident",
        {},
        msgspec.structs.replace(RESIDENT, settlement="Луцьк"),
        {},
        "failed",
        "«Луцьк» не належить до громади",
    ),
    (
        "resident",
        {},
        msgspec.structs.replace(RESIDENT, settlement=None),
        {},
        "unknown",
        "Невідомо, де проживає",
    ),
    ("income_cap", {"monthly_pension": "90000"}, RESIDENT, {}, "passed", "не обмежує"),
    (
        "income_cap",
        {"monthly_pension": "6418.00"},
        RESIDENT,
        {"income_cap_enabled": True},
        "passed",
        "не перевищує 2 ПМ (6418.00 грн)",
    ),
    (
        "income_cap",
        {"monthly_pension": "6418.01"},
        RESIDENT,
        {"income_cap_enabled": True},
        "failed",
        "2 прожиткових мінімуми (6418.00",
    ),
    (
        "income_cap",
        {"monthly_pension": "6418.01"},
        RESIDENT,
        {"income_cap_enabled": True, "income_cap_pm_multiplier": "2.5"},
        "passed",
        "2.5 ПМ (8022.50 грн)",
    ),
    ("no_car", {"family_has_car": True}, RESIDENT, {}, "passed", "не перевіряють"),
    (
        "no_car",
        {"family_has_car": False},
        RESIDENT,
        {"no_car_rule_enabled": True},
        "passed",
        "немає автомобіля",
    ),
    (
        "no_car",
        {"family_has_car": True},
        RESIDENT,
        {"no_car_rule_enabled": True},
        "failed",
        "У сім'ї є автомобіль",
    ),
]


@pytest.mark.parametrize(
    ("rule_id", "changes", "applicant", "overrides", "outcome", "words"),
    ELIGIBILITY,
    ids=[f"{c[0]}-{c[4]}-{i}" for i, c in enumerate(ELIGIBILITY)],
)
def test_eligibility_rule(
    host: PluginHost,
    rule_id: str,
    changes: dict[str, Any],
    applicant: Applicant,
    overrides: dict[str, Any],
    outcome: str,
    words: str,
) -> None:
    form = msgspec.convert({**FORM, **changes}, SERVICE.form)
    result = evaluate(
        host,
        SERVICE,
        applicant=applicant,
        form=form,
        on=ON,
        params=params(**overrides),
        municipality=MUNI,
    )
    finding = next(f for f in result.findings if f.rule == P + rule_id)
    assert finding.outcome == outcome, finding
    assert words in finding.message.uk, finding.message.uk
    assert finding.message.en


def test_the_subsistence_minimum_is_a_dated_series() -> None:
    p = Parameters(PARAMETERS)
    assert [p.at(P + "pm_general", date(y, 6, 1)) for y in (2024, 2025, 2026)] == [
        "2920",
        "2920",
        "3209",
    ]


def test_the_card_form_and_parameters_are_complete(host: PluginHost) -> None:
    assert SERVICE.payee is Payee.provider
    assert SERVICE.unit == Text("поїздка", "trip")
    assert SERVICE.reference_unit_price == Decimal("200.00")
    card = SERVICE.card
    for text in (card.title, card.summary, card.who_may_apply, card.appeal, card.outcome):
        assert text.uk
        assert text.en
    assert any("2671-VIII" in t.uk for t in card.legal_basis)
    assert any("виконавчого комітету" in t.uk for t in card.legal_basis)
    with pytest.raises(msgspec.ValidationError, match="unknown field"):
        msgspec.convert({**FORM, "surprise": 1}, SERVICE.form)
    with pytest.raises(msgspec.ValidationError, match="monthly_pension"):
        msgspec.convert({**FORM, "monthly_pension": "-1"}, SERVICE.form)
    assert SERVICE.example_form is not None
    example = SERVICE.example_form(random.Random(3), RESIDENT, ON)
    result = evaluate(
        host, SERVICE, applicant=RESIDENT, form=example, on=ON, params=params(), municipality=MUNI
    )
    assert result.verdict == "eligible", result.findings
    path = Path(__file__).resolve().parents[2] / "plugins/disability_transport/parameters.toml"
    for name, spec in tomllib.loads(path.read_text(encoding="utf-8")).items():
        assert spec["source"], name
        assert spec["uk"], name
        assert spec["en"], name
        assert all("valid_from" in v for v in spec["values"]), name
