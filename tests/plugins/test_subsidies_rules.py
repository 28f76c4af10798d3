"""Housing subsidy rules: each disqualifier passes and fails, and the user reads why;
disqualified households still get their figures computed (the explanation is shown)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from core.plugins import PluginHost
from core.service import Applicant, Municipality, Text
from core.workflow.eligibility import evaluate, partial_form
from plugins.subsidies.model import SubsidyForm
from plugins.subsidies.service import SERVICE
from tests.plugins.test_subsidies_formula import calc, form, params, person

ON = date(2026, 10, 5)
MUNI = Municipality(
    id=1, slug="kovel", name=Text("Ковельська громада", "Kovel hromada"), settlements=("Ковель",)
)


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost(["subsidies"])


def run(host: PluginHost, data: dict[str, Any], on: date = ON) -> Any:
    return evaluate(
        host,
        SERVICE,
        applicant=Applicant(),
        form=msgspec.convert(data, SubsidyForm),
        on=on,
        params=params(),
        municipality=MUNI,
    )


def outcome(host: PluginHost, rule_id: str, data: dict[str, Any]) -> tuple[str, Text]:
    finding = next(f for f in run(host, data).findings if f.rule == rule_id)
    return finding.outcome, finding.message


OLD_CAR = {"kind": "car", "year_made": 2014}  # 12 years old in 2026
NEW_CAR = {"kind": "car", "year_made": 2023}
FARMER = person("Петро", "1970-01-01", None)

SOLAR = "solar_on_credit"

CASES = [
    # rule, changes, outcome, words the user reads (uk)
    ("subsidies.purchases", {}, "passed", "Разових купівель понад 50000.00"),
    (  # solar generation on credit is not counted up to 150 000 (wartime amendment)
        "subsidies.purchases",
        {"purchases": [{"on": "2026-03-01", "amount": "120000", "exempt": SOLAR}]},
        "passed",
        "Разових купівель понад 50000.00",
    ),
    (  # … and counted above it
        "subsidies.purchases",
        {"purchases": [{"on": "2026-03-01", "amount": "160000", "exempt": SOLAR}]},
        "failed",
        "купівлю на 160000 грн",
    ),
    ("subsidies.overpaid", {}, "passed", "Неповернутої надміру виплаченої субсидії немає"),
    (
        "subsidies.overpaid",
        {"overpaid_unreturned": "1520.40"},
        "failed",
        "субсидію 1520.40 грн не повернуто",
    ),
    ("subsidies.area_cap", {}, "passed", "Граничну площу житла не встановлено"),
    (
        "subsidies.purchases",
        {"purchases": [{"on": "2026-03-01", "amount": "65000"}]},
        "failed",
        "купівлю на 65000 грн, понад 50000.00",
    ),
    (
        "subsidies.purchases",
        {"purchases": [{"on": "2026-03-01", "amount": "65000", "exempt": "medical"}]},
        "passed",
        "",
    ),
    (
        "subsidies.purchases",
        {"purchases": [{"on": "2025-09-30", "amount": "65000"}]},
        "passed",
        "",
    ),  # more than 12 months before
    (
        "subsidies.currency",
        {
            "currency_purchases": [
                {"on": "2026-01-10", "amount": "30000"},
                {"on": "2026-05-10", "amount": "25000"},
            ]
        },
        "failed",
        "валюти на 55000 грн",
    ),
    (
        "subsidies.currency",
        {"currency_purchases": [{"on": "2026-01-10", "amount": "50000"}]},
        "passed",
        "межа 50000.00",
    ),
    ("subsidies.deposits", {"deposits_total": "100000"}, "passed", "не перевищують"),
    ("subsidies.deposits", {"deposits_total": "100000.01"}, "failed", "перевищують 100000.00"),
    ("subsidies.vehicles", {"vehicles": [NEW_CAR]}, "failed", "молодший за 5 років"),
    (
        "subsidies.vehicles",
        {"vehicles": [OLD_CAR, {"kind": "motorcycle", "year_made": 2015}]},
        "failed",
        "Більше одного транспортного засобу, молодшого за 15",
    ),
    (
        "subsidies.vehicles",
        {
            "vehicles": [
                OLD_CAR,
                {"kind": "moped", "year_made": 2025},
                {"kind": "trailer", "year_made": 2024},
            ]
        },
        "passed",
        "мопеди й причепи не враховано",
    ),
    ("subsidies.second_dwelling", {"other_dwellings": [{}]}, "failed", "ще одне житло"),
    (
        "subsidies.second_dwelling",
        {"other_dwellings": [{"rural": True}, {"inherited": True}, {"shared_ownership": True}]},
        "passed",
        "Іншого житла",
    ),
    (
        "subsidies.utility_debt",
        {"utility_debts": [{"months_overdue": 4, "amount": "900"}]},
        "failed",
        "прострочено 4 міс.",
    ),
    (
        "subsidies.utility_debt",
        {"utility_debts": [{"months_overdue": 4, "amount": "680"}]},
        "passed",
        "",
    ),
    (
        "subsidies.utility_debt",
        {"utility_debts": [{"months_overdue": 9, "amount": "5000", "restructured": True}]},
        "passed",
        "",
    ),
    (
        "subsidies.utility_debt",
        {"utility_debts": [{"months_overdue": 9, "amount": "5000", "disputed_in_court": True}]},
        "passed",
        "",
    ),
    ("subsidies.abroad", {"members": [person(abroad_days=61)]}, "failed", "за кордоном 61 днів"),
    ("subsidies.abroad", {"members": [person(abroad_days=60)]}, "passed", "понад 60"),
    ("subsidies.no_income", {"members": [person(), FARMER]}, "failed", "Петро: працездатна"),
    (
        "subsidies.no_income",
        {"members": [person(), {**FARMER, "registered_unemployed": True}]},
        "passed",
        "",
    ),
    ("subsidies.no_income", {"members": [person(), {**FARMER, "student": True}]}, "passed", ""),
    (
        "subsidies.no_income",
        {"members": [person(), {**FARMER, "caring_for_child": True}]},
        "passed",
        "",
    ),
    (
        "subsidies.no_income",
        {"members": [person(), {**FARMER, "contributions_paid": True}]},
        "passed",
        "",
    ),
    (
        "subsidies.tenancy",
        {"dwelling": {"total_area": "60", "tenure": "tenant"}},
        "failed",
        "лише за чинним договором",
    ),
    (
        "subsidies.tenancy",
        {"dwelling": {"total_area": "60", "tenure": "tenant", "lease_end": "2027-01-15"}},
        "passed",
        "15.01.2027",
    ),
    ("subsidies.amount", {}, "passed", "Субсидія 2105.75 грн"),
    (
        "subsidies.amount",
        {"members": [person(quarterly="90000")]},
        "failed",
        "покриває вартість послуг",
    ),
]


@pytest.mark.parametrize(("rule_id", "changes", "expected", "words"), CASES)
def test_rule(
    host: PluginHost, rule_id: str, changes: dict[str, Any], expected: str, words: str
) -> None:
    got, message = outcome(host, rule_id, form(**changes))
    assert got == expected, message
    assert words in message.uk
    assert message.en


#: Each disqualified household with its figures: the base is the one-person household
#: (4.67 %, 93.40 UAH, subsidy 2105.75) unless the members change.
DISQUALIFIED = [
    (
        "purchase",
        {"purchases": [{"on": "2026-03-01", "amount": "65000"}]},
        "subsidies.purchases",
        "4.67",
        "2105.75",
    ),
    (
        "currency",
        {"currency_purchases": [{"on": "2026-03-01", "amount": "51000"}]},
        "subsidies.currency",
        "4.67",
        "2105.75",
    ),
    ("deposits", {"deposits_total": "150000"}, "subsidies.deposits", "4.67", "2105.75"),
    ("new car", {"vehicles": [NEW_CAR]}, "subsidies.vehicles", "4.67", "2105.75"),
    ("two cars", {"vehicles": [OLD_CAR, OLD_CAR]}, "subsidies.vehicles", "4.67", "2105.75"),
    ("second dwelling", {"other_dwellings": [{}]}, "subsidies.second_dwelling", "4.67", "2105.75"),
    (
        "utility debt",
        {"utility_debts": [{"months_overdue": 5, "amount": "1200"}]},
        "subsidies.utility_debt",
        "4.67",
        "2105.75",
    ),
    ("abroad", {"members": [person(abroad_days=90)]}, "subsidies.abroad", "4.67", "2105.75"),
    ("overpaid", {"overpaid_unreturned": "300"}, "subsidies.overpaid", "4.67", "2105.75"),
    # 12000 / 6 = 2000 / 2 = 1000; 1000 / 3209 = 0.3116 → 2.34 %; 2000 × 2.34 % = 46.80;
    # norm 62.52 ≥ 60 m²: 2700 − 46.80 = 2653.20
    (
        "able-bodied without income",
        {"members": [person(), FARMER]},
        "subsidies.no_income",
        "2.34",
        "2653.20",
    ),
]


@pytest.mark.parametrize(
    ("name", "changes", "rule_id", "share", "subsidy"),
    DISQUALIFIED,
    ids=[d[0] for d in DISQUALIFIED],
)
def test_disqualified_household(
    host: PluginHost, name: str, changes: dict[str, Any], rule_id: str, share: str, subsidy: str
) -> None:
    data = form(**changes)
    result = run(host, data)
    assert result.verdict == "not_eligible"
    assert [f.rule for f in result.findings if f.outcome == "failed"] == [rule_id]
    figures = calc(data, ON)
    assert figures.mandatory_percent == Decimal(share)
    assert figures.subsidy_total == Decimal(subsidy)


@pytest.mark.parametrize(
    ("kind", "area", "caps", "expected", "words"),
    [
        ("flat", "60", {"area_cap_flat": "50"}, "failed", "квартири 60 м² перевищує граничну 50"),
        ("flat", "60", {"area_cap_flat": "120"}, "passed", "не перевищує граничну 120"),
        ("house", "150", {"area_cap_flat": "120", "area_cap_house": "200"}, "passed", "будинку"),
        ("house", "210", {"area_cap_house": "200"}, "failed", "будинку 210 м² перевищує"),
        ("house", "500", {}, "passed", "не встановлено"),
    ],
)
def test_floor_area_caps_are_a_municipal_parameter(
    host: PluginHost, kind: str, area: str, caps: dict[str, str], expected: str, words: str
) -> None:
    data = form(dwelling={"kind": kind, "total_area": area})
    result = evaluate(
        host,
        SERVICE,
        applicant=Applicant(),
        form=msgspec.convert(data, SubsidyForm),
        on=ON,
        params=params(**caps),
        municipality=MUNI,
    )
    finding = next(f for f in result.findings if f.rule == "subsidies.area_cap")
    assert finding.outcome == expected, finding.message
    assert words in finding.message.uk
    assert finding.message.en


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"payment_channel": "cash"}, "потрібен IBAN"),
        ({"payment_channel": "cash", "iban": "UA000000000000000000000000000"}, "IBAN недійсний"),
        ({"payment_channel": "cash", "iban": "DE89370400440532013000"}, "український IBAN"),
    ],
)
def test_the_cash_channel_needs_a_valid_ukrainian_iban(changes: dict[str, Any], error: str) -> None:
    from core.workflow.forms import validate_form

    parsed, errors = validate_form(SubsidyForm, form(**changes))
    assert parsed is None
    assert any("iban" in e.key or "iban" in e.message for e in errors), errors
    assert any(error in e.message for e in errors), errors


def test_a_valid_iban_is_kept_compact() -> None:
    from core.workflow.forms import validate_form

    parsed, errors = validate_form(
        SubsidyForm, form(payment_channel="cash", iban="UA21 3223 1300 0002 6007 2335 6600 1")
    )
    assert not errors
    assert isinstance(parsed, SubsidyForm)
    assert parsed.iban == "UA213223130000026007233566001"


def test_an_eligible_household_passes_every_rule(host: PluginHost) -> None:
    result = run(host, form())
    assert result.verdict == "eligible", result.findings


def test_screening_with_partial_answers_gives_unknown_findings(host: PluginHost) -> None:
    partial = msgspec.convert(
        {"deposits_total": "20000", "vehicles": []}, partial_form(SubsidyForm)
    )
    result = evaluate(
        host,
        SERVICE,
        applicant=Applicant(),
        form=partial,
        on=ON,
        params=params(),
        municipality=MUNI,
    )
    outcomes = {f.rule: f.outcome for f in result.findings}
    assert outcomes["subsidies.deposits"] == "passed"
    assert outcomes["subsidies.vehicles"] == "passed"
    assert outcomes["subsidies.amount"] == "unknown"
    assert outcomes["subsidies.purchases"] == "unknown"
    assert result.verdict == "needs_data"
    assert {"members", "dwelling", "utilities", "purchases"} <= set(result.missing)


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("deposits_total",), "-1", "deposits_total"),
        (("dwelling", "total_area"), "0", "total_area"),
        (("utilities", 0, "monthly_charge"), "NaN", "monthly_charge"),
        (("members", 0, "incomes", 0, "amount"), "1.001", "amount"),
    ],
)
def test_bad_numbers_are_refused_naming_the_field(
    path: tuple[Any, ...], value: str, field: str
) -> None:
    from core.workflow.forms import validate_form

    data = form()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    parsed, errors = validate_form(SubsidyForm, data)
    assert parsed is None
    assert any(field in e.key or field in e.message for e in errors), errors


def test_the_card_and_parameters_are_complete() -> None:
    card = SERVICE.card
    assert card.title.uk
    assert card.title.en
    assert len(card.refusal_grounds) >= 10
    for key, points in SERVICE.parameters.items():
        assert key.startswith("subsidies."), key
        assert points, key
    import tomllib
    from pathlib import Path

    import plugins.subsidies as pkg

    raw = tomllib.loads((Path(pkg.__file__).parent / "parameters.toml").read_text("utf-8"))
    for name, spec in raw.items():
        assert spec.get("source"), name
        assert spec.get("uk"), name
        assert spec.get("en"), name
