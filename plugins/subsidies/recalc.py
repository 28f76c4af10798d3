"""Recalculation (DOMAIN §1.4): when the income of the two quarters after those counted
differs by more than the threshold (50 %), the assignment ends before the month given
and the rest of the period is assigned anew with the new incomes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import msgspec

from core.sdk import (
    Actor,
    Conflict,
    Delivery,
    Invalid,
    Platform,
    audit,
    clock,
    decode,
    money,
    write_transaction,
)
from plugins.subsidies.assign import (
    A,
    assignment_row,
    cash_months,
    form_of,
    lock,
    read,
    request_row,
    store,
)
from plugins.subsidies.formula import Calculation, calculate
from plugins.subsidies.periods import income_changed, month_shares, next_quarters
from plugins.subsidies.schemas import RecalculateIn, RecalculateOut
from plugins.subsidies.service import CODE
from plugins.subsidies.tables import SubsidyMonth


async def recalculate(
    platform: Platform, actor: Actor, assignment_id: int, body: RecalculateIn
) -> RecalculateOut:
    """Compare the next two quarters' income with the one counted; above the threshold,
    end the assignment before ``from_month`` and assign the rest anew."""
    row = await assignment_row(actor, assignment_id)
    if row["status"] != "active":
        raise Conflict("призначення не діє / the assignment is not active", "assignment_id")
    old = msgspec.convert(decode(row["calculation"], {}), Calculation)
    request = await request_row(actor, row["request"])
    form = form_of(request)
    service = await platform.service(actor.municipality_id, CODE)
    params = await platform.parameters(actor.municipality_id, service)
    start = date(int(body.from_month[:4]), int(body.from_month[5:]), 1)
    if start <= old.period.start or start > old.period.end:
        raise Invalid("місяць поза періодом / month outside the period", "from_month")
    if start < clock.today().replace(day=1):
        raise Invalid("місяць у минулому / the month is in the past", "from_month")
    period = msgspec.structs.replace(
        old.period,
        start=start,
        months=month_shares(start, old.period.end),
        income_quarters=next_quarters(old.period.income_quarters),
    )
    new = calculate(
        body.members,
        form.dwelling,
        form.utilities,
        applied_on=old.applied_on,
        period=period,
        params=params,
    )
    threshold = params.decimal("subsidies.income_change_threshold_percent", clock.today())
    before, after = old.income_monthly, new.income_monthly
    percent = money(abs(after - before) * 100 / before) if before else Decimal("100.00")
    changed = income_changed(before, after, threshold)
    result_id = assignment_id
    if changed:
        new_form = msgspec.structs.replace(form, members=body.members)
        async with write_transaction():
            await lock(assignment_id)
            await _refuse_paid(actor, row, body.from_month)
            ended = (
                await A.update(
                    {
                        A.status: "ended",
                        A.period_end: start - timedelta(days=1),
                        A.end_reason: "recalculated",
                    }
                )
                .where((A.id == assignment_id) & (A.status == "active"))
                .returning(A.id)
            )
            if not ended:
                raise Conflict("призначення змінилося / the assignment changed", "assignment_id")
            await SubsidyMonth.update({SubsidyMonth.status: "cancelled"}).where(
                (SubsidyMonth.assignment == assignment_id) & (SubsidyMonth.month >= body.from_month)
            )
            result_id = await store(
                actor, request, new_form, new, f"recalculation of {assignment_id}"
            )
            await audit.record(
                actor,
                "subsidies.recalculate",
                "subsidy_assignment",
                result_id,
                {
                    "replaces": assignment_id,
                    "income_before": str(before),
                    "income_after": str(after),
                },
            )
    return RecalculateOut(
        changed=changed,
        income_before=before,
        income_after=after,
        change_percent=percent,
        threshold_percent=threshold,
        assignment=await read(actor, result_id),
    )


async def _refuse_paid(actor: Actor, row: dict[str, Any], from_month: str) -> None:
    """Months already paid (to a provider or to the recipient) cannot be recalculated.
    Call under the assignment's lock, so no pay run slips in after the check."""
    paid = await Delivery.select(Delivery.unique_key).where(
        (Delivery.municipality == actor.municipality_id)
        & (Delivery.service_code == CODE)
        & (Delivery.status == "recorded")
        & Delivery.unique_key.like(f"subsidy:{row['id']}:%")
    )
    months = sorted(
        [r["unique_key"].rsplit(":", 1)[-1] for r in paid] + list(await cash_months(row["request"]))
    )
    if months and months[-1] >= from_month:
        raise Conflict(
            f"за {months[-1]} уже сплачено надавачу / {months[-1]} is already paid",
            "from_month",
        )
