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

from core.sdk import (
    Actor,
    Contract,
    Delivery,
    DeliveryIn,
    DeliveryOut,
    DeliveryRefused,
    DomainError,
    FormInvalid,
    Invalid,
    Platform,
    clock,
    deliveries,
    from_kopiyky,
    terms_of,
)
from plugins.rental_aids import corrections
from plugins.rental_aids.billing import RentalDelivery, RentalTariff, price
from plugins.rental_aids.common import own_provider
from plugins.rental_aids.days import days_in_month, month_bounds, span_in_month
from plugins.rental_aids.schemas import BillLine, BillNote, BillOut, BillPreview, BillProblem
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
        await L.select(
            L.id,
            L.request,
            L.contract,
            L.item.inventory_number.as_alias("inventory_number"),
            L.issued_on,
            L.returned_on,
            L.cleaning_done,
        )
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


def _begun(month: str, today: date) -> tuple[date, date]:
    start, end = month_bounds(month)
    if start > today:
        raise Invalid("місяць ще не почався / the month has not begun", "month")
    return start, end


async def bill_month(platform: Platform, actor: Actor, month: str) -> BillOut:
    today = clock.today()
    start, end = _begun(month, today)
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


async def preview(platform: Platform, actor: Actor, month: str) -> BillPreview:
    """What :func:`bill_month` would record for the month, priced by the contracts'
    tariffs, beside what earlier runs recorded; nothing is written."""
    today = clock.today()
    start, end = _begun(month, today)
    loans = await _loans(actor, start, end)
    done = await _recorded(actor, [loan["id"] for loan in loans], month)
    tariffs: dict[int, RentalTariff] = {}
    lines: list[BillLine] = []
    pending = 0
    for loan in loans:
        owed, waits = planned(loan, month, today)
        pending += waits
        entries = await corrections.billed(actor.municipality_id, loan["id"], month)
        if entries and loan["returned_on"] is not None:
            extra = corrections.excess(loan, entries[0])
            if extra:
                credit = RentalDelivery(
                    loan_id=loan["id"], kind="correction", days=-extra, month=month
                )
                owed.append((today, credit))  # beside the item-days recorded before
        if not owed:
            continue
        contract = loan["contract"]
        if contract not in tariffs:
            tariffs[contract] = await _tariff(platform, actor, contract)
        tariff = tariffs[contract]
        for _, delivery in owed:
            cleaning = delivery.kind == "cleaning"
            unit = tariff.per_return_cleaning if cleaning else tariff.per_item_day
            line = BillLine(
                loan_id=loan["id"],
                inventory_number=loan["inventory_number"],
                contract_id=contract,
                kind=delivery.kind,
                days=delivery.days,
                unit_price=unit,
                amount=price(tariff, delivery).amount,
                recorded=False,
            )
            stored = done.get(f"loan:{loan['id']}:{month}:{delivery.kind}")
            if stored is not None and delivery.kind != "correction":
                days, amount = stored
                line = msgspec.structs.replace(line, days=days, amount=amount, recorded=True)
            lines.append(line)
    return BillPreview(
        month=month,
        loans=len(loans),
        pending=pending,
        lines=lines,
        to_record=sum((x.amount for x in lines if not x.recorded), Decimal("0.00")),
        recorded=sum((x.amount for x in lines if x.recorded), Decimal("0.00")),
    )


async def _recorded(
    actor: Actor, loan_ids: list[int], month: str
) -> dict[str, tuple[int, Decimal]]:
    """The month's live deliveries of these loans by key (``billing.delivery_key``): their
    item-days and amount."""
    if not loan_ids:
        return {}
    keys = [f"loan:{i}:{month}:{kind}" for i in loan_ids for kind in ("item_days", "cleaning")]
    rows = await Delivery.select(
        Delivery.unique_key, Delivery.quantity_milli, Delivery.amount_kop
    ).where(
        (Delivery.municipality == actor.municipality_id)
        & (Delivery.status == "recorded")
        & Delivery.service_code.like("rental_aids.%")
        & Delivery.unique_key.is_in(keys)
    )
    return {
        r["unique_key"]: (r["quantity_milli"] // 1000, from_kopiyky(r["amount_kop"])) for r in rows
    }


async def _tariff(platform: Platform, actor: Actor, contract_id: int) -> RentalTariff:
    row = await Contract.select().where(Contract.id == contract_id).first()
    assert row is not None  # a loan's contract is kept (on delete restrict)
    service = await platform.service(actor.municipality_id, row["service_code"])
    tariff = terms_of(service, row).tariff
    assert isinstance(tariff, RentalTariff)
    return tariff
