"""Counting item-days: the days an item is on loan within a month.

An item occupies every day from its issue up to the day before its return (a return on
the day of issue still counts that one day); an item not yet returned occupies every day
to the end of the month. These are the "actual days" billed and checked.
"""

from __future__ import annotations

from datetime import date, timedelta

from core.sdk import Invalid
from core.sdk import month_bounds as core_month_bounds

ONE = timedelta(days=1)


def month_bounds(month: str, field: str = "month") -> tuple[date, date]:
    """First and last day of a month (the core's bounds: a 422 for month 13 or a month
    outside the date window), from 2000 on."""
    first, last = core_month_bounds(month, field)
    if first.year < 2000:
        raise Invalid("місяць до 2000 року / a month before 2000", field)
    return first, last


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_occupied(issued_on: date, returned_on: date | None) -> date | None:
    """The last day the item is on loan (``None`` while it is still out)."""
    if returned_on is None:
        return None
    return max(issued_on, returned_on - ONE)


def span_in_month(
    issued_on: date, returned_on: date | None, month: str
) -> tuple[date, date] | None:
    """First and last day on loan within the month, or ``None`` when it does not overlap."""
    start, end = month_bounds(month)
    last = last_occupied(issued_on, returned_on)
    first_day = max(issued_on, start)
    last_day = end if last is None else min(last, end)
    if last_day < first_day:
        return None
    return first_day, last_day


def days_in_month(issued_on: date, returned_on: date | None, month: str) -> int:
    span = span_in_month(issued_on, returned_on, month)
    return 0 if span is None else (span[1] - span[0]).days + 1
