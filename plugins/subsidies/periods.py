"""Periods of assignment (DOMAIN §1.4): seasons, the start month with the grace rule,
tenants bounded by their lease, month shares, and which quarters' incomes count.

A subsidy is assigned for the season the application falls in: the heating season
(1 Oct–30 Apr; 16 Oct–15 Apr with individual gas or electric heating) or the non-heating
season (1 May–30 Sep; 16 Apr–15 Oct with individual heating — ASSUMPTION: the
complement of the individual heating season). Every date is a dated parameter.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

import msgspec

from core.sdk import Text
from plugins.subsidies.trace import Lookup

Season = Literal["heating", "non_heating"]


class MonthShare(msgspec.Struct, frozen=True, kw_only=True):
    month: str  # YYYY-MM
    days: int
    days_in_month: int

    @property
    def fraction(self) -> Decimal:
        return Decimal(self.days) / Decimal(self.days_in_month)


class Period(msgspec.Struct, frozen=True, kw_only=True):
    season: Season
    season_start: date
    season_end: date
    start: date
    end: date
    months: tuple[MonthShare, ...]
    income_quarters: tuple[tuple[int, int], ...]
    notes: tuple[Text, ...] = ()


class NoPeriod(ValueError):
    """No period can be assigned (a lease ending before the period starts)."""


def _md(value: str, year: int) -> date:
    month, day = (int(p) for p in str(value).split("-"))
    return date(year, month, day)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def season_of(applied_on: date, individual: bool, look: Lookup) -> tuple[Season, date, date]:
    """The season the date falls in, with its first and last day."""
    prefix = "individual_heating_season" if individual else "heating_season"
    y = applied_on.year
    start = _md(look.raw(f"{prefix}_start", applied_on), y)
    end = _md(look.raw(f"{prefix}_end", applied_on), y)
    if applied_on >= start:
        return "heating", start, _md(look.raw(f"{prefix}_end", applied_on), y + 1)
    if applied_on <= end:
        return "heating", _md(look.raw(f"{prefix}_start", applied_on), y - 1), end
    return "non_heating", end + timedelta(days=1), start - timedelta(days=1)


def income_quarters(season: Season, season_start: date) -> tuple[tuple[int, int], ...]:
    """Heating season from autumn of year Y: Q1–Q2 of Y; non-heating season from spring of
    Y: Q3–Q4 of Y−1 (✅ psm7.com, focus.ua)."""
    y = season_start.year
    if season == "heating":
        return ((y, 1), (y, 2))
    return ((y - 1, 3), (y - 1, 4))


def next_quarters(quarters: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """The two quarters after the given ones (the recalculation compares them)."""
    year, quarter = quarters[-1]
    out = []
    for _ in range(len(quarters)):
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        out.append((year, quarter))
    return tuple(out)


def month_shares(start: date, end: date) -> tuple[MonthShare, ...]:
    out = []
    day = start
    while day <= end:
        last = min(month_end(day), end)
        out.append(
            MonthShare(
                month=f"{day:%Y-%m}",
                days=(last - day).days + 1,
                days_in_month=calendar.monthrange(day.year, day.month)[1],
            )
        )
        day = last + timedelta(days=1)
    return tuple(out)


def assignment_period(
    applied_on: date,
    *,
    individual: bool,
    tenant: bool,
    lease_end: date | None,
    look: Lookup,
) -> Period:
    """From the month of application to the end of the season; from the season start when
    applied within the grace months; a tenant not beyond the month the lease ends."""
    season, s_start, s_end = season_of(applied_on, individual, look)
    grace = look.int("grace_months", applied_on)
    notes: list[Text] = []
    if applied_on < add_months(s_start, grace):
        start = s_start
        notes.append(
            Text(
                f"Звернення протягом {grace} міс. від початку сезону: з {s_start:%d.%m.%Y}.",
                f"Applied within {grace} months of the season start: from {s_start:%d.%m.%Y}.",
            )
        )
    else:
        start = max(applied_on.replace(day=1), s_start)
        notes.append(
            Text(
                f"Призначається з місяця звернення: з {start:%d.%m.%Y}.",
                f"Assigned from the month of application: from {start:%d.%m.%Y}.",
            )
        )
    end = s_end
    if tenant:
        if lease_end is None:
            raise NoPeriod("a tenant needs a lease end date")
        bound = month_end(lease_end)
        if bound < end:
            end = bound
            notes.append(
                Text(
                    f"Договір найму закінчується {lease_end:%d.%m.%Y}: до {end:%d.%m.%Y}.",
                    f"The lease ends on {lease_end:%d.%m.%Y}: until {end:%d.%m.%Y}.",
                )
            )
    if end < start:
        raise NoPeriod(f"the period would end ({end}) before it starts ({start})")
    return Period(
        season=season,
        season_start=s_start,
        season_end=s_end,
        start=start,
        end=end,
        months=month_shares(start, end),
        income_quarters=income_quarters(season, s_start),
        notes=tuple(notes),
    )


def income_changed(before: Decimal, after: Decimal, threshold_percent: Decimal) -> bool:
    """Whether the income changed by more than the threshold (either way)."""
    if before == 0:
        return after != 0
    return abs(after - before) * 100 / before > threshold_percent
