"""msgspec Structs of the rental point's API: what comes in and what goes out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from msgspec import UNSET, Meta, Struct, UnsetType

from core.sdk import Checked, RowId, Text
from plugins.rental_aids.forms import DeviceCode

Condition = Literal["new", "good", "fair", "worn", "damaged"]
ItemStatus = Literal["available", "on_loan", "in_repair", "written_off"]
#: Statuses staff may set by hand (``on_loan`` is set only by issuing a loan).
SettableStatus = Literal["available", "in_repair", "written_off"]
LoanStatus = Literal["active", "returned"]
WaitingStatus = Literal["waiting", "offered", "served", "cancelled"]
Name = Annotated[str, Meta(min_length=1, max_length=128)]
Note = Annotated[str, Meta(max_length=2000)]
#: Months an item of a type serves (straight-line depreciation), up to 50 years.
ServiceLife = Annotated[int, Meta(ge=1, le=600)]
ChargeBasis = Literal["", "residual", "stated"]


class DeviceTypeIn(Struct, kw_only=True, forbid_unknown_fields=True):
    code: DeviceCode
    name_uk: Name
    name_en: Name
    active: bool = True
    #: Service life in months, for the residual value of damaged items (null: unknown).
    service_life_months: ServiceLife | None = None


class DeviceTypePatch(Struct, kw_only=True, forbid_unknown_fields=True):
    name_uk: Name | UnsetType = UNSET
    name_en: Name | UnsetType = UNSET
    active: bool | UnsetType = UNSET
    service_life_months: ServiceLife | UnsetType | None = UNSET


class DeviceTypeOut(Struct, kw_only=True):
    id: int
    code: str
    name: Text
    active: bool
    service_life_months: int | None


class ItemIn(Checked, kw_only=True, forbid_unknown_fields=True):
    device_code: DeviceCode
    inventory_number: Annotated[str, Meta(min_length=1, max_length=32)]
    serial: Annotated[str, Meta(max_length=64)] = ""
    condition: Condition = "good"
    location: Annotated[str, Meta(max_length=255)] = ""
    note: Note = ""
    #: The rental point (provider); a provider's user may leave it out (their own).
    provider_id: RowId | None = None
    #: What the item cost, UAH with at most 2 decimals (null: unknown).
    purchase_value: Decimal | None = None
    #: When the item was acquired (null: unknown); never in the future.
    acquired_on: date | None = None


class ItemPatch(Checked, kw_only=True, forbid_unknown_fields=True):
    serial: Annotated[str, Meta(max_length=64)] | UnsetType = UNSET
    condition: Condition | UnsetType = UNSET
    location: Annotated[str, Meta(max_length=255)] | UnsetType = UNSET
    status: SettableStatus | UnsetType = UNSET
    note: Note | UnsetType = UNSET
    purchase_value: Decimal | UnsetType | None = UNSET
    acquired_on: date | UnsetType | None = UNSET


class ItemOut(Struct, kw_only=True):
    id: int
    device_code: str
    device_name: Text
    provider_id: int
    inventory_number: str
    serial: str
    condition: str
    location: str
    status: str
    note: str
    purchase_value: Decimal | None
    acquired_on: date | None
    #: The residual value today (null when the value, date or service life is unknown).
    residual_value: Decimal | None
    #: The waiting-list entry the item is offered to, if any.
    offered_to: int | None = None


class IssueIn(Checked, kw_only=True, forbid_unknown_fields=True):
    request_id: RowId
    item_id: RowId
    #: Defaults to today; never in the future, never before the request was received.
    issued_on: date | None = None
    #: The item's condition at handover (defaults to the item's recorded condition).
    condition: Condition | None = None
    handover_note: Note = ""
    #: When the item is taken (issued to someone else a moment ago) and no other item of
    #: the type is free, put the request on the waiting list instead: 202 with the entry.
    queue_if_taken: bool = False


class ExtendIn(Checked, kw_only=True, forbid_unknown_fields=True):
    conclusion_number: Annotated[str, Meta(min_length=1, max_length=64)]
    conclusion_date: date
    #: Defaults to the loan term, up to the longest term from the issue.
    days: Annotated[int, Meta(ge=1, le=3650)] | None = None


class ReturnIn(Checked, kw_only=True, forbid_unknown_fields=True):
    condition: Condition
    damage_noted: bool = False
    damage_note: Note = ""
    #: The damage goes beyond normal wear (needs damage noted): charged at the item's
    #: residual value, offset against the deposit, while ``damage_charged`` is on.
    beyond_normal_wear: bool = False
    #: The charge in UAH (at most 2 decimals, ≥ 0): required when the residual value is
    #: unknown; when given, it is charged instead of the residual value.
    damage_charge: Decimal | None = None
    cleaning_done: bool = True
    #: Defaults to today; never in the future, never before the issue.
    returned_on: date | None = None


class ResidualBasis(Struct, kw_only=True):
    """What a residual value was computed from: value × (1 − months used / life)."""

    purchase_value: Decimal
    months_in_use: int
    service_life_months: int


class LoanCredit(Struct, kw_only=True):
    """Item-days of a month billed beyond a return dated back into it, credited (or, when
    it could not be recorded now, the reason; the month's billing run records it later)."""

    month: str
    days: int
    amount: Decimal
    delivery_id: int | None
    problem: str = ""


class LoanOut(Struct, kw_only=True):
    id: int
    item_id: int
    inventory_number: str
    device_code: str
    request_id: int
    journal_number: str
    citizen_id: int
    citizen_name: str
    provider_id: int
    contract_id: int
    issued_on: date
    due_on: date
    status: str
    overdue: bool
    days_overdue: int
    condition_at_issue: str
    handover_note: str
    deposit: Decimal
    extensions: int
    returned_on: date | None
    condition_at_return: str
    damage_noted: bool
    damage_note: str
    beyond_normal_wear: bool
    #: How the damage charge was set: ``residual`` value, ``stated`` at return, or "".
    charge_basis: ChargeBasis
    damage_charge: Decimal
    #: The item's residual value on the return date used for the charge, and its basis.
    residual_value: Decimal | None
    residual_basis: ResidualBasis | None
    #: The part of the deposit kept against the charge and the part given back (both 0
    #: while the loan is active).
    deposit_kept: Decimal
    deposit_returned: Decimal
    #: What the borrower still owes: the charge less the deposit kept.
    charge_due: Decimal
    cleaning_done: bool
    #: The text of the act of handover (акт приймання-передачі).
    handover_act: Text
    #: Set on a return dated back into months already billed: the credits recorded.
    credits: list[LoanCredit] = []


class WaitingIn(Struct, kw_only=True, forbid_unknown_fields=True):
    request_id: RowId
    note: Note = ""


class WaitingOut(Struct, kw_only=True):
    id: int
    request_id: int
    citizen_id: int
    citizen_name: str
    provider_id: int
    device_code: str
    priority: int
    priority_label: Text
    requested_on: date
    #: Place in the queue of the type at the rental point (waiting entries only).
    position: int | None
    status: str
    offered_item_id: int | None
    note: str


class BillIn(Struct, kw_only=True, forbid_unknown_fields=True):
    month: Annotated[str, Meta(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


class BillProblem(Struct, kw_only=True):
    loan_id: int
    kind: str
    reason: str


class BillNote(Struct, kw_only=True):
    """What the run found for a loan besides plain billing (a late return's credit)."""

    loan_id: int
    kind: str
    message: str


class BillOut(Struct, kw_only=True):
    month: str
    loans: int
    recorded: int
    repeated: int
    #: Loans whose item-days of the month are not over yet (billed on a later run).
    pending: int
    amount_recorded: Decimal
    refused: list[BillProblem]
    #: Late returns found: item-days already recorded beyond the return, credited.
    notes: list[BillNote] = []


class BillLine(Struct, kw_only=True):
    """One delivery a month's run owes (or has recorded): a loan's item-days, the cleaning
    of its returned item, or the credit of days billed beyond a late return."""

    loan_id: int
    inventory_number: str
    contract_id: int
    kind: Literal["item_days", "cleaning", "correction"]
    #: Item-days (negative for a correction; 0 for a cleaning).
    days: int
    #: The contract's price of one item-day, or its cleaning fee.
    unit_price: Decimal
    amount: Decimal
    #: Already recorded by an earlier run (its days and amount are the recorded ones).
    recorded: bool


class BillPreview(Struct, kw_only=True):
    """What a run of the month would record, beside what earlier runs recorded."""

    month: str
    loans: int
    #: Loans whose item-days of the month are not over yet (billed on a later run).
    pending: int
    lines: list[BillLine]
    #: What a run would record now, and what is recorded already, UAH.
    to_record: Decimal
    recorded: Decimal
