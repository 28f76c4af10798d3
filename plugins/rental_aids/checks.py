"""The delivery check: a rental point is paid only for its own loans, by actual days.

The loan must exist in the municipality, belong to the request the delivery is recorded
against and to an item of the contract provider's rental point. Item-days must equal the
days the item was on loan in the month, recorded once those days have passed; a cleaning
fee is paid for an item returned (and cleaned) in that month.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.sdk import DeliveryContext, Finding
from plugins.rental_aids import corrections
from plugins.rental_aids.billing import RentalDelivery
from plugins.rental_aids.days import days_in_month, month_of, span_in_month
from plugins.rental_aids.tables import RentalLoan

LOAN = "rental_aids.loan_of_request"
POINT = "rental_aids.rental_point"
MONTH = "rental_aids.delivery_month"
DAYS = "rental_aids.actual_days"
CLEANING = "rental_aids.return_cleaning"
CORRECTION = "rental_aids.late_return_correction"


def _d(day: date) -> str:
    return f"{day:%d.%m.%Y}"


async def loan_row(municipality_id: int, loan_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await RentalLoan.select(
            *RentalLoan.all_columns(),
            RentalLoan.item.provider.as_alias("item_provider"),
            RentalLoan.item.inventory_number.as_alias("inventory_number"),
        )
        .where((RentalLoan.id == loan_id) & (RentalLoan.municipality == municipality_id))
        .first()
    )
    return row


def _ownership(ctx: DeliveryContext, loan: dict[str, Any]) -> list[Finding]:
    d: RentalDelivery = ctx.delivery
    out: list[Finding] = []
    if loan["request"] == ctx.request_id:
        out.append(ctx.passed(LOAN, f"Прокат № {d.loan_id}.", f"Loan No. {d.loan_id}."))
    else:
        out.append(
            ctx.failed(
                LOAN,
                f"Прокат № {d.loan_id} видано за іншим зверненням.",
                f"Loan No. {d.loan_id} was issued under another request.",
            )
        )
    if loan["item_provider"] == ctx.contract.provider_id:
        out.append(
            ctx.passed(
                POINT,
                f"Предмет {loan['inventory_number']} належить пункту прокату надавача.",
                f"Item {loan['inventory_number']} belongs to the provider's rental point.",
            )
        )
    else:
        out.append(
            ctx.failed(
                POINT,
                f"Предмет {loan['inventory_number']} не належить пункту прокату надавача за "
                f"договором № {ctx.contract.number}.",
                f"Item {loan['inventory_number']} is not of the rental point of the provider "
                f"of contract No. {ctx.contract.number}.",
            )
        )
    return out


def _month(ctx: DeliveryContext) -> Finding:
    d: RentalDelivery = ctx.delivery
    if month_of(ctx.delivered_on) == d.month:
        return ctx.passed(MONTH, f"Місяць {d.month}.", f"Month {d.month}.")
    return ctx.failed(
        MONTH,
        f"Дата {_d(ctx.delivered_on)} не належить до місяця {d.month}.",
        f"The date {_d(ctx.delivered_on)} is not in the month {d.month}.",
    )


def item_days_finding(ctx: DeliveryContext, loan: dict[str, Any]) -> Finding:
    d: RentalDelivery = ctx.delivery
    span = span_in_month(loan["issued_on"], loan["returned_on"], d.month)
    actual = days_in_month(loan["issued_on"], loan["returned_on"], d.month)
    if span is not None and ctx.delivered_on < span[1]:
        return ctx.failed(
            DAYS,
            f"Предмет-дні за {d.month} подають після {_d(span[1])}, останнього дня прокату в "
            "місяці.",
            f"Item-days of {d.month} are recorded after {_d(span[1])}, the last day on loan "
            "in the month.",
        )
    if d.days == actual:
        return ctx.passed(
            DAYS,
            f"{actual} предмет-дн. у {d.month} за фактом.",
            f"{actual} item-days in {d.month}, as on loan.",
        )
    return ctx.failed(
        DAYS,
        f"Заявлено {d.days} предмет-дн., а фактично предмет був у прокаті {actual} дн. у "
        f"{d.month}.",
        f"{d.days} item-days claimed, but the item was on loan {actual} days in {d.month}.",
    )


def cleaning_finding(ctx: DeliveryContext, loan: dict[str, Any]) -> Finding:
    d: RentalDelivery = ctx.delivery
    back: date | None = loan["returned_on"]
    if back is None or month_of(back) != d.month:
        return ctx.failed(
            CLEANING,
            f"Предмет за прокатом № {d.loan_id} не повернуто в {d.month}.",
            f"The item of loan No. {d.loan_id} was not returned in {d.month}.",
        )
    if not loan["cleaning_done"]:
        return ctx.failed(
            CLEANING,
            f"Під час повернення {_d(back)} прибирання і дезінфекцію не відзначено.",
            f"Cleaning and disinfection were not noted at the return on {_d(back)}.",
        )
    if ctx.delivered_on < back:
        return ctx.failed(
            CLEANING,
            f"Прибирання не може бути раніше повернення {_d(back)}.",
            f"Cleaning cannot precede the return on {_d(back)}.",
        )
    return ctx.passed(
        CLEANING,
        f"Предмет повернуто {_d(back)}, прибирання і дезінфекцію проведено.",
        f"Item returned on {_d(back)}, cleaned and disinfected.",
    )


async def check_delivery(ctx: DeliveryContext) -> list[Finding]:
    d: RentalDelivery = ctx.delivery
    loan = await loan_row(ctx.municipality.id, d.loan_id)
    if loan is None:
        return [
            ctx.failed(
                LOAN,
                f"Прокат № {d.loan_id} у громаді не знайдено.",
                f"Loan No. {d.loan_id} is not found in the hromada.",
            )
        ]
    findings = _ownership(ctx, loan)
    if d.kind == "correction":
        findings.append(await correction_finding(ctx, loan))
    elif d.kind == "item_days":
        findings += [_month(ctx), item_days_finding(ctx, loan)]
    else:
        findings += [_month(ctx), cleaning_finding(ctx, loan)]
    return findings


async def correction_finding(ctx: DeliveryContext, loan: dict[str, Any]) -> Finding:
    """A correction credits exactly the item-days of its month recorded beyond the
    return; it is recorded after the return, in any later month."""
    d: RentalDelivery = ctx.delivery
    entries = await corrections.billed(ctx.municipality.id, d.loan_id, d.month)
    excess = corrections.excess(loan, entries[0]) if entries else 0
    back: date | None = loan["returned_on"]
    if back is not None and excess > 0 and -d.days == excess and ctx.delivered_on >= back:
        return ctx.passed(
            CORRECTION,
            f"Повернення {_d(back)}: {excess} предмет-дн. за {d.month} записано понад "
            "фактичні, їх сторновано.",
            f"Returned on {_d(back)}: {excess} item-days of {d.month} recorded beyond the "
            "actual ones are credited.",
        )
    return ctx.failed(
        CORRECTION,
        f"Коригування за {d.month} має зняти саме дні, записані понад фактичні після "
        f"повернення ({excess} дн.).",
        f"A correction of {d.month} credits exactly the days recorded beyond the actual ones "
        f"after the return ({excess} days).",
    )
