"""Delivery checks: a provider is paid only for persons on the register on the day served.

A person is on the register on day ``d`` when an entry of the municipality has
``registered_on <= d`` and is either active or was removed after ``d``
(``removed_on > d``). Night stays must also fall on the delivery date and within the
contract period; meals are capped per person and day; consultations have a minimum
length. Each check returns every finding; a failed one refuses the delivery.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from core.sdk import DeliveryContext, Finding, ParameterMissing
from plugins.homeless.tables import HomelessPerson

ON_REGISTER = "homeless.on_register"
NIGHT_DATE = "homeless.night_date"
CONTRACT_PERIOD = "homeless.contract_period"
MEAL_LIMIT = "homeless.meal_portions_per_day"
CONSULTATION_LENGTH = "homeless.consultation_length"

DeliveryCheck = Callable[[DeliveryContext], Awaitable[list[Finding]]]


def _d(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def on_register_finding(ctx: DeliveryContext, entries: list[dict[str, Any]]) -> Finding:
    """The register finding for the delivery date, from the person's entries."""
    day = ctx.delivered_on
    for e in entries:
        removed = e["removed_on"]
        if e["registered_on"] <= day and (
            e["status"] == "active" or (removed is not None and removed > day)
        ):
            return ctx.passed(
                ON_REGISTER,
                f"Особа на обліку бездомних осіб з {_d(e['registered_on'])} "
                f"(довідка № {e['certificate_number']}).",
                f"The person is on the homeless register since {_d(e['registered_on'])} "
                f"(certificate No. {e['certificate_number']}).",
            )
    later = [e["registered_on"] for e in entries if e["registered_on"] > day]
    if later:
        return ctx.failed(
            ON_REGISTER,
            f"Особу взято на облік бездомних осіб лише {_d(min(later))}, пізніше за дату "
            f"послуги {_d(day)}: послугу до взяття на облік не оплачують.",
            f"The person was taken on the homeless register only on {_d(min(later))}, after "
            f"the service date {_d(day)}: services before registration are not paid.",
        )
    removed_on = [e["removed_on"] for e in entries if e["removed_on"] is not None]
    if removed_on:
        return ctx.failed(
            ON_REGISTER,
            f"Особу знято з обліку бездомних осіб {_d(max(removed_on))}: послугу "
            f"{_d(day)} не оплачують.",
            f"The person was removed from the homeless register on {_d(max(removed_on))}: "
            f"the service of {_d(day)} is not paid.",
        )
    return ctx.failed(
        ON_REGISTER,
        f"Особа не перебуває на обліку бездомних осіб громади {ctx.municipality.name.uk}: "
        "послугу не оплачують.",
        f"The person is not on the homeless register of {ctx.municipality.name.en}: the "
        "service is not paid.",
    )


async def on_register(ctx: DeliveryContext) -> Finding:
    entries: list[dict[str, Any]] = []
    if ctx.applicant.citizen_id is not None:
        entries = (
            await HomelessPerson.select(
                HomelessPerson.certificate_number,
                HomelessPerson.registered_on,
                HomelessPerson.status,
                HomelessPerson.removed_on,
            )
            .where(
                (HomelessPerson.municipality == ctx.municipality.id)
                & (HomelessPerson.citizen == ctx.applicant.citizen_id)
            )
            .order_by(HomelessPerson.registered_on)
        )
    return on_register_finding(ctx, entries)


async def check_register_only(ctx: DeliveryContext) -> list[Finding]:
    return [await on_register(ctx)]


def night_findings(ctx: DeliveryContext) -> list[Finding]:
    night: date = ctx.delivery.night
    out: list[Finding] = []
    if night == ctx.delivered_on:
        out.append(ctx.passed(NIGHT_DATE, f"Ніч {_d(night)}.", f"Night of {_d(night)}."))
    else:
        out.append(
            ctx.failed(
                NIGHT_DATE,
                f"Ніч {_d(night)} не збігається з датою надання послуги {_d(ctx.delivered_on)}.",
                f"The night {_d(night)} differs from the delivery date {_d(ctx.delivered_on)}.",
            )
        )
    c = ctx.contract
    if c.period_start <= night <= c.period_end:
        out.append(
            ctx.passed(
                CONTRACT_PERIOD,
                f"Ніч у межах строку договору № {c.number}.",
                f"The night is within the period of contract No. {c.number}.",
            )
        )
    else:
        out.append(
            ctx.failed(
                CONTRACT_PERIOD,
                f"Ніч {_d(night)} поза строком договору № {c.number} "
                f"({_d(c.period_start)}–{_d(c.period_end)}).",
                f"The night {_d(night)} is outside the period of contract No. {c.number} "
                f"({_d(c.period_start)}–{_d(c.period_end)}).",
            )
        )
    return out


async def check_night_stay(ctx: DeliveryContext) -> list[Finding]:
    return [await on_register(ctx), *night_findings(ctx)]


def _missing(ctx: DeliveryContext, rule_id: str, exc: ParameterMissing) -> Finding:
    return ctx.failed(
        rule_id,
        f"Параметр не задано, зверніться до адміністратора: {exc}",
        f"A parameter is not set; tell the administrator: {exc}",
    )


async def check_hot_meal(ctx: DeliveryContext) -> list[Finding]:
    findings = [await on_register(ctx)]
    try:
        cap = int(ctx.params.at("homeless.max_meal_portions_per_day", ctx.delivered_on))
    except ParameterMissing as exc:
        return [*findings, _missing(ctx, MEAL_LIMIT, exc)]
    # Portions already recorded for the person that day, by any provider.
    before = int(await ctx.recorded.quantity("day"))
    total = before + ctx.delivery.portions
    if total <= cap:
        findings.append(
            ctx.passed(
                MEAL_LIMIT,
                f"Порцій за {_d(ctx.delivered_on)}: {total} з {cap} дозволених.",
                f"Portions on {_d(ctx.delivered_on)}: {total} of {cap} allowed.",
            )
        )
    else:
        findings.append(
            ctx.failed(
                MEAL_LIMIT,
                f"За {_d(ctx.delivered_on)} особі вже видано {before} порц.; з цими "
                f"{ctx.delivery.portions} буде {total}, більше ніж {cap} на день.",
                f"{before} portion(s) were already given to the person on "
                f"{_d(ctx.delivered_on)}; with these {ctx.delivery.portions} it would be "
                f"{total}, more than {cap} a day.",
            )
        )
    return findings


async def check_legal_consultation(ctx: DeliveryContext) -> list[Finding]:
    findings = [await on_register(ctx)]
    try:
        least = int(ctx.params.at("homeless.consultation_min_minutes", ctx.delivered_on))
    except ParameterMissing as exc:
        return [*findings, _missing(ctx, CONSULTATION_LENGTH, exc)]
    minutes = ctx.delivery.minutes
    if minutes >= least:
        findings.append(
            ctx.passed(
                CONSULTATION_LENGTH,
                f"Консультація тривала {minutes} хв.",
                f"The consultation lasted {minutes} min.",
            )
        )
    else:
        findings.append(
            ctx.failed(
                CONSULTATION_LENGTH,
                f"Консультація тривала {minutes} хв, менше ніж {least} хв: її не оплачують "
                "як окрему послугу.",
                f"The consultation lasted {minutes} min, less than {least} min: it is not "
                "paid as a service.",
            )
        )
    return findings
