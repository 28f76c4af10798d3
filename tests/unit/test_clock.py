"""The municipality's day (core.clock.today) follows the clock at Kyiv's midnight, in
either direction the clock moves, and on the days the clocks change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from core import clock


@pytest.mark.parametrize(
    ("last_second", "day"),
    [
        # Kyiv is UTC+2 in winter: the day ends at 22:00 UTC.
        (datetime(2026, 11, 30, 21, 59, 59, tzinfo=UTC), date(2026, 11, 30)),
        # Summer time begins 2026-03-29: a day of 23 hours, ending at 21:00 UTC.
        (datetime(2026, 3, 29, 20, 59, 59, tzinfo=UTC), date(2026, 3, 29)),
        # Summer time ends 2026-10-25: a day of 25 hours, ending at 22:00 UTC.
        (datetime(2026, 10, 25, 21, 59, 59, tzinfo=UTC), date(2026, 10, 25)),
    ],
)
def test_today_turns_at_kyiv_midnight_and_back(last_second: datetime, day: date) -> None:
    with time_machine.travel(last_second, tick=False) as traveller:
        assert clock.today() == day
        traveller.shift(timedelta(seconds=1))
        assert clock.today() == day + timedelta(days=1)
        assert clock.today() == clock.local_now().date()
        traveller.move_to(last_second)
        assert clock.today() == day
        traveller.move_to(last_second - timedelta(hours=20))
        assert clock.today() == clock.local_now().date()


def test_today_follows_a_jump_of_years() -> None:
    for moment in (datetime(2031, 1, 1, 12, tzinfo=UTC), datetime(2020, 6, 1, 12, tzinfo=UTC)):
        with time_machine.travel(moment, tick=False):
            assert clock.today() == moment.date()
