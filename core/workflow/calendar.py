"""Working days: receipt dates and due dates (order No. 345 of 19.09.2006).

Weekends are not working days. Public holidays are not moved while martial law is in
force (Labour Code art. 73 is suspended), so none are listed; a municipality that needs
them adds a calendar in a later version.
"""

from __future__ import annotations

from datetime import date, timedelta


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the next one (receipt dating)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def first_receipt_day(received_on: date) -> date:
    """The first day a request registered on ``received_on`` may have come in: the day
    itself and the non-working days right before it (a request handed in on a Saturday is
    registered on the Monday after, see :func:`next_working_day`)."""
    day = received_on
    while not is_working_day(day - timedelta(days=1)):
        day -= timedelta(days=1)
    return day


def add_term(start: date, days: int, kind: str) -> date:
    """The due date ``days`` calendar or working days after ``start``."""
    if kind == "calendar":
        return start + timedelta(days=days)
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day
