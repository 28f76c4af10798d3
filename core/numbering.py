"""Numbers issued in series: a municipality's journal of requests, a plugin's register
entries or certificates. Each series counts from 1 within a year, per municipality.

The counter row is created on first use and bumped by one ``UPDATE … RETURNING``: the
row stays locked until the caller's transaction ends, so two callers never get the same
number, and a rolled-back caller gives its number back (no gaps between committed ones).
Call inside a write transaction (``core.db.engine.write_transaction``).
"""

from __future__ import annotations

import re

from core.db.tables import NumberSeries

SERIES = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


async def next_number(municipality_id: int, series: str, year: int) -> int:
    """The next number of the series in the year: 1, 2, 3, …"""
    if not SERIES.match(series) or len(series) > 64:
        raise ValueError(f"bad series name {series!r}: use 'plugin.what' in lower case")
    await NumberSeries.raw(
        "INSERT INTO number_series (municipality, series, year, last_number) "
        "VALUES ({}, {}, {}, 0) ON CONFLICT (municipality, series, year) DO NOTHING",
        municipality_id,
        series,
        year,
    )
    rows = await NumberSeries.raw(
        "UPDATE number_series SET last_number = last_number + 1 "
        "WHERE municipality = {} AND series = {} AND year = {} RETURNING last_number",
        municipality_id,
        series,
        year,
    )
    return int(rows[0]["last_number"])
