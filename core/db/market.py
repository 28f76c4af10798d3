"""Piccolo tables of the social-order marketplace and billing (part of the core app).

Amounts are integer kopiyky; quantities are integer thousandths of the service's unit
(``*_milli``), so 2.5 km is 2500 and one bed-night is 1000.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
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

from core.db.tables import Citizen, Municipality, Provider, Request, User

R = OnDelete.restrict


class Offer(Table):
    """A provider's standing offer of a service: price, capacity, where it serves."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    provider = ForeignKey(Provider, on_delete=R, index=True)
    service_code = Varchar(length=128)
    #: The price of the unit; 0 for a multi-part tariff, priced by ``prices``.
    unit_price_kop = BigInt()
    #: A multi-part tariff's price of every part, ``{part: kopiyky}``.
    prices = JSON(default="{}")
    capacity = Integer(default=0)
    area = JSON(default="[]")
    description = Text(default="")
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class BudgetLine(Table):
    """A line of the municipal budget (КПКВК МБ × КЕКВ × year).

    ``committed_kop`` is moved only by conditional updates, so parallel awards can never
    commit more than ``allocation_kop``.
    """

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    year = Integer()
    programme_code = Varchar(length=7)
    economic_code = Varchar(length=4)
    name = Varchar(length=255)
    allocation_kop = BigInt()
    committed_kop = BigInt(default=0)
    #: Services whose lump sums to citizens this line pays (JSON list of codes).
    lump_sum_services = JSON(default="[]")
    created_at = Timestamptz(default=TimestamptzNow())


class CallForProposals(Table):
    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    number = Varchar(length=32)
    title = Varchar(length=255)
    service_code = Varchar(length=128)
    volume_milli = BigInt()
    #: The maximum price of the unit; 0 for a multi-part tariff, limited by ``max_prices``.
    max_unit_price_kop = BigInt()
    #: A multi-part tariff's maximum price of every part, ``{part: kopiyky}``.
    max_prices = JSON(default="{}")
    period_start = Date()
    period_end = Date()
    criteria = JSON(default="[]")
    deadline = Timestamptz()
    budget_line = ForeignKey(BudgetLine, on_delete=R)
    status = Varchar(length=16, default="open")  # open | awarded | cancelled
    description = Text(default="")
    created_by = ForeignKey(User, null=True, default=None, on_delete=R)
    created_at = Timestamptz(default=TimestamptzNow())


class Bid(Table):
    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    call = ForeignKey(CallForProposals, on_delete=R, index=True)
    provider = ForeignKey(Provider, on_delete=R)
    #: The price of the unit; 0 for a multi-part tariff, priced by ``prices``.
    unit_price_kop = BigInt()
    #: In the service's unit (a multi-part tariff's first part).
    volume_milli = BigInt()
    #: A multi-part tariff's price of every part, ``{part: kopiyky}``, and the expected
    #: quantity of every part over the contract, ``{part: thousandths}``.
    prices = JSON(default="{}")
    volumes = JSON(default="{}")
    answers = JSON(default="{}")
    note = Text(default="")
    status = Varchar(length=16, default="submitted")  # submitted | withdrawn | won | lost
    submitted_at = Timestamptz(default=TimestamptzNow())


class BidScore(Table):
    id = Serial(primary_key=True)
    bid = ForeignKey(Bid, on_delete=R, index=True)
    scorer = ForeignKey(User, on_delete=R)
    scores = JSON(default="{}")
    #: Weighted total, hundredths of a point (0..10000).
    total_centi = Integer()
    comment = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Contract(Table):
    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    number = Varchar(length=32)
    provider = ForeignKey(Provider, on_delete=R, index=True)
    service_code = Varchar(length=128, index=True)
    call = ForeignKey(CallForProposals, null=True, default=None, on_delete=R)
    bid = ForeignKey(Bid, null=True, default=None, on_delete=R)
    period_start = Date()
    period_end = Date()
    tariff = JSON(default="{}")
    volume_cap_milli = BigInt()
    money_cap_kop = BigInt()
    budget_line = ForeignKey(BudgetLine, on_delete=R)
    #: Persons served at once (0 = no limit).
    capacity = Integer(default=0)
    area = JSON(default="[]")
    status = Varchar(length=16, default="active")  # draft | active | suspended | closed
    #: Delivered and not voided, moved by conditional updates against the caps.
    used_milli = BigInt(default=0)
    used_kop = BigInt(default=0)
    signed_on = Date(null=True, default=None)
    created_by = ForeignKey(User, null=True, default=None, on_delete=R)
    created_at = Timestamptz(default=TimestamptzNow())


class Assignment(Table):
    """An approved request served under a contract."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    request = ForeignKey(Request, on_delete=R)
    contract = ForeignKey(Contract, on_delete=R, index=True)
    active = Boolean(default=True)
    assigned_by = ForeignKey(User, null=True, default=None, on_delete=R)
    assigned_at = Timestamptz(default=TimestamptzNow())
    ended_at = Timestamptz(null=True, default=None)


class DeliverySheet(Table):
    """Deliveries of one contract and month, gathered until they are invoiced.

    A delivery belongs to exactly one sheet and a sheet to at most one invoice (unique
    index), so a delivery can never be billed twice. Recording a delivery and invoicing a
    sheet both update the sheet's row, so they serialise on it.
    """

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    contract = ForeignKey(Contract, on_delete=R, index=True)
    period = Varchar(length=7)  # YYYY-MM
    status = Varchar(length=16, default="open")  # open | invoiced
    deliveries = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())


class Delivery(Table):
    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    contract = ForeignKey(Contract, on_delete=R)
    # Indexed with status by hand: an index named "delivery_sheet" would clash with the table.
    sheet = ForeignKey(DeliverySheet, on_delete=R)
    assignment = ForeignKey(Assignment, on_delete=R, index=True)
    request = ForeignKey(Request, on_delete=R)
    provider = ForeignKey(Provider, on_delete=R)
    service_code = Varchar(length=128)
    delivered_on = Date()
    data = JSON(default="{}")
    quantity_milli = BigInt()
    amount_kop = BigInt()
    idempotency_key = Varchar(length=128)
    unique_key = Varchar(length=255, null=True, default=None)
    status = Varchar(length=16, default="recorded")  # recorded | voided
    void_reason = Text(default="")
    recorded_by = ForeignKey(User, null=True, default=None, on_delete=R)
    recorded_at = Timestamptz(default=TimestamptzNow())


class DeliveryPart(Table):
    """The quantity and amount of one part of a delivery under a multi-part tariff (a
    trip, its kilometres, its quarters of waiting), written with the delivery; only the
    parts of recorded deliveries are invoiced (``core.workflow.market.pricing``)."""

    id = Serial(primary_key=True)
    delivery_id = Integer()
    part = Varchar(length=32)
    quantity_milli = BigInt()
    amount_kop = BigInt()


class Invoice(Table):
    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    number = Varchar(length=32)
    contract = ForeignKey(Contract, on_delete=R, index=True)
    provider = ForeignKey(Provider, on_delete=R, index=True)
    sheet = ForeignKey(DeliverySheet, on_delete=R)
    budget_line = ForeignKey(BudgetLine, on_delete=R)
    period = Varchar(length=7)
    quantity_milli = BigInt()
    total_kop = BigInt()
    deliveries = Integer()
    #: Frozen lines of the act: service, unit, quantity, price, sum (JSON).
    lines = JSON(default="[]")
    status = Varchar(length=16, default="draft")  # draft|submitted|approved|rejected|paid
    created_by = ForeignKey(User, null=True, default=None, on_delete=R)
    created_at = Timestamptz(default=TimestamptzNow())
    submitted_by = ForeignKey(User, null=True, default=None, on_delete=R)
    submitted_at = Timestamptz(null=True, default=None)
    approved_by = ForeignKey(User, null=True, default=None, on_delete=R)
    approved_at = Timestamptz(null=True, default=None)
    rejected_reason = Text(default="")
    paid_on = Date(null=True, default=None)
    payment_reference = Varchar(length=64, default="")
    #: Whom the invoice pays, frozen at approval (name, edrpou, tax_number, iban, address;
    #: JSON); "{}" until then. The register and the PDFs show it, not today's provider.
    payee = JSON(default="{}")


class Payout(Table):
    """Money to a citizen (a funeral-aid lump sum, a month of a benefit paid in cash),
    paid through the same register and lines as providers' invoices. One payout per
    request and period: ``period`` is empty for a one-off lump sum, ``YYYY-MM`` for a
    month of a periodic benefit."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    request = ForeignKey(Request, on_delete=R)
    citizen = ForeignKey(Citizen, on_delete=R)
    service_code = Varchar(length=128)
    payee_name = Varchar(length=400)
    payee_tax_number = Varchar(length=10, null=True, default=None)
    iban = Varchar(length=34)
    amount_kop = BigInt()
    budget_line = ForeignKey(BudgetLine, null=True, default=None, on_delete=R)
    period = Varchar(length=7, default="")
    status = Varchar(length=16, default="due")  # due | paid | cancelled
    due_since = Date()
    paid_on = Date(null=True, default=None)
    payment_reference = Varchar(length=64, default="")
    created_at = Timestamptz(default=TimestamptzNow())


MARKET_TABLES: tuple[type[Table], ...] = (
    Offer,
    BudgetLine,
    CallForProposals,
    Bid,
    BidScore,
    Contract,
    Assignment,
    DeliverySheet,
    Delivery,
    DeliveryPart,
    Invoice,
    Payout,
)
