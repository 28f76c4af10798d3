"""The one place Hromada learns what time it is.

Every use case, plugin and demo asks :func:`today` or :func:`now` instead of calling
``date.today()`` / ``datetime.now()`` itself, so that:

- "today" is the municipality's calendar day (Kyiv time), not the server's UTC date: a
  delivery recorded at 00:30 in Lutsk on 1 December belongs to December even though the
  server's clock still says 30 November;
- the tests set the time in one place (time-machine moves this module's source, the
  system clock, for the whole process) and the suite passes on any date.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall_time
from zoneinfo import ZoneInfo

#: The time zone municipal days are counted in.
KYIV = ZoneInfo("Europe/Kyiv")


def now() -> datetime:
    """The current instant, timezone-aware, in UTC (what timestamps are stored in)."""
    return datetime.now(UTC)


def local_now() -> datetime:
    """The current instant on the municipality's wall clock (Europe/Kyiv)."""
    return now().astimezone(KYIV)


#: The local day last asked for and the instants it runs between, ``[start, end)`` in
#: seconds since the epoch: a request asks for today several times (a form's dates, the
#: terms, the rules), and the day is worked out again only once its end has passed.
_day: tuple[float, float, date] = (0.0, 0.0, date.min)


def today() -> date:
    """The municipality's calendar day now (Europe/Kyiv)."""
    global _day
    instant = time.time()  # the clock time-machine moves, as it moves datetime.now
    start, end, day = _day
    if start <= instant < end:
        return day
    day = datetime.fromtimestamp(instant, KYIV).date()
    midnight = datetime.combine(day, wall_time(), KYIV)
    following = datetime.combine(day + timedelta(days=1), wall_time(), KYIV)
    _day = (midnight.timestamp(), following.timestamp(), day)
    return day
