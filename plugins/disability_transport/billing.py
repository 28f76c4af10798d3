"""What a carrier is paid for a trip: a base fee, kilometres and started quarters of waiting.

The tariff has three parts (``PARTS``), and the act prints a line for each: a completed
trip bills one trip at ``base_fee``, its kilometres at ``per_km`` and its started quarters
of an hour of waiting (``ceil(waiting / 15)``) at ``per_started_15_min_waiting``; a no-show
or a late cancellation bills one trip when the contract says so, else nothing. The core
prices each part; every trip counts as one unit (``поїздка``) of the volume cap.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from core.sdk import DeliveryContext, Money, PositiveMoney, Pricing, TariffPart, Text

UNIT = Text("поїздка", "trip")
TRIP, KM, WAITING = "trip", "km", "waiting"
#: The parts of the tariff, in the order of the act's lines.
PARTS = (
    TariffPart(key=TRIP, label=Text("поїздка", "trip"), unit=UNIT, field="base_fee"),
    TariffPart(key=KM, label=Text("пробіг", "distance"), unit=Text("км", "km"), field="per_km"),
    TariffPart(
        key=WAITING,
        label=Text("очікування", "waiting"),
        unit=Text("розпочаті 15 хв", "started 15 min"),
        field="per_started_15_min_waiting",
    ),
)
ONE = Decimal(1)
ZERO = Decimal(0)
#: Reference prices of a kilometre and of a started quarter of waiting (UAH): an
#: ASSUMPTION, as the trip's (parameters.toml); demo calls and bids start from them.
REFERENCE_PER_KM = Decimal(20)
REFERENCE_PER_WAITING = Decimal(60)
MAX_KM = Decimal(1000)
Outcome = Literal["completed", "no_show", "late_cancellation"]


def _finite(name: str, value: Decimal, *, positive: bool) -> None:
    if not value.is_finite() or value < 0 or (positive and value == 0):
        need = "більшою за нуль / must be above zero" if positive else "невід'ємною / >= 0"
        raise ValueError(f"{name}: ціна має бути {need}")


class TransportTariff(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The contract's prices (UAH) and what it pays for trips that did not happen."""

    base_fee: PositiveMoney
    per_km: Money
    per_started_15_min_waiting: Money
    bill_no_shows: bool
    bill_late_cancellations: bool

    def __post_init__(self) -> None:
        _finite("base_fee", self.base_fee, positive=True)
        _finite("per_km", self.per_km, positive=False)
        _finite("per_started_15_min_waiting", self.per_started_15_min_waiting, positive=False)


class TripDelivery(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One trip as the carrier bills it; ``booking_id`` 0 is a trip from the carrier's own
    dispatch log, accepted only where the municipality allows it."""

    booking_id: Annotated[int, Meta(ge=0, le=2_147_483_647)]
    outcome: Outcome
    km: Decimal = ZERO
    waiting_minutes: Annotated[int, Meta(ge=0, le=1440)] = 0

    def __post_init__(self) -> None:
        if not self.km.is_finite() or self.km < 0 or self.km > MAX_KM:
            raise ValueError(f"km: від 0 до {MAX_KM} / between 0 and {MAX_KM}")


def started_quarters(minutes: int) -> int:
    """Started quarters of an hour: 0 → 0, 1..15 → 1, 31 → 3."""
    return -(-minutes // 15)


def price_trip(tariff: TransportTariff, delivery: TripDelivery) -> Pricing:
    """The parts a trip bills (the core prices them at the tariff's prices)."""
    if delivery.outcome == "completed":
        parts = {
            TRIP: ONE,
            KM: delivery.km,
            WAITING: Decimal(started_quarters(delivery.waiting_minutes)),
        }
    elif delivery.outcome == "no_show":
        parts = {TRIP: ONE} if tariff.bill_no_shows else {}
    else:
        parts = {TRIP: ONE} if tariff.bill_late_cancellations else {}
    return Pricing(quantity=ONE, parts=parts)


def tariff_from_unit_price(unit_price: Decimal) -> TransportTariff:
    """A base-fee-only tariff (a call's unit price is the price of a trip)."""
    return TransportTariff(
        base_fee=unit_price,
        per_km=ZERO,
        per_started_15_min_waiting=ZERO,
        bill_no_shows=True,
        bill_late_cancellations=False,
    )


def tariff_from_prices(prices: Mapping[str, Decimal]) -> TransportTariff:
    """A tariff from a price per part (a call's award); no-shows billed, late
    cancellations not, as with a unit price."""
    return TransportTariff(
        base_fee=prices[TRIP],
        per_km=prices.get(KM, ZERO),
        per_started_15_min_waiting=prices.get(WAITING, ZERO),
        bill_no_shows=True,
        bill_late_cancellations=False,
    )


def trip_key(ctx: DeliveryContext) -> str | None:
    """One delivery per booking (trips from the carrier's log have no booking)."""
    booking_id = ctx.delivery.booking_id
    return f"trip:{booking_id}" if booking_id else None
