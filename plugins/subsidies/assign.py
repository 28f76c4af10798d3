"""Assigned periods: assign an approved request's subsidy, list the history, read one
(with its frozen calculation), and recalculate when income changes by more than 50 %."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

from core.sdk import (
    Actor,
    Conflict,
    NotFound,
    Page,
    Payout,
    Platform,
    Request,
    audit,
    decode,
    from_kopiyky,
    to_kopiyky,
    write_transaction,
)
from core.sdk import assignments as core_assignments
from plugins.subsidies import settle
from plugins.subsidies.billing import key_of
from plugins.subsidies.formula import Calculation, explain
from plugins.subsidies.model import UTILITY_KINDS, SubsidyForm
from plugins.subsidies.periods import NoPeriod
from plugins.subsidies.schemas import (
    AssignIn,
    AssignmentOut,
    AssignmentSummary,
    MonthLine,
)
from plugins.subsidies.service import CODE
from plugins.subsidies.tables import SubsidyAssignment, SubsidyHousehold, SubsidyMonth

A = SubsidyAssignment


async def lock(assignment_id: int) -> None:
    """Serialise the writers of one assignment's money (pay runs, a change of channel):
    a row lock on PostgreSQL; SQLite writes one at a time. Call inside a write
    transaction."""
    await A.raw("UPDATE subsidy_assignment SET status = status WHERE id = {}", assignment_id)


async def request_row(actor: Actor, request_id: int) -> dict[str, Any]:
    row: dict[str, Any] | None = (
        await Request.select()
        .where((Request.id == request_id) & (Request.municipality == actor.municipality_id))
        .first()
    )
    if row is None or row["service_code"] != CODE:
        raise NotFound(f"звернення {request_id} не знайдено / request not found", "request_id")
    return row


async def store(
    actor: Actor, request: dict[str, Any], form: SubsidyForm, calc: Calculation, reason: str = ""
) -> int:
    """Insert the assignment and its month amounts; call inside a write transaction."""
    row = A(
        municipality=actor.municipality_id,
        request=request["id"],
        household=form.household_id,
        citizen=request["citizen"],
        season=calc.period.season,
        applied_on=calc.applied_on,
        period_start=calc.period.start,
        period_end=calc.period.end,
        status="active",
        income_monthly_kop=to_kopiyky(calc.income_monthly),
        mandatory_percent=str(calc.mandatory_percent),
        subsidy_kop=to_kopiyky(calc.payable_monthly),
        channel=form.payment_channel,
        iban=form.iban,
        calculation=msgspec.json.encode(calc).decode(),
        end_reason=reason,
        created_by=actor.id,
    )
    await row.save()
    for m in calc.months:
        for item in m.utilities:
            await SubsidyMonth(
                municipality=actor.municipality_id,
                assignment=row.id,
                month=m.month,
                utility=item.kind,
                provider=item.provider_id,
                amount_kop=to_kopiyky(item.amount),
            ).save()
    return int(row.id)


def form_of(request: dict[str, Any]) -> SubsidyForm:
    return msgspec.convert(decode(request["form"], {}), SubsidyForm)


async def assign(
    platform: Platform, actor: Actor, request_id: int, body: AssignIn
) -> AssignmentOut:
    request = await request_row(actor, request_id)
    if request["status"] not in ("approved", "assigned"):
        raise Conflict(
            "призначити субсидію можна лише за схваленим зверненням / only an approved request",
            "request_id",
        )
    if await A.exists().where((A.request == request_id) & (A.status == "active")):
        raise Conflict("субсидію вже призначено / the subsidy is already assigned", "request_id")
    form = form_of(request)
    if form.household_id is not None and not await SubsidyHousehold.exists().where(
        (SubsidyHousehold.id == form.household_id)
        & (SubsidyHousehold.municipality == actor.municipality_id)
    ):
        raise Conflict(
            "домогосподарство з форми не знайдено / the form's household is not found",
            "form.household_id",
        )
    service = await platform.service(actor.municipality_id, CODE)
    params = await platform.parameters(actor.municipality_id, service)
    try:
        calc = explain(
            form.members,
            form.dwelling,
            form.utilities,
            applied_on=request["received_on"],
            params=params,
        )
    except NoPeriod as exc:
        raise Conflict(f"період не визначено / no period: {exc}", "request_id") from exc
    if calc.payable_monthly <= 0:
        raise Conflict("субсидія дорівнює нулю / the subsidy is zero", "request_id")
    async with write_transaction():
        assignment_id = await store(actor, request, form, calc)
        if request["status"] == "approved" and body.contract_id is not None:
            await core_assignments.assign(
                actor,
                request_id,
                core_assignments.AssignIn(
                    contract_id=body.contract_id,
                    comment=body.comment,
                    assigned_on=body.assigned_on,
                ),
            )
        await audit.record(
            actor,
            "subsidies.assign",
            "subsidy_assignment",
            assignment_id,
            {"request": request_id, "monthly": str(calc.payable_monthly)},
        )
    return await read(actor, assignment_id)


def _summary(r: dict[str, Any]) -> AssignmentSummary:
    return AssignmentSummary(
        id=r["id"],
        request_id=r["request"],
        channel=r["channel"],
        household_id=r["household"],
        citizen_id=r["citizen"],
        season=r["season"],
        applied_on=r["applied_on"],
        period_start=r["period_start"],
        period_end=r["period_end"],
        status=r["status"],
        mandatory_percent=r["mandatory_percent"],
        monthly_subsidy=from_kopiyky(r["subsidy_kop"]),
        end_reason=r["end_reason"],
    )


async def assignment_row(actor: Actor, assignment_id: int) -> dict[str, Any]:
    row: dict[str, Any] | None = (
        await A.select()
        .where((A.id == assignment_id) & (A.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound(f"призначення {assignment_id} не знайдено / not found", "assignment_id")
    return row


async def read(actor: Actor, assignment_id: int) -> AssignmentOut:
    row = await assignment_row(actor, assignment_id)
    months = (
        await SubsidyMonth.select()
        .where(SubsidyMonth.assignment == assignment_id)
        .order_by(SubsidyMonth.month)
        .order_by(SubsidyMonth.id)
    )
    delivered = await settle.paid_by_key(
        actor.municipality_id, [key_of(assignment_id, m["utility"], m["month"]) for m in months]
    )
    in_cash = await cash_months(row["request"])
    carried, balance = (
        await _carry_over(actor, row, months) if row["channel"] == "non_cash" else ({}, {})
    )
    lines = []
    for m in months:
        key = key_of(assignment_id, m["utility"], m["month"])
        paid = delivered.get(key)
        if paid is None and m["month"] in in_cash and m["status"] == "active":
            paid = m["amount_kop"]  # its share of the month's payout to the recipient
        lines.append(_line(m, paid, carried.get((m["month"], m["utility"]), 0)))
    lines.sort(key=lambda x: (x.month, UTILITY_KINDS.index(x.utility)))
    return AssignmentOut(
        **msgspec.structs.asdict(_summary(row)),
        months=lines,
        balance=balance,
        calculation=msgspec.convert(decode(row["calculation"], {}), Calculation),
    )


def _line(m: dict[str, Any], paid: int | None, carried: int) -> MonthLine:
    return MonthLine(
        month=m["month"],
        utility=m["utility"],
        provider_id=m["provider"],
        amount=from_kopiyky(m["amount_kop"]),
        status=m["status"],
        charged=None if m["charged_kop"] is None else from_kopiyky(m["charged_kop"]),
        paid=None if paid is None else from_kopiyky(paid),
        carried_in=from_kopiyky(carried),
    )


async def _carry_over(
    actor: Actor, row: dict[str, Any], months: list[dict[str, Any]]
) -> tuple[dict[tuple[str, str], int], dict[str, Decimal]]:
    """Non-cash: the balance carried into each month, and per utility after the last
    settled month."""
    carried: dict[tuple[str, str], int] = {}
    balance: dict[str, Decimal] = {}
    for utility in dict.fromkeys(m["utility"] for m in months):
        rows = await settle.utility_months(row["request"], utility)
        paid = await settle.paid_by_key(
            actor.municipality_id, [key_of(r["assignment"], r["utility"], r["month"]) for r in rows]
        )
        for m in months:
            if m["utility"] == utility:
                carried[(m["month"], utility)] = settle.balance(rows, paid, m["month"])
        balance[utility] = from_kopiyky(settle.balance(rows, paid, "9999-99"))
    return carried, balance


async def cash_months(request_id: int) -> set[str]:
    """The months paid (or due) to the recipient in cash under the request."""
    return {
        p["period"]
        for p in await Payout.select(Payout.period).where(
            (Payout.request == request_id)
            & (Payout.period != "")
            & Payout.status.is_in(["due", "paid"])
        )
    }


async def history(
    actor: Actor,
    *,
    household_id: int | None,
    citizen_id: int | None,
    request_id: int | None,
    page: int,
    page_size: int,
) -> Page[AssignmentSummary]:
    where: Any = A.municipality == actor.municipality_id
    if household_id:
        where = where & (A.household == household_id)
    if citizen_id:
        where = where & (A.citizen == citizen_id)
    if request_id:
        where = where & (A.request == request_id)
    total = await A.count().where(where)
    rows = (
        await A.select()
        .where(where)
        .order_by(A.period_start)
        .order_by(A.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return Page(items=[_summary(r) for r in rows], total=total, page=page, page_size=page_size)
