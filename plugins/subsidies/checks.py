"""Delivery check: a utility provider is paid exactly what it is due for the month and
utility (the assigned amount, or up to its charge with the carry-over, see
:mod:`plugins.subsidies.settle`), to the provider named in the assignment, dated within
that month or after it (a back payment of a month before the assignment), and only under
the non-cash channel."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.sdk import DeliveryContext, Finding, from_kopiyky
from plugins.subsidies import settle
from plugins.subsidies.tables import SubsidyMonth

ASSIGNED = "subsidies.assigned_amount"
MONTH = "subsidies.delivery_month"


async def _line(ctx: DeliveryContext) -> dict[str, Any] | None:
    d = ctx.delivery
    row: dict[str, Any] | None = (
        await SubsidyMonth.select(
            SubsidyMonth.assignment,
            SubsidyMonth.month,
            SubsidyMonth.utility,
            SubsidyMonth.amount_kop,
            SubsidyMonth.charged_kop,
            SubsidyMonth.provider,
            SubsidyMonth.assignment.request.as_alias("request"),
            SubsidyMonth.assignment.channel.as_alias("channel"),
        )
        .where(
            (SubsidyMonth.assignment == d.assignment_id)
            & (SubsidyMonth.municipality == ctx.municipality.id)
            & (SubsidyMonth.month == d.month)
            & (SubsidyMonth.utility == d.utility)
            & (SubsidyMonth.status == "active")
            & (SubsidyMonth.assignment.status.is_in(["active", "ended"]))
        )
        .first()
    )
    return row


def _findings(
    ctx: DeliveryContext, line: dict[str, Any] | None, due: tuple[int, int] | None
) -> list[Finding]:
    """The findings on a delivery, given its month line and what is due for it."""
    d = ctx.delivery
    out: list[Finding] = []
    dated = f"{ctx.delivered_on:%Y-%m}"
    if dated == d.month:
        out.append(ctx.passed(MONTH, f"Місяць {d.month}.", f"Month {d.month}."))
    elif dated > d.month:
        out.append(
            ctx.passed(
                MONTH,
                f"Виплата за {d.month} заднім числом, {ctx.delivered_on:%d.%m.%Y}.",
                f"A back payment of {d.month}, on {ctx.delivered_on:%d.%m.%Y}.",
            )
        )
    else:
        out.append(
            ctx.failed(
                MONTH,
                f"Дата {ctx.delivered_on:%d.%m.%Y} раніше за місяць {d.month}.",
                f"The date {ctx.delivered_on:%d.%m.%Y} precedes the month {d.month}.",
            )
        )
    if line is None or due is None or line["request"] != ctx.request_id:
        out.append(
            ctx.failed(
                ASSIGNED,
                f"Субсидію за «{d.utility}» на {d.month} за цим зверненням не призначено.",
                f"No subsidy for '{d.utility}' in {d.month} is assigned under this request.",
            )
        )
        return out
    due_kop, carried = due
    assigned = from_kopiyky(due_kop)
    if line["channel"] != "non_cash":
        out.append(
            ctx.failed(
                ASSIGNED,
                "Цю субсидію виплачують отримувачеві готівкою, не надавачеві.",
                "This subsidy is paid to the recipient in cash, not to a provider.",
            )
        )
    elif line["provider"] != ctx.contract.provider_id:
        out.append(
            ctx.failed(
                ASSIGNED,
                "Субсидію за цією послугою призначено іншому надавачеві.",
                "The subsidy for this utility is assigned to another provider.",
            )
        )
    elif d.amount != assigned:
        out.append(
            ctx.failed(
                ASSIGNED,
                f"Сума {d.amount} грн не дорівнює призначеній до сплати {assigned} грн за "
                f"{d.month}.",
                f"The amount {d.amount} UAH differs from the {assigned} UAH due for {d.month}.",
            )
        )
    else:
        out.append(
            ctx.passed(
                ASSIGNED,
                f"До сплати {assigned} грн за «{d.utility}» на {d.month} (перенесено з "
                f"попередніх місяців {from_kopiyky(carried)} грн).",
                f"{assigned} UAH due for '{d.utility}' in {d.month} ({from_kopiyky(carried)} "
                "UAH carried over from earlier months).",
            )
        )
    return out


async def check_subsidy(ctx: DeliveryContext) -> list[Finding]:
    line = await _line(ctx)
    if line is None or line["request"] != ctx.request_id:
        return _findings(ctx, line, None)
    return _findings(ctx, line, await settle.due_for(ctx.municipality.id, ctx.request_id, line))


async def check_subsidies(contexts: Sequence[DeliveryContext]) -> list[list[Finding]]:
    """:func:`check_subsidy` of many deliveries with the reads done set-wise (the pay
    run's batch); each (request, utility) at most once in the batch."""
    if not contexts:
        return []
    municipality = contexts[0].municipality.id
    rows = await SubsidyMonth.select(
        SubsidyMonth.assignment,
        SubsidyMonth.month,
        SubsidyMonth.utility,
        SubsidyMonth.amount_kop,
        SubsidyMonth.charged_kop,
        SubsidyMonth.provider,
        SubsidyMonth.assignment.request.as_alias("request"),
        SubsidyMonth.assignment.channel.as_alias("channel"),
    ).where(
        SubsidyMonth.assignment.is_in(sorted({c.delivery.assignment_id for c in contexts}))
        & (SubsidyMonth.municipality == municipality)
        & SubsidyMonth.month.is_in(sorted({c.delivery.month for c in contexts}))
        & (SubsidyMonth.status == "active")
        & (SubsidyMonth.assignment.status.is_in(["active", "ended"]))
    )
    lines = {(r["assignment"], r["month"], r["utility"]): r for r in rows}
    found = [
        lines.get((c.delivery.assignment_id, c.delivery.month, c.delivery.utility))
        for c in contexts
    ]
    valid = [
        (c.request_id, line)
        for c, line in zip(contexts, found, strict=True)
        if line is not None and line["request"] == c.request_id
    ]
    dues = iter(await settle.dues(municipality, valid))
    return [
        _findings(
            c, line, next(dues) if line is not None and line["request"] == c.request_id else None
        )
        for c, line in zip(contexts, found, strict=True)
    ]
