"""Eligibility rules of a loan from the rental point.

A resident of the hromada may borrow a device on one of three grounds: a medical
conclusion of temporary need that is still fresh, a disability certificate (or a
disability group already on the citizen's record), or being an older person by the birth
date. One medical conclusion backs one request; the planned term fits the longest term.
"""

from __future__ import annotations

from datetime import date

from core.sdk import Finding, RuleContext, Text, rule

RESIDENT = "rental_aids.resident"
GROUNDS = "rental_aids.grounds"
CONCLUSION_ONCE = "rental_aids.conclusion_once"
TERM = "rental_aids.planned_term"
LIVE = ("submitted", "approved", "assigned", "closed")


def _d(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@rule(RESIDENT, title=Text("Мешканець громади", "Resident of the hromada"))
def resident(ctx: RuleContext) -> Finding:
    place = (ctx.applicant.settlement or "").strip()
    name = ctx.municipality.name
    if not place:
        return ctx.unknown(
            RESIDENT,
            "Не зазначено населений пункт проживання: внесіть його до картки громадянина.",
            "The settlement of residence is not known: enter it in the citizen's record.",
        )
    known = {s.strip().casefold() for s in ctx.municipality.settlements}
    if place.casefold() in known:
        return ctx.passed(
            RESIDENT,
            f"Особа проживає в населеному пункті {place}, {name.uk}.",
            f"The person lives in {place}, {name.en}.",
        )
    return ctx.failed(
        RESIDENT,
        f"Населений пункт «{place}» не належить до громади {name.uk}: пункт прокату "
        "обслуговує мешканців громади.",
        f"'{place}' is not in {name.en}: the rental point serves residents of the hromada.",
    )


def _conclusion(ctx: RuleContext) -> tuple[str, str] | None:
    """Why the medical conclusion does not count (uk, en), or ``None`` when it does."""
    form = ctx.form
    number, day = form.medical_conclusion_number.strip(), form.medical_conclusion_date
    if not number or day is None:
        return ("висновку лікаря немає", "there is no medical conclusion")
    if day > ctx.on:
        return (
            f"висновок № {number} датований {_d(day)}, пізніше за дату звернення {_d(ctx.on)}",
            f"conclusion No. {number} is dated {_d(day)}, after the application {_d(ctx.on)}",
        )
    valid = int(ctx.params.at("rental_aids.conclusion_valid_days", ctx.on))
    if (ctx.on - day).days > valid:
        return (
            f"висновок № {number} від {_d(day)} старший за {valid} днів",
            f"conclusion No. {number} of {_d(day)} is older than {valid} days",
        )
    return None


@rule(
    GROUNDS,
    needs=(
        "medical_conclusion_number",
        "medical_conclusion_date",
        "has_disability_certificate",
        "older_person",
    ),
    title=Text("Підстава для прокату", "Ground for a loan"),
)
def grounds(ctx: RuleContext) -> Finding:
    why_not = _conclusion(ctx)
    if why_not is None:
        number = ctx.form.medical_conclusion_number.strip()
        day = ctx.form.medical_conclusion_date
        return ctx.passed(
            GROUNDS,
            f"Висновок лікаря № {number} від {_d(day)} про тимчасову потребу.",
            f"Medical conclusion No. {number} of {_d(day)} on a temporary need.",
        )
    if ctx.form.has_disability_certificate or ctx.applicant.disability_group is not None:
        return ctx.passed(
            GROUNDS, "Особа з інвалідністю (довідка МСЕК / ІПР).", "A person with disability."
        )
    old = int(ctx.params.at("rental_aids.older_person_age", ctx.on))
    birth = ctx.applicant.birth_date
    if birth is not None and age_on(birth, ctx.on) >= old:
        years = age_on(birth, ctx.on)
        return ctx.passed(
            GROUNDS,
            f"Особа похилого віку: {years} р. (від {old}).",
            f"An older person: {years} years old ({old} or more).",
        )
    if birth is None and ctx.form.older_person:
        return ctx.unknown(
            GROUNDS,
            f"Вік не підтверджено: внесіть дату народження до картки громадянина ({why_not[0]}).",
            f"The age is not confirmed: enter the birth date in the citizen's record "
            f"({why_not[1]}).",
        )
    return ctx.failed(
        GROUNDS,
        f"Немає підстави для прокату: {why_not[0]}, довідки про інвалідність немає, вік "
        f"менший за {old} р. Подайте свіжий висновок лікаря (ЛКК) про тимчасову потребу.",
        f"No ground for a loan: {why_not[1]}, no disability certificate, younger than {old}. "
        "Bring a fresh medical conclusion on the temporary need.",
    )


@rule(
    CONCLUSION_ONCE,
    needs=("medical_conclusion_number", "medical_conclusion_date"),
    title=Text("Висновок лікаря використано один раз", "A medical conclusion is used once"),
    reads_history=True,
)
def conclusion_once(ctx: RuleContext) -> Finding:
    live = [p for p in ctx.prior if p.status in LIVE]
    if not live:
        return ctx.passed(
            CONCLUSION_ONCE,
            "Висновок лікаря не використано в інших зверненнях.",
            "The medical conclusion is not used by another request.",
        )
    first = live[0]
    return ctx.failed(
        CONCLUSION_ONCE,
        f"Цей висновок лікаря вже використано у зверненні № {first.journal_number} від "
        f"{_d(first.received_on)}: для продовження чи нового предмета потрібен новий висновок.",
        f"This medical conclusion was already used by request No. {first.journal_number} of "
        f"{_d(first.received_on)}: an extension or another item needs a new conclusion.",
    )


@rule(TERM, needs=("planned_term_days",), title=Text("Строк прокату", "Loan term"))
def planned_term(ctx: RuleContext) -> Finding:
    days = ctx.form.planned_term_days
    longest = int(ctx.params.at("rental_aids.max_term_days", ctx.on))
    if days <= longest:
        return ctx.passed(
            TERM,
            f"Запланований строк {days} дн. не перевищує {longest} дн.",
            f"The planned term of {days} days is within {longest} days.",
        )
    return ctx.failed(
        TERM,
        f"Запланований строк {days} дн. довший за найбільший строк прокату {longest} дн.",
        f"The planned term of {days} days is longer than the longest loan of {longest} days.",
    )


RULES = (resident, grounds, conclusion_once, planned_term)
