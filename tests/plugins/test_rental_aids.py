"""Rental point: rules (table-driven), pricing to the kopiyka, item-day counting, the
service's completeness and its parameters."""

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
from core.service import Applicant, Municipality, Payee, PriorRequest, Text
from core.workflow.eligibility import evaluate
from plugins.rental_aids import billing
from plugins.rental_aids.days import days_in_month, span_in_month
from plugins.rental_aids.forms import LoanForm, subject_key
from plugins.rental_aids.service import PARAMETERS, SERVICE

ON = date(2026, 3, 16)
MUNI = Municipality(
    id=1,
    slug="kovel",
    name=Text("Ковельська громада", "Kovel hromada"),
    settlements=("Ковель", "Дубове"),
)
YOUNG = Applicant(citizen_id=7, settlement="Ковель", birth_date=date(1990, 5, 1))
FORM: dict[str, Any] = {
    "device_type": "wheelchair",
    "medical_conclusion_number": "125/ЛКК",
    "medical_conclusion_date": "2026-03-10",
    "has_disability_certificate": False,
    "older_person": False,
    "waiting_for_state_device": False,
    "needed_from": "2026-03-17",
    "planned_term_days": 60,
}
NO_CONCLUSION = {"medical_conclusion_number": "", "medical_conclusion_date": None}


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost(["rental_aids"])


def run_rule(
    host: PluginHost,
    rule_id: str,
    applicant: Applicant = YOUNG,
    prior: tuple[PriorRequest, ...] = (),
    **changes: Any,
) -> tuple[str, Text]:
    form = msgspec.convert({**FORM, **changes}, LoanForm)
    result = evaluate(
        host,
        SERVICE,
        applicant=applicant,
        form=form,
        on=ON,
        params=Parameters(SERVICE.parameters),
        municipality=MUNI,
        prior=prior,
    )
    finding = next(f for f in result.findings if f.rule == rule_id)
    return finding.outcome, finding.message


def who(**changes: Any) -> Applicant:
    return msgspec.structs.replace(YOUNG, **changes)


USED = (PriorRequest("2026-000017", "assigned", date(2026, 3, 11)),)
GONE = (PriorRequest("2026-000018", "refused", date(2026, 3, 11)),)

RULES = [
    # rule, applicant, prior, form changes, outcome, words the user reads (uk)
    ("rental_aids.resident", YOUNG, (), {}, "passed", "проживає в населеному пункті Ковель"),
    ("rental_aids.resident", who(settlement=" дубове "), (), {}, "passed", "дубове"),
    ("rental_aids.resident", who(settlement="Луцьк"), (), {}, "failed", "«Луцьк» не належить"),
    ("rental_aids.resident", who(settlement=None), (), {}, "unknown", "Не зазначено"),
    ("rental_aids.grounds", YOUNG, (), {}, "passed", "Висновок лікаря № 125/ЛКК від 10.03.2026"),
    (
        "rental_aids.grounds",
        YOUNG,
        (),
        {"medical_conclusion_date": "2026-02-14"},  # 30 days before: still valid
        "passed",
        "14.02.2026",
    ),
    (
        "rental_aids.grounds",
        YOUNG,
        (),
        {"medical_conclusion_date": "2026-02-13"},  # 31 days: stale
        "failed",
        "висновок № 125/ЛКК від 13.02.2026 старший за 30 днів",
    ),
    (
        "rental_aids.grounds",
        YOUNG,
        (),
        {"medical_conclusion_date": "2026-03-17"},
        "failed",
        "пізніше за дату звернення 16.03.2026",
    ),
    ("rental_aids.grounds", YOUNG, (), NO_CONCLUSION, "failed", "висновку лікаря немає"),
    (
        "rental_aids.grounds",
        YOUNG,
        (),
        {**NO_CONCLUSION, "has_disability_certificate": True},
        "passed",
        "Особа з інвалідністю",
    ),
    ("rental_aids.grounds", who(disability_group=2), (), NO_CONCLUSION, "passed", "інвалідністю"),
    (
        "rental_aids.grounds",
        who(birth_date=date(1966, 3, 16)),  # 60 today
        (),
        NO_CONCLUSION,
        "passed",
        "Особа похилого віку: 60 р.",
    ),
    (
        "rental_aids.grounds",
        who(birth_date=date(1966, 3, 17)),  # 60 tomorrow
        (),
        NO_CONCLUSION,
        "failed",
        "вік менший за 60 р.",
    ),
    (
        "rental_aids.grounds",
        who(birth_date=None),
        (),
        {**NO_CONCLUSION, "older_person": True},
        "unknown",
        "внесіть дату народження",
    ),
    ("rental_aids.conclusion_once", YOUNG, (), {}, "passed", "не використано"),
    ("rental_aids.conclusion_once", YOUNG, GONE, {}, "passed", "не використано"),
    ("rental_aids.conclusion_once", YOUNG, USED, {}, "failed", "вже використано у зверненні"),
    ("rental_aids.planned_term", YOUNG, (), {"planned_term_days": 180}, "passed", "180 дн."),
    (
        "rental_aids.planned_term",
        YOUNG,
        (),
        {"planned_term_days": 181},
        "failed",
        "довший за найбільший строк прокату 180 дн.",
    ),
]


@pytest.mark.parametrize(
    ("rule_id", "applicant", "prior", "changes", "outcome", "words"),
    RULES,
    ids=[f"{c[0].split('.')[1]}-{c[4]}-{i}" for i, c in enumerate(RULES)],
)
def test_rental_rule(
    host: PluginHost,
    rule_id: str,
    applicant: Applicant,
    prior: tuple[PriorRequest, ...],
    changes: dict[str, Any],
    outcome: str,
    words: str,
) -> None:
    got, message = run_rule(host, rule_id, applicant, prior, **changes)
    assert got == outcome, message
    assert words in message.uk
    assert message.en


def test_the_municipality_sets_its_own_age_and_validity(host: PluginHost) -> None:
    params = Parameters(SERVICE.parameters).overridden(
        {
            "rental_aids.older_person_age": [(date(2026, 1, 1), 65)],
            "rental_aids.conclusion_valid_days": [(date(2026, 1, 1), 10)],
        }
    )
    form = msgspec.convert({**FORM, "medical_conclusion_date": "2026-03-01"}, LoanForm)
    result = evaluate(
        host,
        SERVICE,
        applicant=who(birth_date=date(1963, 1, 1)),
        form=form,
        on=ON,
        params=params,
        municipality=MUNI,
    )
    grounds = next(f for f in result.findings if f.rule == "rental_aids.grounds")
    assert grounds.outcome == "failed"
    assert "старший за 10 днів" in grounds.message.uk
    assert "менший за 65 р." in grounds.message.uk


def test_a_complete_form_of_a_resident_is_eligible(host: PluginHost) -> None:
    form = msgspec.convert(FORM, LoanForm)
    result = evaluate(
        host,
        SERVICE,
        applicant=YOUNG,
        form=form,
        on=ON,
        params=Parameters(SERVICE.parameters),
        municipality=MUNI,
    )
    assert result.verdict == "eligible", result.findings


def test_subject_key_is_the_conclusion() -> None:
    form = msgspec.convert({**FORM, "medical_conclusion_number": " 125/лкк "}, LoanForm)
    assert subject_key(form) == "conclusion:125/лкк:2026-03-10"
    assert subject_key(msgspec.convert({**FORM, **NO_CONCLUSION}, LoanForm)) is None


def test_the_service_is_complete_and_bilingual() -> None:
    assert SERVICE.code == "rental_aids.loan"
    assert SERVICE.payee is Payee.provider
    assert SERVICE.unit == Text("предмет-день", "item-day")
    assert SERVICE.tariff is billing.RentalTariff
    assert SERVICE.delivery is billing.RentalDelivery
    assert SERVICE.reference_unit_price == Decimal("15.00")
    assert SERVICE.tariff_from_unit_price is not None
    assert SERVICE.tariff_from_unit_price(Decimal("12.5")) == billing.RentalTariff(
        per_item_day=Decimal("12.5"), per_return_cleaning=Decimal(0)
    )
    card = SERVICE.card
    for text in (card.title, card.summary, card.who_may_apply, card.appeal, card.outcome):
        assert text.uk
        assert text.en
    assert any("964" in t.uk for t in card.legal_basis)
    names = " ".join(d.name.uk for d in card.documents)
    for words in ("Паспорт", "РНОКПП", "Висновок лікаря", "акт приймання-передачі"):
        assert words in names
    assert {"not_resident", "no_ground", "conclusion_used"} <= {
        g.code for g in card.refusal_grounds
    }
    with pytest.raises(msgspec.ValidationError, match="unknown field"):
        msgspec.convert({**FORM, "surprise": 1}, LoanForm)
    assert SERVICE.example_form is not None
    form = SERVICE.example_form(random.Random(1), YOUNG, ON)
    assert isinstance(form, LoanForm)
    assert form.medical_conclusion_number == "ЛКК-00007"
    assert SERVICE.example_delivery is not None
    assert isinstance(SERVICE.example_delivery(random.Random(1), ON), billing.RentalDelivery)


def test_every_parameter_is_dated_and_sourced() -> None:
    path = Path(__file__).resolve().parents[2] / "plugins" / "rental_aids" / "parameters.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(SERVICE.parameters) == set(PARAMETERS) == {f"rental_aids.{k}" for k in raw}
    for name, spec in raw.items():
        assert "ASSUMPTION" in spec["source"], name
        assert spec["uk"], name
        assert spec["en"], name
    p = Parameters(PARAMETERS)
    assert p.at("rental_aids.conclusion_valid_days", ON) == 30
    assert p.at("rental_aids.older_person_age", ON) == 60
    assert p.at("rental_aids.loan_term_days", ON) == 90
    assert p.at("rental_aids.max_term_days", ON) == 180
    assert p.decimal("rental_aids.deposit_amount", ON) == Decimal("0")
    assert p.decimal("rental_aids.reference_price_item_day", ON) == Decimal("15")
    assert p.at("rental_aids.damage_charged", ON) is True


# --------------------------------------------------------------------------- pricing
PRICING = [
    # per item-day, cleaning, delivery, quantity, amount
    (
        "15.00",
        "40.00",
        {"loan_id": 1, "kind": "item_days", "days": 31, "month": "2026-03"},
        "31",
        "465.00",
    ),
    (
        "13.37",
        "0",
        {"loan_id": 1, "kind": "item_days", "days": 16, "month": "2026-02"},
        "16",
        "213.92",
    ),
    ("0.335", "0", {"loan_id": 1, "kind": "item_days", "days": 3, "month": "2026-02"}, "3", "1.01"),
    (
        "12.005",
        "0",
        {"loan_id": 1, "kind": "item_days", "days": 1, "month": "2026-02"},
        "1",
        "12.01",
    ),
    ("15.00", "45.05", {"loan_id": 1, "kind": "cleaning", "month": "2026-03"}, "0", "45.05"),
    ("15.00", "0", {"loan_id": 1, "kind": "cleaning", "month": "2026-03"}, "0", "0.00"),
    ("15.00", "10.005", {"loan_id": 2, "kind": "cleaning", "month": "2026-03"}, "0", "10.01"),
]


@pytest.mark.parametrize(
    ("per_day", "cleaning", "delivery", "quantity", "amount"),
    PRICING,
    ids=[f"{p[2]['kind']}-{p[0]}-{p[1]}" for p in PRICING],
)
def test_price_to_the_kopiyka(
    per_day: str, cleaning: str, delivery: dict[str, Any], quantity: str, amount: str
) -> None:
    tariff = msgspec.convert(
        {"per_item_day": per_day, "per_return_cleaning": cleaning},
        billing.RentalTariff,
        strict=False,
    )
    pricing = billing.price(tariff, msgspec.convert(delivery, billing.RentalDelivery))
    assert pricing.quantity == Decimal(quantity)
    assert pricing.amount == Decimal(amount)
    assert str(pricing.amount) == amount


@pytest.mark.parametrize(
    ("tariff", "field"),
    [
        ({"per_item_day": "0", "per_return_cleaning": "0"}, "per_item_day"),
        ({"per_item_day": "-1", "per_return_cleaning": "0"}, "per_item_day"),
        ({"per_item_day": "NaN", "per_return_cleaning": "0"}, "per_item_day"),
        ({"per_item_day": "10", "per_return_cleaning": "-0.01"}, "per_return_cleaning"),
        ({"per_item_day": "10", "per_return_cleaning": "2000000"}, "per_return_cleaning"),
    ],
)
def test_bad_tariffs_are_refused(tariff: dict[str, str], field: str) -> None:
    with pytest.raises(msgspec.ValidationError, match=field):
        msgspec.convert(tariff, billing.RentalTariff, strict=False)


@pytest.mark.parametrize(
    "delivery",
    [
        {"loan_id": 1, "kind": "item_days", "days": 0, "month": "2026-03"},
        {"loan_id": 1, "kind": "item_days", "days": 32, "month": "2026-03"},
        {"loan_id": 1, "kind": "cleaning", "days": 2, "month": "2026-03"},
        {"loan_id": 1, "kind": "repair", "month": "2026-03"},
        {"loan_id": 0, "kind": "cleaning", "month": "2026-03"},
        {"loan_id": 1, "kind": "cleaning", "month": "2026-13"},
        {"loan_id": 1, "kind": "cleaning", "month": "2026-03", "extra": 1},
    ],
)
def test_bad_deliveries_are_refused_at_the_edge(delivery: dict[str, Any]) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(delivery, billing.RentalDelivery)


# ------------------------------------------------------------------------ item-days
DAYS = [
    # issued, returned, month, days in month
    (date(2026, 3, 5), None, "2026-03", 27),
    (date(2026, 3, 5), date(2026, 3, 21), "2026-03", 16),
    (date(2026, 3, 5), date(2026, 3, 5), "2026-03", 1),  # same-day return: one day
    (date(2026, 3, 5), date(2026, 3, 6), "2026-03", 1),
    (date(2026, 1, 20), date(2026, 3, 3), "2026-02", 28),
    (date(2026, 1, 20), date(2026, 3, 3), "2026-03", 2),
    (date(2026, 1, 20), date(2026, 3, 1), "2026-03", 0),  # back on the 1st: no day in March
    (date(2026, 1, 20), None, "2024-02", 0),
    (date(2024, 2, 10), None, "2024-02", 20),  # leap year
]


@pytest.mark.parametrize(("issued", "returned", "month", "days"), DAYS)
def test_days_on_loan_in_a_month(
    issued: date, returned: date | None, month: str, days: int
) -> None:
    assert days_in_month(issued, returned, month) == days
    assert (span_in_month(issued, returned, month) is None) == (days == 0)
