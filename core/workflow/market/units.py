"""Conversions between the domain (Decimal money and quantities, YYYY-MM periods) and
the database (integer kopiyky and thousandths of a unit)."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from core.money import from_kopiyky, money, to_kopiyky
from core.validators import OutOfRange, checked_money, checked_number, month_bounds

MILLI = Decimal("0.001")
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

__all__ = [
    "from_kopiyky",
    "from_milli",
    "money",
    "period_bounds",
    "period_of",
    "to_kopiyky",
    "to_milli",
]


def to_milli(quantity: Decimal) -> int:
    return int((Decimal(quantity) / MILLI).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_milli(milli: int) -> Decimal:
    """Thousandths back to a quantity, without trailing zeros or an exponent (800, 2.5)."""
    return Decimal(format((Decimal(milli) * MILLI).normalize(), "f"))


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def period_bounds(period: str, field: str = "period") -> tuple[date, date]:
    """First and last day of a ``YYYY-MM`` period inside the date window
    (:func:`core.validators.month_bounds`)."""
    return month_bounds(period, field)


def positive_money(value: Decimal, field: str) -> Decimal:
    """A positive amount with at most two decimal places, not above the bound
    (:func:`core.validators.checked_money`)."""
    return checked_money(value, field, positive=True)


def positive_quantity(value: Decimal, field: str) -> Decimal:
    """A positive quantity in thousandths of the unit (checked after rounding, so 0.0001
    is refused rather than becoming 0)."""
    checked_number(value, field)
    quantity = value.quantize(MILLI, rounding=ROUND_HALF_UP)
    if quantity <= 0 or quantity > Decimal("1e9"):
        raise OutOfRange(
            f"{field}: кількість має бути від 0,001 до 10⁹ / must be from 0.001 to 10^9", field
        )
    return quantity
