"""Trip bookings: made for an approved registration assigned to a carrier's contract,
listed, read and cancelled. The trip caps are checked under a per-rider row lock, so
parallel bookings of one person cannot both take the last trip of the month."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.sdk import (
    Actor,
    Assignment,
    Conflict,
    Finding,
    NotFound,
    Page,
    Platform,
    Request,
    audit,
    clock,
    decode,
    outbox,
    write_transaction,
)
from plugins.disability_transport import booking_rules as br
from plugins.disability_transport import dispatch, notices
from plugins.disability_transport.common import (
    Refused,
    at,
    booking_out,
    booking_row,
    minute_of,
    now_local,
    refuse_failed,
    service_and_params,
    today_local,
    visible,
)
from plugins.disability_transport.schemas import BookingIn, BookingOut, CancelIn, Status
from plugins.disability_transport.service import CODE
from plugins.disability_transport.tables import Booking, Rider
from plugins.disability_transport.waiting import note_cap_refusal

#: Trips that count against the caps: on-time cancellations do not.
COUNTED = ["planned", "completed", "no_show", "late_cancellation"]


async def _served_request(actor: Actor, request_id: int) -> tuple[dict[str, Any], int]:
    """The registration and its contract: approved and assigned to a carrier."""
    row = (
        await Request.select(Request.id, Request.citizen, Request.status, Request.form)
        .where(
            (Request.id == request_id)
            & (Request.municipality == actor.municipality_id)
            & (Request.service_code == CODE)
        )
        .first()
    )
    if row is None or (actor.role == "citizen" and row["citizen"] != actor.citizen_id):
        raise NotFound(
            f"реєстрацію {request_id} не знайдено / registration not found", "request_id"
        )
    # A registration assigned to several carriers books under the first of them.
    assignment = (
        await Assignment.select(Assignment.contract)
        .where((Assignment.request == request_id) & (Assignment.active == True))  # noqa: E712
        .order_by(Assignment.id)
        .first()
    )
    if row["status"] != "assigned" or assignment is None:
        raise Conflict(
            "реєстрацію ще не схвалено й не передано перевізнику / the registration is not "
            "approved and assigned to a carrier yet",
            "request_id",
        )
    return row, int(assignment["contract"])


async def _taken(citizen_id: int, start: date, end: date) -> int:
    return int(
        await Booking.count().where(
            (Booking.citizen == citizen_id)
            & (Booking.trip_date >= start)
            & (Booking.trip_date <= end)
            & Booking.status.is_in(COUNTED)
        )
    )


async def _lock_rider(municipality_id: int, citizen_id: int) -> None:
    await Rider.raw(
        "INSERT INTO disability_transport_rider (municipality, citizen, bookings) "
        "VALUES ({}, {}, 0) ON CONFLICT (citizen) DO NOTHING",
        municipality_id,
        citizen_id,
    )
    await Rider.raw(
        "UPDATE disability_transport_rider SET bookings = bookings + 1 WHERE citizen = {}",
        citizen_id,
    )


def _month(day: date) -> tuple[date, date]:
    nxt = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return day.replace(day=1), date.fromordinal(nxt.toordinal() - 1)


async def create(platform: Platform, actor: Actor, body: BookingIn) -> BookingOut:
    _, params = await service_and_params(platform, actor)
    request, contract_id = await _served_request(actor, body.request_id)
    citizen_id = int(request["citizen"])
    wheelchair = body.wheelchair or decode(request["form"], {}).get("wheelchair", "none")
    start = minute_of(body.start_time)
    today = today_local()
    findings = [
        br.lead_time(params, today, body.trip_date),
        br.purpose(params, today, body.purpose),
        br.duration(params, body.trip_date, start, body.duration_minutes),
    ]
    try:
        row = await _book(actor, body, citizen_id, contract_id, wheelchair, start, params, findings)
    except Refused:
        # Kept outside the rolled-back booking: the coverage report's people waiting.
        await note_cap_refusal(actor, body.request_id, citizen_id, body.trip_date, findings)
        raise
    outbox.kick_if_written(platform.settings)
    return booking_out(await booking_row(actor, int(row.id)))


async def _book(
    actor: Actor,
    body: BookingIn,
    citizen_id: int,
    contract_id: int,
    wheelchair: str,
    start: int,
    params: Any,
    findings: list[Finding],
) -> Booking:
    """Check the caps under the rider's lock and write the booking, in one transaction."""
    async with write_transaction():
        await _lock_rider(actor.municipality_id, citizen_id)
        month = await _taken(citizen_id, *_month(body.trip_date))
        year = await _taken(
            citizen_id, date(body.trip_date.year, 1, 1), date(body.trip_date.year, 12, 31)
        )
        findings.append(br.monthly_cap(params, body.trip_date, month))
        findings.append(br.yearly_cap(params, body.trip_date, year))
        refuse_failed(findings)
        row = Booking(
            municipality=actor.municipality_id,
            request=body.request_id,
            citizen=citizen_id,
            contract=contract_id,
            pickup_address=body.pickup_address,
            destination_address=body.destination_address,
            purpose=body.purpose,
            trip_date=body.trip_date,
            start_minute=start,
            duration_minutes=body.duration_minutes,
            end_minute=start + body.duration_minutes,
            return_trip=body.return_trip,
            companion=body.companion,
            wheelchair=wheelchair,
            note=body.note,
            created_by=actor.id,
        )
        await row.save()
        await audit.record(
            actor,
            "transport.booking.create",
            "booking",
            int(row.id),
            {"request": body.request_id, "trip_date": str(body.trip_date)},
        )
        await notices.trip_booked(int(row.id))
    return row


async def read(platform: Platform, actor: Actor, booking_id: int) -> BookingOut:
    await service_and_params(platform, actor)
    return booking_out(await booking_row(actor, booking_id))


async def listing(
    platform: Platform,
    actor: Actor,
    *,
    day: date | None,
    citizen_id: int | None,
    vehicle_id: int | None,
    request_id: int | None,
    status: Status | None,
    page: int,
    page_size: int,
) -> Page[BookingOut]:
    await service_and_params(platform, actor)
    where: Any = visible(actor)
    for column, value in (
        (Booking.trip_date, day),
        (Booking.citizen, citizen_id),
        (Booking.vehicle, vehicle_id),
        (Booking.request, request_id),
        (Booking.status, status),
    ):
        if value is not None:
            where = where & (column == value)
    total = await Booking.count().where(where)
    rows = (
        await Booking.select()
        .where(where)
        .order_by(Booking.trip_date)
        .order_by(Booking.start_minute)
        .order_by(Booking.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return Page(items=[booking_out(r) for r in rows], total=total, page=page, page_size=page_size)


async def cancel(platform: Platform, actor: Actor, booking_id: int, body: CancelIn) -> BookingOut:
    """Cancel a planned trip; later than the deadline it is a late cancellation, billed to
    the contract as its tariff says when a vehicle was already assigned."""
    _, params = await service_and_params(platform, actor)
    row = await booking_row(actor, booking_id)
    if row["status"] != "planned":
        raise Conflict("поїздку вже закрито / the trip is already closed", "booking_id")
    now = now_local()
    start = at(row["trip_date"], row["start_minute"])
    if now >= start:
        raise Conflict(
            "час поїздки минув: перевізник позначає неявку / the trip time has passed: the "
            "carrier marks a no-show",
            "booking_id",
        )
    late = br.is_late(params, now, start)
    # The core dates deliveries by the server's calendar: never after its today.
    billed_on = min(now.date(), clock.today())
    status = "late_cancellation" if late else "cancelled"
    async with write_transaction():
        changed = (
            await Booking.update(
                {
                    Booking.status: status,
                    Booking.cancel_reason: body.reason,
                    Booking.closed_at: clock.now(),
                    Booking.outcome_on: billed_on if late else None,
                }
            )
            .where((Booking.id == booking_id) & (Booking.status == "planned"))
            .returning(Booking.id)
        )
        if not changed:
            raise Conflict("поїздку вже закрито / the trip is already closed", "booking_id")
        if late and row["vehicle"] is not None:
            await dispatch.bill_late_cancellation(platform, actor, row, billed_on)
        await audit.record(
            actor, "transport.booking.cancel", "booking", booking_id, {"status": status}
        )
        if actor.role != "citizen":  # the rider knows what they did themselves
            await notices.trip_cancelled(booking_id)
    outbox.kick_if_written(platform.settings)
    return booking_out(await booking_row(actor, booking_id))
