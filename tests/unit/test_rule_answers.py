"""Rules that ask for an answer or a household fact where their path reaches it
(``ctx.answer``, ``ctx.household.need``), beside rules that declare ``needs`` up front."""

from __future__ import annotations

from datetime import date
from types import ModuleType
from typing import Any

import msgspec
import pytest

from core.hookspecs import hookimpl
from core.parameters import Parameters
from core.plugin_info import PluginInfo
from core.plugins import Candidate, PluginHost
from core.service import (
    AnswerMissing,
    Applicant,
    Finding,
    HouseholdFacts,
    HouseholdRecord,
    Municipality,
    RuleContext,
    Service,
    Text,
    rule,
)
from core.workflow.eligibility import Evaluation, evaluate, partial_form
from plugins.funeral_aid.service import SERVICE as FUNERAL

ON = date(2026, 3, 16)
MUNI = Municipality(id=1, slug="kovel", name=Text("Ковель", "Kovel"), settlements=("Ковель",))
HOME_HELP = "test.home_help"


class CareForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    has_carer: bool
    note: str = ""


@rule(HOME_HELP, title=Text("Догляд удома", "Care at home"))
def home_help(ctx: RuleContext) -> Finding:
    """Group I is served as it is; otherwise a person living alone is, and one who lives
    with others only without a carer."""
    if ctx.applicant.disability_group == 1:
        return ctx.passed(HOME_HELP, "Інвалідність I групи.", "A group I disability.")
    if ctx.household.need("lives_alone"):
        return ctx.passed(HOME_HELP, "Проживає сама.", "Lives alone.")
    if ctx.answer("has_carer"):
        return ctx.failed(HOME_HELP, "Є доглядач.", "Has a carer.")
    return ctx.passed(HOME_HELP, "Доглядача немає.", "No carer.")


@rule("test.note", needs=("note",), title=Text("Примітка", "Note"))
def note_given(ctx: RuleContext) -> Finding:
    return ctx.passed("test.note", "Є примітка.", "A note is given.")


@rule("test.typo", title=Text("Хибне поле", "A wrong field"))
def typo(ctx: RuleContext) -> Finding:
    ctx.answer("has_carrer")
    return ctx.passed("test.typo", "Ніколи.", "Never.")


SERVICE = msgspec.structs.replace(
    FUNERAL, code="funeral_aid.care", form=CareForm, rules=(home_help, note_given)
)
ALONE = HouseholdRecord(birth_dates=(date(1950, 5, 1),))
PAIR = HouseholdRecord(birth_dates=(date(1950, 5, 1), date(1980, 3, 17)))


def screen(answers: dict[str, Any], applicant: Applicant, service: Service = SERVICE) -> Evaluation:
    form = msgspec.convert(answers, partial_form(CareForm))
    return evaluate(
        PluginHost([]),
        service,
        applicant=applicant,
        form=form,
        on=ON,
        params=Parameters({}),
        municipality=MUNI,
    )


def finding(result: Evaluation, rule_id: str = HOME_HELP) -> Finding:
    return next(f for f in result.findings if f.rule == rule_id)


def test_group_one_is_decided_without_the_household_or_any_answer() -> None:
    result = screen({}, Applicant(disability_group=1))
    assert finding(result).outcome == "passed"
    assert result.missing == ("note",)  # only the rule that declares ``needs`` up front


def test_without_a_recorded_household_exactly_lives_alone_is_missing() -> None:
    result = screen({}, Applicant(disability_group=2))
    found = finding(result)
    assert found.outcome == "unknown"
    assert "бракує даних (household.lives_alone)" in found.message.uk
    assert "missing data (household.lives_alone)" in found.message.en
    assert result.missing == ("household.lives_alone", "note")
    assert result.verdict == "needs_data"


def test_a_person_living_alone_is_not_asked_about_a_carer() -> None:
    result = screen({"note": "x"}, Applicant(disability_group=2, household=ALONE))
    assert finding(result).message.en == "Lives alone."
    assert result.missing == ()
    assert result.verdict == "eligible"


def test_a_person_living_with_others_is_asked_about_a_carer_only() -> None:
    applicant = Applicant(disability_group=2, household=PAIR)
    asked = screen({"note": "x"}, applicant)
    assert finding(asked).outcome == "unknown"
    assert asked.missing == ("has_carer",)
    answered = screen({"note": "x", "has_carer": True}, applicant)
    assert finding(answered).outcome == "failed"
    assert answered.missing == ()
    assert answered.verdict == "not_eligible"


def test_a_complete_form_never_stops_a_rule() -> None:
    form = CareForm(has_carer=False)
    applicant = Applicant(disability_group=3, household=PAIR)
    result = evaluate(
        PluginHost([]),
        SERVICE,
        applicant=applicant,
        form=form,
        on=ON,
        params=Parameters({}),
        municipality=MUNI,
    )
    assert [f.outcome for f in result.findings] == ["passed", "passed"]
    assert result.missing == ()


def test_asking_for_a_field_the_form_lacks_is_a_broken_rule_not_missing_data() -> None:
    result = screen({}, Applicant(), msgspec.structs.replace(SERVICE, rules=(typo,)))
    assert finding(result, "test.typo").outcome == "unknown"
    assert "зверніться до адміністратора" in finding(result, "test.typo").message.uk
    assert result.missing == ()


def test_answer_returns_an_answer_even_when_it_is_falsy() -> None:
    ctx = RuleContext(
        applicant=Applicant(),
        form=msgspec.convert({"has_carer": False}, partial_form(CareForm)),
        on=ON,
        params=Parameters({}),
        municipality=MUNI,
    )
    assert ctx.answer("has_carer") is False
    with pytest.raises(AnswerMissing) as raised:
        ctx.answer("note")
    assert raised.value.field == "note"


def test_household_facts_are_read_on_the_rule_date() -> None:
    before = HouseholdFacts.of(PAIR, date(2026, 3, 16))
    assert before.size == 2
    assert before.lives_alone is False
    assert before.birth_dates == PAIR.birth_dates
    assert before.ages == (75, 45)
    assert HouseholdFacts.of(PAIR, date(2026, 3, 17)).ages == (75, 46)  # a birthday
    assert HouseholdFacts.of(ALONE, ON).need("lives_alone") is True
    assert HouseholdFacts.of(ALONE, ON).need("size") == 1


def test_household_facts_are_unknown_without_a_recorded_household() -> None:
    facts = HouseholdFacts.of(None, ON)
    assert (facts.size, facts.lives_alone, facts.birth_dates, facts.ages) == (None,) * 4
    for fact in ("size", "lives_alone", "birth_dates", "ages"):
        with pytest.raises(AnswerMissing) as raised:
            facts.need(fact)
        assert raised.value.field == f"household.{fact}"


def test_ages_are_unknown_while_a_member_has_no_birth_date() -> None:
    facts = HouseholdFacts.of(HouseholdRecord(birth_dates=(date(1950, 5, 1), None)), ON)
    assert facts.ages == (75, None)
    assert facts.need("size") == 2
    with pytest.raises(AnswerMissing, match=r"household\.ages"):
        facts.need("ages")


def test_extra_checks_reaching_a_missing_fact_give_an_unknown_finding() -> None:
    module = ModuleType("asks_hooks")

    @hookimpl
    def plugin_info() -> PluginInfo:
        return PluginInfo(name="asks", contract=1, title=Text("Тест", "Test"))

    @hookimpl
    def register_services() -> list[Service]:
        return [msgspec.structs.replace(FUNERAL, code="asks.one")]

    @hookimpl
    def extra_checks(service: Service, ctx: RuleContext) -> list[Finding]:
        ctx.household.need("size")
        return []

    for fn in (plugin_info, register_services, extra_checks):
        setattr(module, fn.__name__, fn)
    host = PluginHost(["asks"], [Candidate("asks", "asks-pkg", "0.1", lambda: module)])
    ctx = RuleContext(
        applicant=Applicant(), form=None, on=ON, params=Parameters({}), municipality=MUNI
    )
    (found,) = host.extra_checks(SERVICE, ctx)
    assert found.outcome == "unknown"
    assert "household.size" in found.message.uk
