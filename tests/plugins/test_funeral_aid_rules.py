"""Funeral aid: each rule passes and fails, and the user reads why (table-driven)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from core.parameters import Parameters
from core.plugins import PluginHost
from core.service import Applicant, Municipality, PriorRequest, RuleContext, Text
from core.workflow.eligibility import evaluate
from plugins.funeral_aid.service import SERVICE, FuneralAidForm
from tests.funeral import funeral_form

ON = date(2026, 3, 16)
MUNI = Municipality(
    id=1,
    slug="kovel",
    name=Text("Ковельська громада", "Kovel hromada"),
    settlements=("Ковель", "Дубове"),
)


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost(["funeral_aid"])


def run_rule(
    host: PluginHost,
    rule_id: str,
    on: date = ON,
    prior: tuple[PriorRequest, ...] = (),
    **changes: Any,
) -> tuple[str, Text]:
    form = msgspec.convert(funeral_form(on, **changes), FuneralAidForm)
    result = evaluate(
        host,
        SERVICE,
        applicant=Applicant(),
        form=form,
        on=on,
        params=Parameters(SERVICE.parameters),
        municipality=MUNI,
        prior=prior,
    )
    finding = next(f for f in result.findings if f.rule == rule_id)
    return finding.outcome, finding.message


CASES = [
    # rule, changes, expected outcome, words the user reads (uk)
    ("funeral_aid.deceased_resident", {}, "passed", "Ковель"),
    (
        "funeral_aid.deceased_resident",
        {"deceased_settlement": "Луцьк"},
        "failed",
        "не належить до громади",
    ),
    ("funeral_aid.deceased_resident", {"deceased_settlement": "дубове"}, "passed", "дубове"),
    ("funeral_aid.uninsured", {}, "passed", "не працював"),
    ("funeral_aid.uninsured", {"deceased_employed": True}, "failed", "працював"),
    ("funeral_aid.uninsured", {"deceased_pensioner": True}, "failed", "пенсію"),
    (
        "funeral_aid.uninsured",
        {"deceased_registered_unemployed": True},
        "failed",
        "центрі зайнятості",
    ),
    (
        "funeral_aid.within_deadline",
        {"death_date": "2025-09-16", "death_record_date": "2025-09-17"},
        "passed",
        "до 16.03.2026",
    ),
    (
        "funeral_aid.within_deadline",
        {"death_date": "2025-09-15", "death_record_date": "2025-09-17"},
        "failed",
        "Строк звернення минув 15.03.2026",
    ),
    (
        "funeral_aid.within_deadline",
        {
            "death_date": "2026-03-20",
            "death_record_date": "2026-03-20",
            "deceased_birth_date": "1950-01-01",
        },
        "failed",
        "пізніша за дату звернення",
    ),
    ("funeral_aid.no_other_benefit", {}, "passed", "не отримано"),
    (
        "funeral_aid.no_other_benefit",
        {"declaration_no_other_benefit": False},
        "failed",
        "не підтвердив",
    ),
    (
        "funeral_aid.no_other_benefit",
        {"deceased_full_state_maintenance": True},
        "failed",
        "державному утриманні",
    ),
    ("funeral_aid.applicant_buried", {}, "passed", "за власний рахунок"),
    (
        "funeral_aid.applicant_buried",
        {"burial_paid_by_applicant": False},
        "failed",
        "лише особа, яка поховала",
    ),
    ("funeral_aid.death_record", {}, "passed", "№1234"),
    ("funeral_aid.death_record", {"death_record_date": "2020-01-01"}, "failed", "між датою смерті"),
    ("funeral_aid.declaration", {}, "passed", "підтвердив достовірність"),
    ("funeral_aid.declaration", {"declaration_data_true": False}, "failed", "не підтвердив"),
]


@pytest.mark.parametrize(
    ("rule_id", "changes", "outcome", "words"),
    CASES,
    ids=[f"{c[0].split('.')[1]}-{c[2]}-{i}" for i, c in enumerate(CASES)],
)
def test_funeral_aid_rule(
    host: PluginHost, rule_id: str, changes: dict[str, Any], outcome: str, words: str
) -> None:
    got, message = run_rule(host, rule_id, **changes)
    assert got == outcome
    assert words in message.uk
    assert message.en  # every finding also speaks English


def test_funeral_aid_refused_when_already_paid_for_the_deceased(host: PluginHost) -> None:
    prior = (PriorRequest("2026-000001", "approved", ON - timedelta(days=10)),)
    outcome, message = run_rule(host, "funeral_aid.one_per_deceased", prior=prior)
    assert outcome == "failed"
    assert "вже призначено" in message.uk


def test_funeral_aid_earlier_refusal_does_not_block_a_new_application(host: PluginHost) -> None:
    prior = (
        PriorRequest("2026-000001", "refused", ON - timedelta(days=10)),
        PriorRequest("2026-000002", "withdrawn", ON - timedelta(days=9)),
    )
    outcome, message = run_rule(host, "funeral_aid.one_per_deceased", prior=prior)
    assert outcome == "passed"
    assert "раніше не призначали" in message.uk


def test_funeral_aid_amount_is_the_dated_parameter_in_force() -> None:
    params = Parameters(SERVICE.parameters)
    form = msgspec.convert(funeral_form(ON), FuneralAidForm)
    assert SERVICE.amount is not None

    def amount_on(day: date, p: Parameters) -> Decimal:
        ctx = RuleContext(applicant=Applicant(), form=form, on=day, params=p, municipality=MUNI)
        return SERVICE.amount(ctx)  # type: ignore[misc]

    assert amount_on(date(2025, 12, 31), params) == Decimal("2000.00")
    assert amount_on(date(2026, 1, 1), params) == Decimal("3209.00")
    local = params.overridden({"funeral_aid.amount": [(date(2026, 2, 1), "4500")]})
    assert amount_on(date(2026, 1, 31), local) == Decimal("3209.00")
    assert amount_on(date(2026, 2, 1), local) == Decimal("4500.00")


def test_funeral_aid_form_rejects_a_bad_iban() -> None:
    with pytest.raises(msgspec.ValidationError, match="IBAN"):
        msgspec.convert(funeral_form(ON, iban="UA238999980334179879010013932"), FuneralAidForm)


def test_funeral_aid_subject_key_ignores_case_and_spacing() -> None:
    assert SERVICE.subject_key is not None
    a = msgspec.convert(funeral_form(ON), FuneralAidForm)
    b = msgspec.convert(
        funeral_form(ON, deceased_last_name="МЕЛЬНИК ", death_record_number="77"), FuneralAidForm
    )
    assert SERVICE.subject_key(a) == SERVICE.subject_key(b)


def test_every_funeral_aid_rule_is_covered_by_a_failing_case() -> None:
    failing = {c[0] for c in CASES if c[2] == "failed"} | {"funeral_aid.one_per_deceased"}
    assert failing == {r.id for r in SERVICE.rules}
