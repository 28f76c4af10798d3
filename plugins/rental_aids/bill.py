"""Billing a month: turn the loans' actual days into deliveries the marketplace invoices.

For every loan overlapping the month, one ``item_days`` delivery with the days on loan in
that month (recorded on its last day on loan, once that day has passed), and one
``cleaning`` delivery per item returned and cleaned in that month. Each delivery goes
through the core's ``deliveries.record`` with an idempotency key made of the loan, month
and kind, so a re-run records nothing twice; each delivery is its own transaction.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import msgspec

from core import clock
from core.actor import Actor
from core.errors import DomainError, Invalid
from core.platform import Platform
from core.workflow.market import deliveries
from core.workflow.market.deliveries import DeliveryIn, DeliveryOut, DeliveryRefused
from core.workflow.requests import FormInvalid
from plugins.rental_aids import corrections
from plugins.rental_aids.billing import RentalDelivery
from plugins.rental_aids.common import own_provider
from plugins.rental_aids.days import days_in_month, month_bounds, span_in_month
from plugins.rental_aids.schemas import BillNote, BillOut, BillProblem
from plugins.rental_aids.tables import RentalLoan

L = RentalLoan


async def _loans(actor: Actor, start: date, end: date) -> list[dict[str, Any]]:
    where: Any = (
        (L.municipality == actor.municipality_id)
        & (L.issued_on <= end)
        & (L.returned_on.is_null() | (L.returned_on >= start))
    )
    mine = own_provider(actor)
    if mine is not None:
        where = where & (L.provider == mine)
    rows: list[dict[str, Any]] = (
        await L.select(L.id, L.request, L.issued_on, L.returned_on, L.cleaning_done)
        .where(where)
        .order_by(L.id)
    )
    return rows


def planned(
    loan: dict[str, Any], month: str, today: date
) -> tuple[list[tuple[date, RentalDelivery]], bool]:
    """The deliveries a loan owes for the month, and whether its item-days are pending.

    Item-days are owed once the loan's last day in the month has passed: a run on the
    last day of a month bills that day on a later run, never before it is over.
    """
    out: list[tuple[date, RentalDelivery]] = []
    pending = False
    span = span_in_month(loan["issued_on"], loan["returned_on"], month)
    if span is not None:
        if span[1] >= today:
            pending = True
        else:
            days = days_in_month(loan["issued_on"], loan["returned_on"], month)
            out.append(
                (
                    span[1],
                    RentalDelivery(loan_id=loan["id"], kind="item_days", days=days, month=month),
                )
            )
    back = loan["returned_on"]
    if back is not None and loan["cleaning_done"] and back.strftime("%Y-%m") == month:
        out.append((back, RentalDelivery(loan_id=loan["id"], kind="cleaning", month=month)))
    return out, pending


def _late_return_note(loan: dict[str, Any], entry: corrections.Billed, credited: bool) -> str:
    back = loan["returned_on"]
    actual = days_in_month(loan["issued_on"], back, entry.month)
    done = "сторновано коригуванням" if credited else "уже сторновано"
    done_en = "credited by a correction" if credited else "already credited"
    return (
        f"За {entry.month} записано {entry.days} предмет-дн., але предмет повернуто "
        f"{back:%d.%m.%Y}: фактично {actual} дн.; різницю {done}, її врахує наступний "
        f"рахунок за договором / {entry.days} item-days of {entry.month} were recorded, but "
        f"the item was returned on {back:%d.%m.%Y}: {actual} days on loan; the difference "
        f"is {done_en}, taken off the contract's next invoice"
    )


async def bill_month(platform: Platform, actor: Actor, month: str) -> BillOut:
    start, end = month_bounds(month)
    today = clock.today()
    if start > today:
        raise Invalid("місяць ще не почався / the month has not begun", "month")
    loans = await _loans(actor, start, end)
    recorded = repeated = pending = 0
    amount = Decimal("0.00")
    refused: list[BillProblem] = []
    notes: list[BillNote] = []
    for loan in loans:
        owed, waits = planned(loan, month, today)
        pending += waits
        late = await _late_return(platform, actor, loan, month, today)
        if late is not None:
            note, made = late
            notes.append(note)
            if made is not None:
                recorded += 1
                amount += made.amount
            owed = [(day, d) for day, d in owed if d.kind != "item_days"]
        for day, delivery in owed:
            body = DeliveryIn(
                request_id=loan["request"],
                delivered_on=day,
                idempotency_key=f"rental:loan:{delivery.loan_id}:{month}:{delivery.kind}",
                data=msgspec.to_builtins(delivery),
            )
            try:
                out, created = await deliveries.record(platform, actor, body)
            except (DomainError, DeliveryRefused, FormInvalid) as exc:
                refused.append(
                    BillProblem(
                        loan_id=loan["id"], kind=delivery.kind, reason=corrections.reason(exc)
                    )
                )
                continue
            if created:
                recorded += 1
                amount += out.amount
            else:
                repeated += 1
    return BillOut(
        month=month,
        loans=len(loans),
        recorded=recorded,
        repeated=repeated,
        pending=pending,
        amount_recorded=amount,
        refused=refused,
        notes=notes,
    )


async def _late_return(
    platform: Platform, actor: Actor, loan: dict[str, Any], month: str, today: date
) -> tuple[BillNote, DeliveryOut | None] | None:
    """A month whose item-days were recorded before a return dated back into it: credit
    the excess (unless done at the return) and say so, instead of billing it again."""
    entries = await corrections.billed(actor.municipality_id, loan["id"], month)
    if not entries or loan["returned_on"] is None:
        return None
    entry = entries[0]
    if corrections.excess(loan, entry) == 0:
        if entry.credited == 0:
            return None  # billed as it was on loan: a plain repeat
        note = _late_return_note(loan, entry, credited=False)
        return BillNote(loan_id=loan["id"], kind="correction", message=note), None
    made, _ = await deliveries.record(
        platform, actor, corrections.correction_body(loan, entry, today)
    )
    note = _late_return_note(loan, entry, credited=True)
    return BillNote(loan_id=loan["id"], kind="correction", message=note), made
