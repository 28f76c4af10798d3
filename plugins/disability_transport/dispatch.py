"""Dispatch: a booking gets an active vehicle of its carrier (never two overlapping trips on
one vehicle), then the carrier completes it or marks a no-show, which records the billable
delivery through the core (idempotency key ``trip-<booking id>``).

Every write that touches a vehicle's trips or its state (an assignment, an update of the
vehicle, its deactivation) first locks the vehicle's row with :func:`lock_vehicle` inside
the write transaction, then reads the vehicle again: an assignment and a deactivation of
one vehicle therefore never interleave."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import msgspec

from core.sdk import (
    Actor,
    Conflict,
    Contract,
    DeliveryIn,
    DeliveryRefused,
    DomainError,
    Invalid,
    NotFound,
    Platform,
    audit,
    clock,
    deliveries,
    write_transaction,
)
from plugins.disability_transport import booking_rules as br
from plugins.disability_transport.billing import MAX_KM, Outcome, TripDelivery
from plugins.disability_transport.common import (
    at,
    booking_out,
    booking_row,
    now_local,
    refuse_failed,
    service_and_params,
    time_of,
    today_local,
)
from plugins.disability_transport.schemas import AssignVehicleIn, BookingOut, CompleteIn
from plugins.disability_transport.tables import Booking, Vehicle

#: Trips that hold their vehicle's time.
OCCUPYING = ["planned", "completed", "no_show"]


async def lock_vehicle(vehicle_id: int) -> dict[str, Any] | None:
    """Lock the vehicle's row (an ``UPDATE``: call inside the write transaction) and return
    it as it is now, or None if there is no such vehicle."""
    await Vehicle.raw(
        "UPDATE disability_transport_vehicle SET assignments = assignments + 1 WHERE id = {}",
        vehicle_id,
    )
    row: dict[str, Any] | None = await Vehicle.select().where(Vehicle.id == vehicle_id).first()
    return row


def _not_started(now: datetime) -> Any:
    """Planned trips whose start time is still ahead of ``now`` (local time)."""
    today, minute = now.date(), now.hour * 60 + now.minute
    return (Booking.status == "planned") & (
        (Booking.trip_date > today)
        | ((Booking.trip_date == today) & (Booking.start_minute > minute))
    )


async def unassign_planned(actor: Actor, vehicle_id: int) -> list[int]:
    """Take the vehicle off its planned trips that have not started yet, so they can be
    assigned to another vehicle; their ids, ascending. Call under :func:`lock_vehicle`.

    Closed trips (completed, no-show, cancelled) and planned trips whose time has come keep
    the vehicle: their outcome is the carrier's record of that vehicle."""
    rows = (
        await Booking.update({Booking.vehicle: None})
        .where((Booking.vehicle == vehicle_id) & _not_started(now_local()))
        .returning(Booking.id)
    )
    ids = sorted(int(r["id"]) for r in rows)
    for booking_id in ids:
        await audit.record(
            actor,
            "transport.booking.unassign",
            "booking",
            booking_id,
            {"vehicle": vehicle_id, "reason": "vehicle_inactive"},
        )
    if ids:
        await audit.record(
            actor,
            "transport.vehicle.unassign",
            "vehicle",
            vehicle_id,
            {"bookings": ids, "count": len(ids)},
        )
    return ids


def _refuse_inactive(vehicle: dict[str, Any]) -> None:
    if not vehicle["active"]:
        raise Conflict(
            f"автомобіль {vehicle['plate']} не працює (вимкнений): оберіть інший / vehicle "
            f"{vehicle['plate']} is inactive: choose another one",
            "vehicle_id",
        )


async def assign_vehicle(
    platform: Platform, actor: Actor, booking_id: int, body: AssignVehicleIn
) -> BookingOut:
    await service_and_params(platform, actor)
    row = await booking_row(actor, booking_id)
    if row["status"] != "planned":
        raise Conflict("поїздку вже закрито / the trip is already closed", "booking_id")
    if row["trip_date"] < today_local():
        raise Conflict("дата поїздки минула / the trip date has passed", "booking_id")
    contract = (
        await Contract.select(Contract.provider).where(Contract.id == row["contract"]).first()
    )
    vehicle = (
        await Vehicle.select()
        .where((Vehicle.id == body.vehicle_id) & (Vehicle.municipality == actor.municipality_id))
        .first()
    )
    if vehicle is None or (actor.role == "provider" and vehicle["provider"] != actor.provider_id):
        raise NotFound("автомобіль не знайдено / vehicle not found", "vehicle_id")
    if contract is None or vehicle["provider"] != contract["provider"]:
        raise Invalid(
            "автомобіль іншого перевізника, не за договором поїздки / the vehicle belongs to "
            "another carrier than the trip's contract",
            "vehicle_id",
        )
    async with write_transaction():
        # Lock the vehicle's row first: parallel assignments to it, and its deactivation,
        # serialise here; the state and fit are checked on the row as locked.
        locked = await lock_vehicle(body.vehicle_id)
        if locked is None:
            raise NotFound("автомобіль не знайдено / vehicle not found", "vehicle_id")
        _refuse_inactive(locked)
        refuse_failed([br.vehicle_fit(locked, row["wheelchair"], row["companion"])], "vehicle_id")
        clash = (
            await Booking.select(Booking.id, Booking.start_minute, Booking.end_minute)
            .where(
                (Booking.vehicle == body.vehicle_id)
                & (Booking.trip_date == row["trip_date"])
                & Booking.status.is_in(OCCUPYING)
                & (Booking.id != booking_id)
                & (Booking.start_minute < row["end_minute"])
                & (Booking.end_minute > row["start_minute"])
            )
            .first()
        )
        if clash is not None:
            raise Conflict(
                f"автомобіль {vehicle['plate']} зайнятий {time_of(clash['start_minute'])}–"
                f"{time_of(clash['end_minute'])} (бронювання № {clash['id']}) / vehicle "
                f"{vehicle['plate']} is busy then (booking No. {clash['id']})",
                "vehicle_id",
            )
        changed = (
            await Booking.update({Booking.vehicle: body.vehicle_id})
            .where((Booking.id == booking_id) & (Booking.status == "planned"))
            .returning(Booking.id)
        )
        if not changed:
            raise Conflict("поїздку вже закрито / the trip is already closed", "booking_id")
        await audit.record(
            actor, "transport.booking.assign", "booking", booking_id, {"vehicle": body.vehicle_id}
        )
    return booking_out(await booking_row(actor, booking_id))


async def _record(
    platform: Platform, actor: Actor, row: dict[str, Any], trip: TripDelivery, on: date
) -> None:
    """Record the trip's delivery in the current transaction and link it to the booking."""
    out, _ = await deliveries.record(
        platform,
        actor,
        DeliveryIn(
            request_id=row["request"],
            delivered_on=on,
            idempotency_key=f"trip-{row['id']}",
            data=msgspec.to_builtins(trip),
        ),
    )
    await Booking.update({Booking.delivery_id: out.id}).where(Booking.id == row["id"])


def _km(value: Decimal) -> Decimal:
    if (
        not value.is_finite()
        or not 0 <= value <= MAX_KM
        or value != value.quantize(Decimal("0.001"))
    ):
        raise Invalid(f"km: від 0 до {MAX_KM}, до 3 знаків / 0 to {MAX_KM}, 3 decimals", "km")
    return value


async def _close(
    platform: Platform, actor: Actor, booking_id: int, outcome: Outcome, km: Decimal, wait: int
) -> BookingOut:
    await service_and_params(platform, actor)
    row = await booking_row(actor, booking_id)
    if row["vehicle"] is None or row["vehicle.provider"] != actor.provider_id:
        raise Conflict(
            "поїздці не призначено вашого автомобіля / no vehicle of yours is assigned to the trip",
            "booking_id",
        )
    km_milli = int(km * 1000)
    if row["status"] == outcome and (
        outcome != "completed" or (row["km_milli"] == km_milli and row["waiting_minutes"] == wait)
    ):
        return booking_out(row)  # a retried call
    if row["status"] != "planned":
        raise Conflict("поїздку вже закрито / the trip is already closed", "booking_id")
    if now_local() < at(row["trip_date"], row["start_minute"]):
        raise Conflict("поїздка ще не почалася / the trip has not started yet", "booking_id")
    async with write_transaction():
        changed = (
            await Booking.update(
                {
                    Booking.status: outcome,
                    Booking.km_milli: km_milli,
                    Booking.waiting_minutes: wait,
                    Booking.outcome_on: row["trip_date"],
                    Booking.closed_at: clock.now(),
                }
            )
            .where((Booking.id == booking_id) & (Booking.status == "planned"))
            .returning(Booking.id)
        )
        if not changed:
            raise Conflict("поїздку вже закрито / the trip is already closed", "booking_id")
        trip = TripDelivery(booking_id=booking_id, outcome=outcome, km=km, waiting_minutes=wait)
        await _record(platform, actor, row, trip, row["trip_date"])
        await audit.record(actor, f"transport.booking.{outcome}", "booking", booking_id)
    return booking_out(await booking_row(actor, booking_id))


async def complete(
    platform: Platform, actor: Actor, booking_id: int, body: CompleteIn
) -> BookingOut:
    return await _close(
        platform, actor, booking_id, "completed", _km(body.km), body.waiting_minutes
    )


async def no_show(platform: Platform, actor: Actor, booking_id: int) -> BookingOut:
    return await _close(platform, actor, booking_id, "no_show", Decimal(0), 0)


async def bill_late_cancellation(
    platform: Platform, actor: Actor, row: dict[str, Any], on: date
) -> None:
    """Record a late cancellation (priced by the contract's flag) inside the caller's
    transaction. Refused billing (a closed contract, a spent cap) does not stop the
    cancellation: nothing is written before the core refuses."""
    trip = TripDelivery(booking_id=row["id"], outcome="late_cancellation")
    try:
        await _record(platform, actor, row, trip, on)
    except (DomainError, DeliveryRefused) as exc:
        await audit.record(
            actor, "transport.booking.unbilled", "booking", row["id"], {"reason": str(exc)}
        )
