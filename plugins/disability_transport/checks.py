"""The delivery check: a trip is paid only as its booking says it went.

The booking must exist in the municipality, belong to the request the delivery is recorded
against, ride in a vehicle of the contract's provider, have the outcome billed (completed,
no-show or late cancellation) on the date billed, and, for a completed trip, the
kilometres and waiting the carrier entered when completing it. A trip from the carrier's
own log (``booking_id`` 0) passes only where ``unbooked_trips_allowed`` is on.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.sdk import DeliveryContext, Finding, ParameterMissing
from plugins.disability_transport.tables import Booking

BOOKING = "disability_transport.booking"
UNBOOKED = "disability_transport.unbooked_trip"
OUTCOMES_UK = {
    "completed": "виконана",
    "no_show": "неявка пасажира",
    "late_cancellation": "пізнє скасування",
    "cancelled": "скасована вчасно",
    "planned": "запланована",
}


def _d(day: Any) -> str:
    return f"{day:%d.%m.%Y}"


def unbooked(ctx: DeliveryContext) -> Finding:
    try:
        allowed = bool(
            ctx.params.at("disability_transport.unbooked_trips_allowed", ctx.delivered_on)
        )
    except ParameterMissing:
        allowed = False
    if allowed and ctx.delivery.outcome == "completed":
        return ctx.passed(
            UNBOOKED,
            "Поїздка з журналу перевізника (громада дозволяє поїздки без бронювання).",
            "A trip from the carrier's log (the hromada accepts trips without a booking).",
        )
    if allowed:
        return ctx.failed(
            UNBOOKED,
            "Неявку чи пізнє скасування оплачують лише за бронюванням (booking_id = 0).",
            "A no-show or a late cancellation is paid only with a booking (booking_id = 0).",
        )
    return ctx.failed(
        UNBOOKED,
        "Поїздку без бронювання (booking_id = 0) не оплачують: громада приймає лише "
        "заброньовані поїздки.",
        "A trip without a booking (booking_id = 0) is not paid: the hromada accepts booked "
        "trips only.",
    )


def booking_finding(ctx: DeliveryContext, row: dict[str, Any] | None) -> Finding:
    """The finding for the booking row read for the delivery (``None`` when absent)."""
    d = ctx.delivery
    bid = d.booking_id
    if row is None:
        return ctx.failed(
            BOOKING,
            f"Бронювання № {bid} не знайдено в громаді.",
            f"Booking No. {bid} does not exist in this hromada.",
        )
    problems: list[tuple[str, str]] = []
    if row["request"] != ctx.request_id:
        problems.append(("належить іншому зверненню", "belongs to another request"))
    if row["vehicle.provider"] != ctx.contract.provider_id:
        problems.append(
            (
                "не призначене автомобілю надавача за договором",
                "is not assigned to a vehicle of the contract's provider",
            )
        )
    if row["status"] != d.outcome:
        state = OUTCOMES_UK.get(row["status"], row["status"])
        problems.append((f"має стан «{state}»", f"has status '{row['status']}'"))
    elif row["outcome_on"] != ctx.delivered_on:
        when = _d(row["outcome_on"]) if row["outcome_on"] else "—"
        problems.append((f"датоване {when}", f"is dated {when}"))
    elif d.outcome == "completed" and (
        Decimal(row["km_milli"] or 0) / 1000 != d.km or row["waiting_minutes"] != d.waiting_minutes
    ):
        problems.append(
            (
                "має інший пробіг чи час очікування",
                "records other kilometres or waiting time",
            )
        )
    if problems:
        return ctx.failed(
            BOOKING,
            f"Бронювання № {bid} " + "; ".join(uk for uk, _ in problems) + ".",
            f"Booking No. {bid} " + "; ".join(en for _, en in problems) + ".",
        )
    return ctx.passed(
        BOOKING,
        f"Поїздка за бронюванням № {bid} {_d(ctx.delivered_on)}: {OUTCOMES_UK[d.outcome]}.",
        f"Trip of booking No. {bid} on {_d(ctx.delivered_on)}: {d.outcome}.",
    )


async def check_trip(ctx: DeliveryContext) -> list[Finding]:
    if ctx.delivery.booking_id == 0:
        return [unbooked(ctx)]
    row = (
        await Booking.select(
            Booking.request,
            Booking.status,
            Booking.outcome_on,
            Booking.km_milli,
            Booking.waiting_minutes,
            Booking.vehicle.provider,
        )
        .where(
            (Booking.id == ctx.delivery.booking_id) & (Booking.municipality == ctx.municipality.id)
        )
        .first()
    )
    return [booking_finding(ctx, row)]
