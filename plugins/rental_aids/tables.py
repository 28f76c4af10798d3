"""Piccolo tables of the rental point: device types, items, loans and the waiting list.

Constraints Piccolo cannot express are created by hand in the second migration: device
type codes and inventory numbers unique per municipality, an item on at most one active
loan, a request with at most one active loan and one live waiting-list entry.
"""

from __future__ import annotations

from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    OnDelete,
    Serial,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.sdk import Citizen, Contract, Municipality, Provider, Request, User

R = OnDelete.restrict


class RentalDeviceType(Table, tablename="rental_device_type"):
    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, null=False, index=True)
    code = Varchar(length=32)
    name_uk = Varchar(length=128)
    name_en = Varchar(length=128)
    active = Boolean(default=True)
    #: Months an item of the type serves, for its residual value (null: unknown).
    service_life_months = SmallInt(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class RentalItem(Table, tablename="rental_item"):
    """One device of a rental point (the provider that runs it)."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, null=False, index=True)
    device_type = ForeignKey(RentalDeviceType, on_delete=R, null=False)
    provider = ForeignKey(Provider, on_delete=R, null=False)
    inventory_number = Varchar(length=32)
    serial = Varchar(length=64, default="")
    condition = Varchar(length=16, default="good")  # new | good | fair | worn | damaged
    location = Varchar(length=255, default="")
    status = Varchar(length=16, default="available")  # available|on_loan|in_repair|written_off
    note = Text(default="")
    #: What the item cost, in kopiyky (null: unknown), and when it was acquired.
    purchase_value_kop = BigInt(null=True, default=None)
    acquired_on = Date(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class RentalLoan(Table, tablename="rental_loan"):
    """An item handed over to a person against an assigned request (act of handover)."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, null=False, index=True)
    item = ForeignKey(RentalItem, on_delete=R, null=False)
    request = ForeignKey(Request, on_delete=R, null=False)
    citizen = ForeignKey(Citizen, on_delete=R, null=False)
    provider = ForeignKey(Provider, on_delete=R, null=False)
    contract = ForeignKey(Contract, on_delete=R, null=False)
    issued_on = Date()
    due_on = Date()
    condition_at_issue = Varchar(length=16)
    handover_note = Text(default="")
    deposit_kop = BigInt(default=0)
    extensions = SmallInt(default=0)
    last_conclusion = Varchar(length=128, default="")
    status = Varchar(length=16, default="active")  # active | returned
    returned_on = Date(null=True, default=None)
    condition_at_return = Varchar(length=16, default="")
    damage_noted = Boolean(default=False)
    damage_note = Text(default="")
    cleaning_done = Boolean(default=False)
    #: The return found damage beyond normal wear (charged when ``damage_charged`` is on).
    beyond_normal_wear = Boolean(default=False)
    #: ``residual`` (the item's residual value), ``stated`` (given at return) or "".
    charge_basis = Varchar(length=16, default="")
    damage_charge_kop = BigInt(default=0)
    #: Part of the charge kept from the deposit, and what the borrower still owes.
    deposit_kept_kop = BigInt(default=0)
    charge_due_kop = BigInt(default=0)
    #: The residual value on the return date and what it was computed from (null when
    #: no charge was due or the item's value, acquisition date or service life is unknown).
    residual_value_kop = BigInt(null=True, default=None)
    residual_purchase_kop = BigInt(null=True, default=None)
    residual_months_used = SmallInt(null=True, default=None)
    residual_life_months = SmallInt(null=True, default=None)
    issued_by = ForeignKey(User, null=True, default=None, on_delete=R)
    returned_by = ForeignKey(User, null=True, default=None, on_delete=R)
    created_at = Timestamptz(default=TimestamptzNow())


class RentalWaiting(Table, tablename="rental_waiting"):
    """A request waiting for an item of its type; served by priority, then by date."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, null=False, index=True)
    request = ForeignKey(Request, on_delete=R, null=False)
    citizen = ForeignKey(Citizen, on_delete=R, null=False)
    provider = ForeignKey(Provider, on_delete=R, null=False)
    device_code = Varchar(length=32)
    #: 0 waiting for a state-issued device, 1 person with disability, 2 others.
    priority = SmallInt(default=2)
    requested_on = Date()
    status = Varchar(length=16, default="waiting")  # waiting | offered | served | cancelled
    offered_item = ForeignKey(RentalItem, null=True, default=None, on_delete=R)
    offered_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    note = Text(default="")
    created_by = ForeignKey(User, null=True, default=None, on_delete=R)
    created_at = Timestamptz(default=TimestamptzNow())


RENTAL_TABLES: tuple[type[Table], ...] = (
    RentalDeviceType,
    RentalItem,
    RentalLoan,
    RentalWaiting,
)

__all__ = ["RENTAL_TABLES"]
