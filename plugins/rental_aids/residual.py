"""Residual value of a rental item: straight-line depreciation over its service life.

``value × (1 − months in use / service life)``, never below zero, rounded half up to the
kopiyka. Months in use are the whole months from the acquisition to the day asked: a
month is complete on the same day of a later month, or on the last day of a month too
short to have that day (acquired on 31 January, one month on 28 or 29 February). When
the value, the acquisition date or the service life is unknown, so is the residual
value. Pure functions, no database.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

import msgspec

from core.sdk import money


class Residual(msgspec.Struct, frozen=True, kw_only=True):
    """A residual value and what it was computed from."""

    purchase_value: Decimal
    months_in_use: int
    service_life_months: int
    value: Decimal


def months_in_use(acquired_on: date, on: date) -> int:
    """Whole months from ``acquired_on`` to ``on`` (0 when ``on`` is not later)."""
    if on <= acquired_on:
        return 0
    months = (on.year - acquired_on.year) * 12 + on.month - acquired_on.month
    month_end = on.day == calendar.monthrange(on.year, on.month)[1]
    if on.day < acquired_on.day and not month_end:
        months -= 1
    return months


def residual_value(
    purchase_value: Decimal | None,
    acquired_on: date | None,
    service_life_months: int | None,
    on: date,
) -> Residual | None:
    """The residual value on ``on``, or None when an input is unknown."""
    if purchase_value is None or acquired_on is None or not service_life_months:
        return None
    used = months_in_use(acquired_on, on)
    left = max(service_life_months - used, 0)
    value = money(Decimal(purchase_value) * left / service_life_months)
    return Residual(
        purchase_value=money(purchase_value),
        months_in_use=used,
        service_life_months=service_life_months,
        value=value,
    )
