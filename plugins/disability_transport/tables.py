"""Piccolo tables of the social taxi: carriers' vehicles, trip bookings, and one lock row
per rider (so parallel bookings of one person cannot both pass the trip caps).

Bookings refused by a trip cap are kept (``CapRefusal``) for the coverage report.
Times of day are minutes since midnight (local time); a trip never crosses midnight.
Kilometres are thousandths (``km_milli``). Unique keys Piccolo cannot express are in the
hand-written migration.
"""

from __future__ import annotations

from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.sdk import Citizen, Contract, Municipality, Provider, Request, User

R = OnDelete.restrict


class Vehicle(Table, tablename="disability_transport_vehicle"):
    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, null=False, index=True)
    provider = ForeignKey(Provider, on_delete=R, null=False, index=True)
    #: Unique per municipality (hand-written index).
    plate = Varchar(length=16)
    model = Varchar(length=128, default="")
    has_ramp = Boolean(default=False)
    has_lift = Boolean(default=False)
    wheelchair_places = Integer(default=0)
    seats = Integer(default=0)
    active = Boolean(default=True)
    #: Bumped by every vehicle assignment and vehicle update (``dispatch.lock_vehicle``):
    #: the row lock that serialises them.
    assignments = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())


class Booking(Table, tablename="disability_transport_booking"):
    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, null=False, index=True)
    request = ForeignKey(Request, on_delete=R, null=False, index=True)
    citizen = ForeignKey(Citizen, on_delete=R, null=False, index=True)
    contract = ForeignKey(Contract, on_delete=R, null=False)
    vehicle = ForeignKey(Vehicle, on_delete=R, null=True, default=None, index=True)
    pickup_address = Varchar(length=500)
    destination_address = Varchar(length=500)
    purpose = Varchar(length=32)
    trip_date = Date(index=True)
    start_minute = Integer()
    duration_minutes = Integer()
    end_minute = Integer()
    return_trip = Boolean(default=False)
    companion = Boolean(default=False)
    wheelchair = Varchar(length=16, default="none")
    note = Text(default="")
    #: planned | completed | no_show | cancelled | late_cancellation
    status = Varchar(length=24, default="planned")
    km_milli = BigInt(null=True, default=None)
    waiting_minutes = Integer(null=True, default=None)
    #: The date the outcome was billed on (the trip date, or the day of a late cancellation).
    outcome_on = Date(null=True, default=None)
    delivery_id = BigInt(null=True, default=None)
    cancel_reason = Text(default="")
    created_by = ForeignKey(User, on_delete=R, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    closed_at = Timestamptz(null=True, default=None)


class Rider(Table, tablename="disability_transport_rider"):
    """One row per rider (unique citizen), updated by every new booking of theirs."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, null=False)
    citizen = ForeignKey(Citizen, on_delete=R, null=False)
    bookings = Integer(default=0)


class CapRefusal(Table, tablename="disability_transport_cap_refusal"):
    """A booking refused because the rider's monthly or yearly trip cap was used up:
    written after the refused booking rolled back, for the coverage report's people
    waiting (``report_waiting``)."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, null=False)
    request = ForeignKey(Request, on_delete=R, null=False)
    citizen = ForeignKey(Citizen, on_delete=R, null=False)
    trip_date = Date()
    #: The failed caps' rule names, space-separated.
    rules = Varchar(length=255, default="")
    refused_on = Date()
    refused_at = Timestamptz(default=TimestamptzNow())


TABLES: tuple[type[Table], ...] = (Vehicle, Booking, Rider, CapRefusal)
