"""Carriers' vehicles: a provider registers and updates its own; staff read them all.
Deactivating a vehicle takes it off its planned trips that have not started yet."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from core.sdk import Actor, Conflict, Forbidden, Platform, audit, write_transaction
from plugins.disability_transport import dispatch
from plugins.disability_transport.common import (
    booking_out,
    service_and_params,
    vehicle_out,
    vehicle_row,
)
from plugins.disability_transport.schemas import (
    BookingOut,
    VehicleIn,
    VehicleOut,
    VehiclePatch,
    VehicleUpdateOut,
)
from plugins.disability_transport.tables import Booking, Vehicle

LIVE = ("planned", "completed", "no_show", "late_cancellation")


def _plate(value: str) -> str:
    return " ".join(value.upper().split())


async def create(platform: Platform, actor: Actor, body: VehicleIn) -> VehicleOut:
    await service_and_params(platform, actor)
    if actor.provider_id is None:
        raise Forbidden("лише надавач / providers only", "role")
    plate = _plate(body.plate)
    async with write_transaction():
        if await Vehicle.exists().where(
            (Vehicle.municipality == actor.municipality_id) & (Vehicle.plate == plate)
        ):
            raise Conflict(f"номер {plate} уже зареєстровано / plate already registered", "plate")
        row = Vehicle(
            municipality=actor.municipality_id,
            provider=actor.provider_id,
            plate=plate,
            model=body.model,
            has_ramp=body.has_ramp,
            has_lift=body.has_lift,
            wheelchair_places=body.wheelchair_places,
            seats=body.seats,
            active=body.active,
        )
        await row.save()
        await audit.record(
            actor, "transport.vehicle.create", "vehicle", int(row.id), {"plate": plate}
        )
    return vehicle_out(await vehicle_row(actor, int(row.id)))


async def listing(platform: Platform, actor: Actor, provider_id: int | None) -> list[VehicleOut]:
    await service_and_params(platform, actor)
    where: Any = Vehicle.municipality == actor.municipality_id
    if actor.role == "provider":
        where = where & (Vehicle.provider == (actor.provider_id or 0))
    elif provider_id is not None:
        where = where & (Vehicle.provider == provider_id)
    rows = await Vehicle.select().where(where).order_by(Vehicle.id)
    return [vehicle_out(r) for r in rows]


async def update(
    platform: Platform, actor: Actor, vehicle_id: int, body: VehiclePatch
) -> VehicleUpdateOut:
    """Change the vehicle; setting ``active`` to false also unassigns its planned trips that
    have not started yet (in the same transaction, under the vehicle's row lock)."""
    await service_and_params(platform, actor)
    await vehicle_row(actor, vehicle_id)
    changes = {k: v for k, v in msgspec.structs.asdict(body).items() if v is not msgspec.UNSET}
    unassigned: list[int] = []
    if changes:
        async with write_transaction():
            # The lock assignments take: one that committed first is unassigned below, one
            # that waits for this transaction then finds the vehicle inactive.
            await dispatch.lock_vehicle(vehicle_id)
            await Vehicle.update({getattr(Vehicle, k): v for k, v in changes.items()}).where(
                Vehicle.id == vehicle_id
            )
            await audit.record(actor, "transport.vehicle.update", "vehicle", vehicle_id, changes)
            if changes.get("active") is False:
                unassigned = await dispatch.unassign_planned(actor, vehicle_id)
    out = vehicle_out(await vehicle_row(actor, vehicle_id))
    return VehicleUpdateOut(
        **msgspec.structs.asdict(out),
        unassigned_trips=len(unassigned),
        unassigned_booking_ids=unassigned,
    )


async def schedule(
    platform: Platform, actor: Actor, vehicle_id: int, day: date
) -> list[BookingOut]:
    """The vehicle's trips of the day (cancelled ones left out), by start time."""
    await service_and_params(platform, actor)
    await vehicle_row(actor, vehicle_id)
    rows = (
        await Booking.select()
        .where(
            (Booking.vehicle == vehicle_id)
            & (Booking.trip_date == day)
            & Booking.status.is_in(list(LIVE))
        )
        .order_by(Booking.start_minute)
    )
    return [booking_out(r) for r in rows]
