"""Conversions between the domain (Decimal money and quantities, YYYY-MM periods) and
the database (integer kopiyky and thousandths of a unit)."""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from core.errors import Invalid
from core.money import from_kopiyky, money, to_kopiyky

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
    """First and last day of a ``YYYY-MM`` period."""
    match = _PERIOD.match(period or "")
    if match is None:
        raise Invalid(f"період має вигляд РРРР-ММ / period must be YYYY-MM, got {period!r}", field)
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def positive_money(value: Decimal, field: str) -> Decimal:
    """A positive amount rounded to kopiyky (msgspec cannot bound Decimals itself)."""
    if not value.is_finite() or value <= 0 or value > Decimal("1e12"):
        raise Invalid(f"сума має бути додатною / {field} must be a positive amount", field)
    return money(value)


def positive_quantity(value: Decimal, field: str) -> Decimal:
    if not value.is_finite() or value <= 0 or value > Decimal("1e9"):
        raise Invalid(f"кількість має бути додатною / {field} must be positive", field)
    return value.quantize(MILLI, rounding=ROUND_HALF_UP)
