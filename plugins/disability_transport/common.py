"""Helpers the use cases share: the service's parameters, rows as the API returns them,
and who may see which booking."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from core.sdk import Actor, DomainError, Finding, NotFound, Parameters, Platform, Service, clock
from plugins.disability_transport.schemas import BookingOut, VehicleOut
from plugins.disability_transport.service import CODE
from plugins.disability_transport.tables import Booking, Vehicle

#: Trip times are local times of Ukraine.
KYIV = ZoneInfo("Europe/Kyiv")


class Refused(DomainError):
    """A booking rule failed; the message lists each failed finding."""

    status_code = 422

    def __init__(self, findings: list[Finding], field: str | None = None) -> None:
        super().__init__(" ".join(f"{f.message.uk} / {f.message.en}" for f in findings), field)
        self.findings = findings


def refuse_failed(findings: list[Finding], field: str | None = None) -> None:
    failed = [f for f in findings if f.outcome != "passed"]
    if failed:
        raise Refused(failed, field)


def now_local() -> datetime:
    return clock.local_now()


def today_local() -> date:
    return now_local().date()


def at(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=KYIV)


def minute_of(value: str) -> int:
    """Minutes since midnight of an "HH:MM" time."""
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def time_of(minute: int) -> str:
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


async def service_and_params(platform: Platform, actor: Actor) -> tuple[Service, Parameters]:
    """The service (404 when the plugin is not enabled here) and its parameters."""
    service = await platform.service(actor.municipality_id, CODE)
    return service, await platform.parameters(actor.municipality_id, service)


def vehicle_out(row: dict[str, Any]) -> VehicleOut:
    return VehicleOut(
        id=row["id"],
        provider_id=row["provider"],
        plate=row["plate"],
        model=row["model"],
        has_ramp=row["has_ramp"],
        has_lift=row["has_lift"],
        wheelchair_places=row["wheelchair_places"],
        seats=row["seats"],
        active=row["active"],
    )


def booking_out(row: dict[str, Any]) -> BookingOut:
    km = row["km_milli"]
    return BookingOut(
        id=row["id"],
        request_id=row["request"],
        citizen_id=row["citizen"],
        contract_id=row["contract"],
        vehicle_id=row["vehicle"],
        pickup_address=row["pickup_address"],
        destination_address=row["destination_address"],
        purpose=row["purpose"],
        trip_date=row["trip_date"],
        start_time=time_of(row["start_minute"]),
        end_time=time_of(row["end_minute"]),
        duration_minutes=row["duration_minutes"],
        return_trip=row["return_trip"],
        companion=row["companion"],
        wheelchair=row["wheelchair"],
        note=row["note"],
        status=row["status"],
        km=None if km is None else Decimal(km) / 1000,
        waiting_minutes=row["waiting_minutes"],
        delivery_id=row["delivery_id"],
        cancel_reason=row["cancel_reason"],
        created_at=row["created_at"],
    )


def visible(actor: Actor) -> Any:
    """The bookings the actor may see: a provider its contracts', a citizen their own."""
    where: Any = Booking.municipality == actor.municipality_id
    if actor.role == "provider":
        where = where & (Booking.contract.provider == (actor.provider_id or 0))
    elif actor.role == "citizen":
        where = where & (Booking.citizen == (actor.citizen_id or 0))
    return where


async def booking_row(actor: Actor, booking_id: int) -> dict[str, Any]:
    row = (
        await Booking.select(*Booking.all_columns(), Booking.vehicle.provider)
        .where(visible(actor) & (Booking.id == booking_id))
        .first()
    )
    if row is None:
        raise NotFound(f"бронювання {booking_id} не знайдено / booking not found", "booking_id")
    return row


async def vehicle_row(actor: Actor, vehicle_id: int) -> dict[str, Any]:
    where: Any = (Vehicle.id == vehicle_id) & (Vehicle.municipality == actor.municipality_id)
    if actor.role == "provider":
        where = where & (Vehicle.provider == (actor.provider_id or 0))
    row = await Vehicle.select().where(where).first()
    if row is None:
        raise NotFound(f"автомобіль {vehicle_id} не знайдено / vehicle not found", "vehicle_id")
    return row
