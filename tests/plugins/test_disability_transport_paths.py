"""Social taxi screening: each rule asks only for the answers its path reaches, and a
screening names exactly the answers the path taken lacks."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
import pytest

from core.parameters import Parameters
from core.plugins import PluginHost
from core.service import Applicant, Municipality, Text
from core.workflow.eligibility import Evaluation, evaluate, partial_form
from plugins.disability_transport.service import PARAMETERS, SERVICE

ON = date(2026, 3, 16)
MUNI = Municipality(
    id=1, slug="kovel", name=Text("Ковельська громада", "Kovel hromada"), settlements=("Ковель",)
)
RESIDENT = Applicant(citizen_id=7, settlement="Ковель")
P = "disability_transport."


def screen(answers: dict[str, Any], **overrides: Any) -> Evaluation:
    params = Parameters(PARAMETERS).overridden(
        {P + k: [(date(2024, 1, 1), v)] for k, v in overrides.items()}
    )
    return evaluate(
        PluginHost(["disability_transport"]),
        SERVICE,
        applicant=RESIDENT,
        form=msgspec.convert(answers, partial_form(SERVICE.form)),
        on=ON,
        params=params,
        municipality=MUNI,
    )


def outcome(result: Evaluation, rule_id: str) -> str:
    return next(f.outcome for f in result.findings if f.rule == P + rule_id)


PATHS = [
    # answers, category outcome, missing (exactly)
    ({}, "unknown", ["wheelchair"]),
    ({"wheelchair": "manual"}, "passed", []),
    ({"wheelchair": "none"}, "unknown", ["disability_group"]),
    ({"wheelchair": "none", "disability_group": 1}, "unknown", ["impairments"]),
    (
        {"wheelchair": "none", "disability_group": 1, "impairments": ["musculoskeletal"]},
        "passed",
        [],
    ),
    (
        {"wheelchair": "none", "disability_group": 2, "impairments": []},
        "unknown",
        ["uses_crutches_or_cane"],
    ),
    (
        {
            "wheelchair": "none",
            "disability_group": 2,
            "impairments": [],
            "uses_crutches_or_cane": True,
        },
        "passed",
        [],
    ),
    ({"wheelchair": "none", "disability_group": 3}, "unknown", ["child_with_disability"]),
    ({"wheelchair": "none", "disability_group": None}, "unknown", ["child_with_disability"]),
    (
        {"wheelchair": "none", "disability_group": 3, "child_with_disability": False},
        "failed",
        [],
    ),
    (
        {"wheelchair": "none", "disability_group": None, "child_with_disability": True},
        "passed",
        [],
    ),
]


@pytest.mark.parametrize(("answers", "category", "missing"), PATHS)
def test_the_category_asks_only_what_its_path_needs(
    answers: dict[str, Any], category: str, missing: list[str]
) -> None:
    result = screen(answers)
    assert outcome(result, "category") == category
    assert list(result.missing) == missing


def test_a_group_one_person_is_not_asked_whether_a_child_or_on_crutches() -> None:
    answers = {"wheelchair": "none", "disability_group": 1, "impairments": ["visual"]}
    result = screen(answers)
    assert outcome(result, "category") == "passed"
    assert result.verdict == "eligible"
    assert screen(answers, visual_impairment_eligible=False).missing == ("uses_crutches_or_cane",)


def test_the_pension_and_the_car_are_asked_only_where_the_hromada_limits_them() -> None:
    wheelchair = {"wheelchair": "manual"}
    assert screen(wheelchair).missing == ()
    limited = screen(wheelchair, income_cap_enabled=True, no_car_rule_enabled=True)
    assert limited.missing == ("monthly_pension", "family_has_car")
    assert outcome(limited, "income_cap") == "unknown"
    assert outcome(limited, "no_car") == "unknown"
    answered = screen(
        {**wheelchair, "monthly_pension": "3000.00", "family_has_car": True},
        income_cap_enabled=True,
        no_car_rule_enabled=True,
    )
    assert answered.missing == ()
    assert outcome(answered, "income_cap") == "passed"
    assert outcome(answered, "no_car") == "failed"
