"""Assistant registration: each rule passes and fails and the user reads why (table-driven);
the form, the subject key, the card and the parameters."""

from __future__ import annotations

import random
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import pytest

from core.parameters import Parameters
from core.plugins import PluginHost
from core.service import Applicant, Municipality, Payee, PriorRequest, Text
from core.workflow.eligibility import evaluate, partial_form
from plugins.assistant_registration.forms import AssistantForm, example_form, subject_key
from plugins.assistant_registration.service import PARAMETERS, SERVICE

ON = date(2026, 3, 16)
MUNI = Municipality(
    id=1,
    slug="kovel",
    name=Text("Ковельська громада", "Kovel hromada"),
    settlements=("Ковель", "Дубове"),
)
PERSON = Applicant(
    citizen_id=7,
    last_name="Шевченко",
    first_name="Оксана",
    patronymic="Іванівна",
    birth_date=date(1948, 2, 28),
    tax_number="3184710691",
    settlement="Ковель",
)
ASSISTANT_TAX = "3652504575"  # valid РНОКПП of a man born 2000-01-01


def assistant_form(person_citizen_id: int, /, **changes: Any) -> dict[str, Any]:
    """A valid application (every rule passes), with ``changes`` applied."""
    form: dict[str, Any] = {
        "person_citizen_id": person_citizen_id,
        "person_under_guardianship": False,
        "health_reason": "Наслідки інсульту, обмежена рухливість",
        "assistant_last_name": "Мельник",
        "assistant_first_name": "Андрій",
        "assistant_patronymic": "Петрович",
        "assistant_birth_date": "2000-01-01",
        "assistant_tax_number": ASSISTANT_TAX,
        "assistant_address": "Ковель, вул. Шевченка, 5",
        "assistant_has_full_capacity": True,
        "assistant_consent": True,
        "documents_acknowledged": True,
    }
    form.update(changes)
    return form


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost(["assistant_registration"])


def prior(status: str, number: str = "2026-000017") -> tuple[PriorRequest, ...]:
    return (PriorRequest(number, status, date(2026, 2, 2)),)


def run_rule(
    host: PluginHost,
    rule_id: str,
    applicant: Applicant = PERSON,
    earlier: tuple[PriorRequest, ...] = (),
    params: dict[str, Any] | None = None,
    **changes: Any,
) -> tuple[str, Text]:
    """One rule's finding on a form read as screening reads it (no form-level checks)."""
    form = msgspec.convert(assistant_form(7, **changes), partial_form(AssistantForm))
    overrides = {k: [(date(2020, 1, 1), v)] for k, v in (params or {}).items()}
    result = evaluate(
        host,
        SERVICE,
        applicant=applicant,
        form=form,
        on=ON,
        params=Parameters(SERVICE.parameters).overridden(overrides),
        municipality=MUNI,
        prior=earlier,
    )
    finding = next(f for f in result.findings if f.rule == rule_id)
    return finding.outcome, finding.message


P = "assistant_registration."
LIMIT = P + "max_persons_per_assistant"
NOBODY = msgspec.structs.replace(PERSON, settlement=None)
LUTSK = msgspec.structs.replace(PERSON, settlement="Луцьк")
OTHER = msgspec.structs.replace(PERSON, citizen_id=8)
CASES: list[tuple[str, Applicant, tuple[PriorRequest, ...], dict[str, Any], str, str]] = [
    # rule, applicant, prior requests, form changes (+ "params"), outcome, words (uk)
    (P + "applicant_is_person", PERSON, (), {}, "passed", "сама особа"),
    (P + "applicant_is_person", OTHER, (), {}, "failed", "лише за заявою самої особи"),
    (P + "person_capable", PERSON, (), {}, "passed", "Особа дієздатна"),
    (
        P + "person_capable",
        PERSON,
        (),
        {"person_under_guardianship": True},
        "failed",
        "встановлено опіку або піклування",
    ),
    (P + "person_resident", PERSON, (), {}, "passed", "Ковель"),
    (P + "person_resident", LUTSK, (), {}, "failed", "«Луцьк» не належить до громади"),
    (P + "person_resident", NOBODY, (), {}, "unknown", "Невідомо, де проживає"),
    (P + "health_reason", PERSON, (), {}, "passed", "Наслідки інсульту"),
    (P + "health_reason", PERSON, (), {"health_reason": "   "}, "failed", "Не зазначено"),
    (P + "assistant_adult", PERSON, (), {}, "passed", "Помічникові 26 р."),
    (P + "assistant_adult", PERSON, (), {"assistant_birth_date": "2008-03-16"}, "passed", "18"),
    (
        P + "assistant_adult",
        PERSON,
        (),
        {"assistant_birth_date": "2008-03-17"},
        "failed",
        "лише повнолітня особа",
    ),
    (
        P + "assistant_adult",
        PERSON,
        (),
        {"assistant_birth_date": "2027-01-01"},
        "failed",
        "пізніша за дату звернення",
    ),
    (
        P + "assistant_adult",
        PERSON,
        (),
        {"params": {P + "assistant_min_age": 30}},
        "failed",
        "(від 30 р.)",
    ),
    (P + "assistant_capable", PERSON, (), {}, "passed", "повну цивільну дієздатність"),
    (
        P + "assistant_capable",
        PERSON,
        (),
        {"assistant_has_full_capacity": False},
        "failed",
        "оберіть іншого помічника",
    ),
    (P + "assistant_not_person", PERSON, (), {}, "passed", "Мельник Андрій"),
    (
        P + "assistant_not_person",
        PERSON,
        (),
        {"assistant_tax_number": "3184710691"},
        "failed",
        "сама собі",
    ),
    (
        P + "assistant_not_person",
        PERSON,
        (),
        {
            "assistant_last_name": "шевченко",
            "assistant_first_name": "Оксана",
            "assistant_birth_date": "1948-02-28",
            "assistant_tax_number": None,
        },
        "failed",
        "сама собі",
    ),
    (P + "assistant_consent", PERSON, (), {}, "passed", "згоду помічника додано"),
    (
        P + "assistant_consent",
        PERSON,
        (),
        {"assistant_consent": False},
        "failed",
        "Немає письмової згоди",
    ),
    (P + "one_registration_per_pair", PERSON, (), {}, "passed", "раніше не реєстрували"),
    (P + "one_registration_per_pair", PERSON, prior("refused"), {}, "passed", "не реєстрували"),
    (P + "one_registration_per_pair", PERSON, prior("withdrawn"), {}, "passed", "не реєстр"),
    (
        P + "one_registration_per_pair",
        PERSON,
        prior("approved"),
        {},
        "failed",
        "вже зареєстровано для особи (заява № 2026-000017 від 02.02.2026)",
    ),
    (
        P + "one_registration_per_pair",
        PERSON,
        prior("closed"),
        {},
        "failed",
        "вже зареєстровано",
    ),
    (
        P + "one_registration_per_pair",
        PERSON,
        prior("submitted"),
        {},
        "failed",
        "вже розглядається (№ 2026-000017)",
    ),
    (P + "persons_per_assistant", PERSON, (), {}, "passed", "не обмежено"),
    (
        P + "persons_per_assistant",
        PERSON,
        (),
        {"params": {LIMIT: 2}},
        "passed",
        "не більше ніж для 2 осіб",
    ),
    (P + "persons_per_assistant", PERSON, (), {"params": {LIMIT: -1}}, "failed", "від'ємний"),
    (P + "documents", PERSON, (), {}, "passed", "ознайомився з переліком"),
    (
        P + "documents",
        PERSON,
        (),
        {"documents_acknowledged": False},
        "failed",
        "не підтвердив подання документів",
    ),
]


@pytest.mark.parametrize(
    ("rule_id", "applicant", "earlier", "changes", "outcome", "words"),
    CASES,
    ids=[f"{c[0].split('.')[1]}-{c[4]}-{i}" for i, c in enumerate(CASES)],
)
def test_rule(
    host: PluginHost,
    rule_id: str,
    applicant: Applicant,
    earlier: tuple[PriorRequest, ...],
    changes: dict[str, Any],
    outcome: str,
    words: str,
) -> None:
    changes = dict(changes)
    params = changes.pop("params", None)
    got, message = run_rule(host, rule_id, applicant, earlier, params, **changes)
    assert got == outcome, message
    assert words in message.uk
    assert message.en


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    ids = {r.id for r in SERVICE.rules}
    assert {c[0] for c in CASES if c[4] == "passed"} == ids
    assert {c[0] for c in CASES if c[4] == "failed"} == ids


def test_a_complete_valid_application_is_eligible(host: PluginHost) -> None:
    form = msgspec.convert(assistant_form(7), AssistantForm)
    result = evaluate(
        host,
        SERVICE,
        applicant=PERSON,
        form=form,
        on=ON,
        params=Parameters(SERVICE.parameters),
        municipality=MUNI,
    )
    assert result.verdict == "eligible", result.findings
    assert len(result.findings) == len(SERVICE.rules)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"assistant_tax_number": "1234567890"}, "assistant_tax_number"),
        ({"assistant_tax_number": "175901377"}, "assistant_tax_number"),
        ({"health_reason": "    "}, "health_reason"),
        ({"assistant_last_name": "  "}, "assistant_last_name"),
        ({"assistant_birth_date": "31.12.2000"}, "assistant_birth_date"),
        ({"person_citizen_id": 0}, "person_citizen_id"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_forms_are_refused_naming_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(msgspec.ValidationError, match=field):
        msgspec.convert(assistant_form(7, **changes), AssistantForm)


def test_the_tax_number_is_optional_and_compacted() -> None:
    form = msgspec.convert(assistant_form(7, assistant_tax_number=None), AssistantForm)
    assert form.assistant_tax_number is None
    form = msgspec.convert(assistant_form(7, assistant_tax_number="365 250 4575"), AssistantForm)
    assert form.assistant_tax_number == ASSISTANT_TAX


def test_the_subject_key_is_the_pair() -> None:
    def key(**changes: Any) -> str:
        return subject_key(msgspec.convert(assistant_form(7, **changes), AssistantForm))

    assert key() == f"person:7|assistant:tax:{ASSISTANT_TAX}"
    assert key(assistant_last_name="МЕЛЬНИК") == key()  # the tax number decides
    by_name = key(assistant_tax_number=None)
    assert by_name == "person:7|assistant:name:мельник андрій петрович|2000-01-01"
    assert key(assistant_tax_number=None, assistant_first_name=" андрій ") == by_name
    assert key(person_citizen_id=8) != key()
    assert key(previous_entry_number=" пм-2026-0001 ").endswith("|after:ПМ-2026-0001")


def test_the_card_is_free_bilingual_and_complete() -> None:
    card = SERVICE.card
    assert SERVICE.payee is Payee.nobody
    assert card.fee is None
    assert card.term_days == 30
    assert card.term_kind == "calendar"
    assert SERVICE.subject_key is not None
    for text in (card.title, card.summary, card.who_may_apply, card.appeal, card.outcome):
        assert text.uk
        assert text.en
    assert any("ст. 78" in t.uk for t in card.legal_basis)
    assert "адміністративного суду" in card.appeal.uk
    assert {
        "person_incapable",
        "not_resident",
        "assistant_ineligible",
        "no_consent",
        "already_registered",
        "assistant_limit",
    } <= {g.code for g in card.refusal_grounds}
    assert any("згода помічника" in d.name.uk for d in card.documents)


def test_every_parameter_is_dated_and_sourced() -> None:
    path = Path(__file__).resolve().parents[2] / "plugins/assistant_registration/parameters.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(raw) == {"decision_term_days", "assistant_min_age", "max_persons_per_assistant"}
    for name, spec in raw.items():
        assert spec["source"], name
        assert spec["uk"], name
        assert spec["en"], name
    assert "ASSUMPTION" in raw["decision_term_days"]["source"]
    assert "ASSUMPTION" in raw["max_persons_per_assistant"]["source"]
    params = Parameters(PARAMETERS)
    assert params.at(P + "decision_term_days", ON) == 30
    assert params.at(P + "assistant_min_age", ON) == 18
    assert params.at(LIMIT, ON) == 0


@pytest.mark.parametrize("seed", range(5))
def test_example_forms_are_valid_and_eligible(host: PluginHost, seed: int) -> None:
    assert SERVICE.example_form is not None
    form = SERVICE.example_form(random.Random(seed), PERSON, ON)
    assert isinstance(form, AssistantForm)
    again = msgspec.convert(msgspec.to_builtins(form), AssistantForm)  # the tax number is valid
    assert again == form
    result = evaluate(
        host,
        SERVICE,
        applicant=PERSON,
        form=form,
        on=ON,
        params=Parameters(SERVICE.parameters),
        municipality=MUNI,
    )
    assert result.verdict == "eligible", result.findings
    assert example_form(random.Random(seed), PERSON, ON) == form
