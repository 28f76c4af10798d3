"""Rules about the chosen assistant and the pair (Civil Code art. 78, DOMAIN §6).

The limit of persons per assistant needs the register, which rules cannot read: the rule
only states the limit in force, and the register refuses a registration over it (see
:mod:`plugins.assistant_registration.register`).
"""

from __future__ import annotations

from datetime import date

from core.sdk import Finding, RuleContext, Text, rule

P = "assistant_registration"
ASSISTANT_ADULT = f"{P}.assistant_adult"
ASSISTANT_CAPABLE = f"{P}.assistant_capable"
ASSISTANT_NOT_PERSON = f"{P}.assistant_not_person"
ASSISTANT_CONSENT = f"{P}.assistant_consent"
ONE_PAIR = f"{P}.one_registration_per_pair"
PERSONS_LIMIT = f"{P}.persons_per_assistant"

GRANTED = ("approved", "assigned", "closed")
ENDED = ("refused", "withdrawn")


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@rule(
    ASSISTANT_ADULT,
    needs=("assistant_birth_date",),
    title=Text("Помічник повнолітній", "The assistant is an adult"),
)
def assistant_adult(ctx: RuleContext) -> Finding:
    least = int(ctx.params.at(f"{P}.assistant_min_age", ctx.on))
    born = ctx.form.assistant_birth_date
    if born > ctx.on:
        return ctx.failed(
            ASSISTANT_ADULT,
            f"Дата народження помічника {born:%d.%m.%Y} пізніша за дату звернення.",
            f"The assistant's birth date {born:%d.%m.%Y} is after the application date.",
        )
    age = age_on(born, ctx.on)
    if age >= least:
        return ctx.passed(
            ASSISTANT_ADULT,
            f"Помічникові {age} р., не менше {least}.",
            f"The assistant is {age}, at least {least}.",
        )
    return ctx.failed(
        ASSISTANT_ADULT,
        f"Помічникові {age} р.: помічником може бути лише повнолітня особа (від {least} р.).",
        f"The assistant is {age}: only an adult (from {least}) may be an assistant.",
    )


@rule(
    ASSISTANT_CAPABLE,
    needs=("assistant_has_full_capacity",),
    title=Text("Помічник має повну дієздатність", "The assistant has full capacity"),
)
def assistant_capable(ctx: RuleContext) -> Finding:
    if ctx.form.assistant_has_full_capacity:
        return ctx.passed(
            ASSISTANT_CAPABLE,
            "Помічник має повну цивільну дієздатність і не перебуває під опікою чи піклуванням.",
            "The assistant has full civil capacity and is not under guardianship or custody.",
        )
    return ctx.failed(
        ASSISTANT_CAPABLE,
        "Помічник не має повної цивільної дієздатності (обмежений у дієздатності або під "
        "опікою чи піклуванням): оберіть іншого помічника.",
        "The assistant lacks full civil capacity (restricted or under guardianship or "
        "custody): choose another assistant.",
    )


@rule(
    ASSISTANT_NOT_PERSON,
    needs=("assistant_last_name", "assistant_first_name", "assistant_birth_date"),
    title=Text("Помічник — інша особа", "The assistant is someone else"),
)
def assistant_not_person(ctx: RuleContext) -> Finding:
    f, a = ctx.form, ctx.applicant
    same_tax = bool(a.tax_number) and f.assistant_tax_number == a.tax_number
    same_person = (
        a.birth_date == f.assistant_birth_date
        and (a.last_name or "").casefold() == f.assistant_last_name.strip().casefold()
        and (a.first_name or "").casefold() == f.assistant_first_name.strip().casefold()
    )
    if same_tax or same_person:
        return ctx.failed(
            ASSISTANT_NOT_PERSON,
            "Особа не може бути помічником сама собі: зазначте дані іншої особи.",
            "The person cannot be their own assistant: name someone else.",
        )
    return ctx.passed(
        ASSISTANT_NOT_PERSON,
        f"Помічник: {f.assistant_last_name} {f.assistant_first_name}.",
        f"Assistant: {f.assistant_last_name} {f.assistant_first_name}.",
    )


@rule(
    ASSISTANT_CONSENT,
    needs=("assistant_consent",),
    title=Text("Письмова згода помічника", "The assistant's written consent"),
)
def assistant_consent(ctx: RuleContext) -> Finding:
    if ctx.form.assistant_consent:
        return ctx.passed(
            ASSISTANT_CONSENT,
            "Письмову згоду помічника додано.",
            "The assistant's written consent is attached.",
        )
    return ctx.failed(
        ASSISTANT_CONSENT,
        "Немає письмової згоди помічника: без неї помічника не реєструють.",
        "The assistant's written consent is missing: no registration without it.",
    )


@rule(
    ONE_PAIR,
    needs=("person_citizen_id", "assistant_last_name", "assistant_birth_date"),
    title=Text("Пару не зареєстровано раніше", "The pair is not registered yet"),
    reads_history=True,
)
def one_registration_per_pair(ctx: RuleContext) -> Finding:
    granted = [p for p in ctx.prior if p.status in GRANTED]
    if granted:
        return ctx.failed(
            ONE_PAIR,
            f"Цього помічника вже зареєстровано для особи (заява № {granted[0].journal_number}"
            f" від {granted[0].received_on:%d.%m.%Y}).",
            f"This assistant is already registered for the person (request "
            f"No. {granted[0].journal_number} of {granted[0].received_on:%d.%m.%Y}).",
        )
    pending = [p for p in ctx.prior if p.status not in (*GRANTED, *ENDED)]
    if pending:
        return ctx.failed(
            ONE_PAIR,
            f"Заява про цього помічника для особи вже розглядається "
            f"(№ {pending[0].journal_number}).",
            f"A request about this assistant for the person is already being considered "
            f"(No. {pending[0].journal_number}).",
        )
    return ctx.passed(
        ONE_PAIR,
        "Цього помічника для особи раніше не реєстрували.",
        "This assistant was not registered for the person before.",
    )


@rule(
    PERSONS_LIMIT,
    title=Text("Ліміт осіб на одного помічника", "Persons per assistant"),
)
def persons_per_assistant(ctx: RuleContext) -> Finding:
    limit = int(ctx.params.at(f"{P}.max_persons_per_assistant", ctx.on))
    if limit < 0:
        return ctx.failed(
            PERSONS_LIMIT,
            f"Параметр ліміту осіб на помічника від'ємний ({limit}): зверніться до адміністратора.",
            f"The persons-per-assistant limit is negative ({limit}): tell the administrator.",
        )
    if limit == 0:
        return ctx.passed(
            PERSONS_LIMIT,
            "Кількість осіб на одного помічника не обмежено.",
            "The number of persons per assistant is not limited.",
        )
    return ctx.passed(
        PERSONS_LIMIT,
        f"Один помічник — не більше ніж для {limit} осіб; реєстр перевіряє це під час реєстрації.",
        f"One assistant serves at most {limit} persons; the register checks it on registration.",
    )
