"""The funeral-aid service: card, form, eligibility rules and amount.

Rules follow CMU No. 99 of 31.01.2007 (see docs/plugins/funeral_aid.md): the deceased was
a resident of the hromada and not insured (not working, no pension, not registered as
unemployed); the application comes within six months of death from the person who
buried the deceased; one payment per deceased; no other funeral benefit was received.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from core.sdk import (
    Applicant,
    Finding,
    Payee,
    RuleContext,
    Service,
    Text,
    load_card,
    load_parameters,
    money,
    rule,
    ukrainian_iban,
)
from plugins.funeral_aid import labels

Name = Annotated[str, Meta(min_length=1, max_length=128)]
Relation = Literal[
    "spouse", "child", "parent", "sibling", "grandchild", "other_relative", "executor", "other"
]


class FuneralAidForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Application for funeral aid, filed by the person who buried the deceased."""

    deceased_last_name: Name
    deceased_first_name: Name
    deceased_patronymic: Annotated[str, Meta(max_length=128)] = ""
    deceased_birth_date: date
    deceased_tax_number: Annotated[str, Meta(pattern=r"^\d{10}$")] | None = None
    death_date: date
    #: Number of the civil-registry death record (актовий запис про смерть).
    death_record_number: Annotated[str, Meta(min_length=1, max_length=32)]
    death_record_date: date
    #: Settlement of the deceased's last registered place of residence.
    deceased_settlement: Annotated[str, Meta(min_length=1, max_length=128)]
    deceased_employed: bool
    deceased_pensioner: bool
    deceased_registered_unemployed: bool
    deceased_full_state_maintenance: bool = False
    relation: Relation
    burial_paid_by_applicant: bool
    iban: Annotated[str, Meta(min_length=29, max_length=34)]
    declaration_no_other_benefit: bool
    declaration_data_true: bool

    def __post_init__(self) -> None:
        self.iban = ukrainian_iban(self.iban)
        if self.death_date < self.deceased_birth_date:
            raise ValueError("death_date: дата смерті раніше дати народження / death before birth")


def _months_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


@rule(
    "funeral_aid.deceased_resident",
    needs=("deceased_settlement",),
    title=Text("Померлий — мешканець громади", "Deceased was a resident"),
)
def deceased_resident(ctx: RuleContext) -> Finding:
    place = ctx.form.deceased_settlement.strip().casefold()
    known = {s.casefold() for s in ctx.municipality.settlements}
    name = ctx.municipality.name
    if place in known:
        return ctx.passed(
            "funeral_aid.deceased_resident",
            f"Останнє місце проживання — {ctx.form.deceased_settlement}, {name.uk}.",
            f"Last residence {ctx.form.deceased_settlement} is in {name.en}.",
        )
    return ctx.failed(
        "funeral_aid.deceased_resident",
        f"Останнє місце проживання «{ctx.form.deceased_settlement}» не належить до "
        f"громади {name.uk}; допомогу виплачують за останнім місцем проживання.",
        f"Last residence '{ctx.form.deceased_settlement}' is not in {name.en}; the aid "
        "is paid where the deceased last lived.",
    )


@rule(
    "funeral_aid.uninsured",
    needs=("deceased_employed", "deceased_pensioner", "deceased_registered_unemployed"),
    title=Text("Померлий не був застрахований", "Deceased was uninsured"),
)
def uninsured(ctx: RuleContext) -> Finding:
    f = ctx.form
    reasons_uk, reasons_en = [], []
    if f.deceased_employed:
        reasons_uk.append("працював або проходив службу")
        reasons_en.append("was working or in service")
    if f.deceased_pensioner:
        reasons_uk.append("отримував пенсію (допомогу виплачує ПФУ)")
        reasons_en.append("received a pension (the Pension Fund pays the benefit)")
    if f.deceased_registered_unemployed:
        reasons_uk.append("перебував на обліку в центрі зайнятості")
        reasons_en.append("was registered as unemployed")
    if reasons_uk:
        return ctx.failed(
            "funeral_aid.uninsured",
            "Померлий " + "; ".join(reasons_uk) + ": допомога з бюджету громади не призначається.",
            "The deceased " + "; ".join(reasons_en) + ": no municipal funeral aid.",
        )
    return ctx.passed(
        "funeral_aid.uninsured",
        "Померлий не працював, не отримував пенсії і не був на обліку як безробітний.",
        "The deceased did not work, had no pension and was not registered unemployed.",
    )


@rule(
    "funeral_aid.within_deadline",
    needs=("death_date",),
    title=Text("Звернення протягом 6 місяців", "Applied within 6 months"),
)
def within_deadline(ctx: RuleContext) -> Finding:
    months = int(ctx.params.at("funeral_aid.deadline_months", ctx.on))
    death = ctx.form.death_date
    if death > ctx.on:
        return ctx.failed(
            "funeral_aid.within_deadline",
            f"Дата смерті {death:%d.%m.%Y} пізніша за дату звернення.",
            f"The date of death {death:%d.%m.%Y} is after the application date.",
        )
    last_day = _months_after(death, months)
    if ctx.on <= last_day:
        return ctx.passed(
            "funeral_aid.within_deadline",
            f"Звернення в межах {months} місяців після смерті (до {last_day:%d.%m.%Y}).",
            f"Applied within {months} months of death (until {last_day:%d.%m.%Y}).",
        )
    return ctx.failed(
        "funeral_aid.within_deadline",
        f"Строк звернення минув {last_day:%d.%m.%Y}: допомогу можна отримати лише "
        f"протягом {months} місяців після смерті.",
        f"The deadline passed on {last_day:%d.%m.%Y}: the aid is paid only within "
        f"{months} months of death.",
    )


@rule(
    "funeral_aid.one_per_deceased",
    needs=("deceased_last_name", "deceased_first_name", "deceased_birth_date", "death_date"),
    title=Text("Одна допомога на одного померлого", "One payment per deceased"),
    reads_history=True,
)
def one_per_deceased(ctx: RuleContext) -> Finding:
    live = [p for p in ctx.prior if p.status not in ("refused", "withdrawn")]
    if live:
        return ctx.failed(
            "funeral_aid.one_per_deceased",
            "Допомогу на поховання цієї особи вже призначено або заява вже розглядається.",
            "Funeral aid for this person was already granted or is being considered.",
        )
    return ctx.passed(
        "funeral_aid.one_per_deceased",
        "Допомогу на поховання цієї особи раніше не призначали.",
        "No funeral aid was granted for this person before.",
    )


@rule(
    "funeral_aid.no_other_benefit",
    needs=("declaration_no_other_benefit", "deceased_full_state_maintenance"),
    title=Text("Немає іншої допомоги на поховання", "No other funeral benefit"),
)
def no_other_benefit(ctx: RuleContext) -> Finding:
    if ctx.form.deceased_full_state_maintenance:
        return ctx.failed(
            "funeral_aid.no_other_benefit",
            "Померлий перебував на повному державному утриманні: поховання оплачує держава.",
            "The deceased was on full state maintenance: the state pays for the burial.",
        )
    if not ctx.form.declaration_no_other_benefit:
        return ctx.failed(
            "funeral_aid.no_other_benefit",
            "Заявник не підтвердив, що іншої допомоги на поховання (ПФУ, роботодавець, "
            "соціальна допомога) не отримано.",
            "The applicant did not declare that no other funeral benefit (Pension Fund, "
            "employer, social assistance) was received.",
        )
    return ctx.passed(
        "funeral_aid.no_other_benefit",
        "Іншої допомоги на поховання не отримано (декларація заявника).",
        "No other funeral benefit was received (applicant's declaration).",
    )


@rule(
    "funeral_aid.applicant_buried",
    needs=("burial_paid_by_applicant",),
    title=Text("Заявник здійснив поховання", "Applicant carried out the burial"),
)
def applicant_buried(ctx: RuleContext) -> Finding:
    if ctx.form.burial_paid_by_applicant:
        return ctx.passed(
            "funeral_aid.applicant_buried",
            "Заявник поховав померлого за власний рахунок.",
            "The applicant buried the deceased at their own expense.",
        )
    return ctx.failed(
        "funeral_aid.applicant_buried",
        "Допомогу отримує лише особа, яка поховала померлого (виконавець волевиявлення).",
        "Only the person who buried the deceased (or the executor of the will) is paid.",
    )


@rule(
    "funeral_aid.death_record",
    needs=("death_date", "death_record_date"),
    title=Text("Актовий запис про смерть", "Death record"),
)
def death_record(ctx: RuleContext) -> Finding:
    f = ctx.form
    if f.death_record_date < f.death_date or f.death_record_date > ctx.on:
        return ctx.failed(
            "funeral_aid.death_record",
            f"Дата актового запису {f.death_record_date:%d.%m.%Y} має бути між датою "
            "смерті і датою звернення.",
            f"The death record date {f.death_record_date:%d.%m.%Y} must fall between the "
            "date of death and the application date.",
        )
    return ctx.passed(
        "funeral_aid.death_record",
        f"Актовий запис №{f.death_record_number} від {f.death_record_date:%d.%m.%Y}.",
        f"Death record No. {f.death_record_number} of {f.death_record_date:%d.%m.%Y}.",
    )


@rule(
    "funeral_aid.declaration",
    needs=("declaration_data_true",),
    title=Text("Достовірність даних", "Truth of the data"),
)
def declaration(ctx: RuleContext) -> Finding:
    if ctx.form.declaration_data_true:
        return ctx.passed(
            "funeral_aid.declaration",
            "Заявник підтвердив достовірність даних.",
            "The applicant confirmed the data are true.",
        )
    return ctx.failed(
        "funeral_aid.declaration",
        "Заявник не підтвердив достовірність даних.",
        "The applicant did not confirm the data are true.",
    )


def amount(ctx: RuleContext) -> Decimal:
    return money(ctx.params.decimal("funeral_aid.amount", ctx.on))


def subject_key(form: FuneralAidForm) -> str:
    """The deceased person by full name and dates of birth and death.

    The death-record number is left out on purpose: it is unique only within one civil
    registry office and year, and is often written differently by different applicants.
    """
    names = (
        " ".join((form.deceased_last_name, form.deceased_first_name, form.deceased_patronymic))
        .casefold()
        .split()
    )
    return f"deceased:{' '.join(names)}|{form.deceased_birth_date}|{form.death_date}"


def example_form(rng: random.Random, applicant: Applicant, on: date) -> FuneralAidForm:
    from faker import Faker

    fake = Faker("uk_UA")
    fake.seed_instance(rng.randrange(1 << 30))
    death = on - timedelta(days=rng.randint(3, 150))
    male = rng.random() < 0.5
    return FuneralAidForm(
        deceased_last_name=fake.last_name_male() if male else fake.last_name_female(),
        deceased_first_name=fake.first_name_male() if male else fake.first_name_female(),
        deceased_patronymic=fake.middle_name_male() if male else fake.middle_name_female(),
        deceased_birth_date=death - timedelta(days=rng.randint(40 * 365, 58 * 365)),
        death_date=death,
        death_record_number=str(rng.randint(100, 2999)),
        death_record_date=death + timedelta(days=rng.randint(1, 3)),
        deceased_settlement=applicant.settlement or "",
        deceased_employed=rng.random() < 0.1,
        deceased_pensioner=False,
        deceased_registered_unemployed=False,
        relation=rng.choice(["spouse", "child", "sibling", "parent"]),
        burial_paid_by_applicant=True,
        iban=rng.choice(["UA213223130000026007233566001", "UA583808050000026009702978805"]),
        declaration_no_other_benefit=True,
        declaration_data_true=True,
    )


CARD = load_card(Path(__file__).with_name("card.toml"))

PARAMETERS = load_parameters(Path(__file__).with_name("parameters.toml"), "funeral_aid")

SERVICE = Service(
    code="funeral_aid.lump_sum",
    card=CARD,
    form=FuneralAidForm,
    labels=labels.FORM,
    rules=(
        deceased_resident,
        uninsured,
        within_deadline,
        one_per_deceased,
        no_other_benefit,
        applicant_buried,
        death_record,
        declaration,
    ),
    payee=Payee.applicant,
    parameters=PARAMETERS,
    subject_key=subject_key,
    amount=amount,
    example_form=example_form,
    payout_iban_field="iban",
)
