"""msgspec Structs of the social taxi API: vehicles, bookings, outcomes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from msgspec import UNSET, Meta, Struct, UnsetType

from core.sdk import Checked, RowId
from plugins.disability_transport.forms import Wheelchair

Purpose = Literal[
    "medical",
    "rehabilitation",
    "social_protection",
    "pension_fund",
    "msek",
    "education",
    "culture",
    "shops",
    "market",
    "other",
]
Status = Literal["planned", "completed", "no_show", "cancelled", "late_cancellation"]
Plate = Annotated[str, Meta(min_length=2, max_length=16, pattern=r"^[0-9A-Za-zА-ЯІЇЄҐа-яіїєґ -]+$")]
#: A local time of day, "HH:MM".
Clock = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Address = Annotated[str, Meta(min_length=3, max_length=500)]


class VehicleIn(Struct, kw_only=True, forbid_unknown_fields=True):
    plate: Plate
    model: Annotated[str, Meta(max_length=128)] = ""
    has_ramp: bool = False
    has_lift: bool = False
    wheelchair_places: Annotated[int, Meta(ge=0, le=8)] = 0
    seats: Annotated[int, Meta(ge=0, le=20)] = 0
    active: bool = True


class VehiclePatch(Struct, kw_only=True, forbid_unknown_fields=True):
    model: Annotated[str, Meta(max_length=128)] | UnsetType = UNSET
    has_ramp: bool | UnsetType = UNSET
    has_lift: bool | UnsetType = UNSET
    wheelchair_places: Annotated[int, Meta(ge=0, le=8)] | UnsetType = UNSET
    seats: Annotated[int, Meta(ge=0, le=20)] | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class VehicleOut(Struct, kw_only=True):
    id: int
    provider_id: int
    plate: str
    model: str
    has_ramp: bool
    has_lift: bool
    wheelchair_places: int
    seats: int
    active: bool


class VehicleUpdateOut(VehicleOut, kw_only=True):
    """The updated vehicle and, when it was deactivated, its planned trips not started yet
    that were taken off it (ids ascending) and now wait for another vehicle."""

    unassigned_trips: int
    unassigned_booking_ids: list[int]


class BookingIn(Checked, kw_only=True, forbid_unknown_fields=True):
    request_id: RowId
    pickup_address: Address
    destination_address: Address
    purpose: Purpose
    trip_date: date
    start_time: Clock
    duration_minutes: Annotated[int, Meta(ge=10, le=1440)]
    return_trip: bool = False
    companion: bool = False
    #: Defaults to the wheelchair named in the registration.
    wheelchair: Wheelchair | None = None
    note: Annotated[str, Meta(max_length=1000)] = ""


class AssignVehicleIn(Struct, kw_only=True, forbid_unknown_fields=True):
    vehicle_id: RowId


class CompleteIn(Checked, kw_only=True, forbid_unknown_fields=True):
    km: Decimal
    waiting_minutes: Annotated[int, Meta(ge=0, le=1440)] = 0


class CancelIn(Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(max_length=1000)] = ""


class BookingOut(Struct, kw_only=True):
    id: int
    request_id: int
    citizen_id: int
    contract_id: int
    vehicle_id: int | None
    pickup_address: str
    destination_address: str
    purpose: str
    trip_date: date
    start_time: str
    end_time: str
    duration_minutes: int
    return_trip: bool
    companion: bool
    wheelchair: str
    note: str
    status: str
    km: Decimal | None
    waiting_minutes: int | None
    delivery_id: int | None
    cancel_reason: str
    created_at: datetime
