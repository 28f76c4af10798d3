"""Numbers issued in series: a municipality's journal of requests, a plugin's register
entries or certificates. Each series counts from 1 within a year, per municipality.

The counter row is bumped by one ``UPDATE … RETURNING`` (and created first when the year
has none): the row stays locked until the caller's transaction ends, so two callers never
get the same number, and a rolled-back caller gives its number back (no gaps between
committed ones).
Call inside a write transaction (``core.db.engine.write_transaction``).
"""

from __future__ import annotations

import re
import uuid

from core.db.engine import is_sqlite
from core.db.tables import NumberSeries

SERIES = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


async def next_number(municipality_id: int, series: str, year: int) -> int:
    """The next number of the series in the year: 1, 2, 3, …"""
    if not SERIES.match(series) or len(series) > 64:
        raise ValueError(f"bad series name {series!r}: use 'plugin.what' in lower case")
    for _ in range(2):
        rows = await NumberSeries.raw(
            "UPDATE number_series SET last_number = last_number + 1 "
            "WHERE municipality = {} AND series = {} AND year = {} RETURNING last_number",
            municipality_id,
            series,
            year,
        )
        if rows:
            return int(rows[0]["last_number"])
        await _first_of_year(municipality_id, series, year)
    raise RuntimeError(f"no number taken in the series {series!r}")


async def _first_of_year(municipality_id: int, series: str, year: int) -> None:
    """Make the series' counter row for the year (a parallel caller may make it first)."""
    await NumberSeries.raw(
        "INSERT INTO number_series (municipality, series, year, last_number) "
        "VALUES ({}, {}, {}, 0) ON CONFLICT (municipality, series, year) DO NOTHING",
        municipality_id,
        series,
        year,
    )


def placeholder() -> str:
    """A unique stand-in for a journal number not yet taken (see :func:`journal_number`)."""
    return f"~{uuid.uuid4().hex[:24]}"


async def journal_number(request_id: int, municipality_id: int, year: int) -> str:
    """Take the request's journal number (``YYYY-NNNNNN``, series ``journal``) and store it
    on the request, which was saved with a :func:`placeholder`. Call it as late in the
    submission's transaction as possible: the series' row stays locked until the commit.
    On PostgreSQL the number is taken and stored in one statement."""
    prefix = f"{year}-"
    if not is_sqlite():
        for _ in range(2):
            rows = await NumberSeries.raw(
                "WITH n AS (UPDATE number_series SET last_number = last_number + 1 "
                "WHERE municipality = {} AND series = 'journal' AND year = {} "
                "RETURNING last_number) "
                "UPDATE request SET journal_number = {} || CASE WHEN n.last_number < 1000000 "
                "THEN lpad(n.last_number::text, 6, '0') ELSE n.last_number::text END "
                "FROM n WHERE request.id = {} RETURNING request.journal_number",
                municipality_id,
                year,
                prefix,
                request_id,
            )
            if rows:
                return str(rows[0]["journal_number"])
            await _first_of_year(municipality_id, "journal", year)
        raise RuntimeError(f"request {request_id}: no journal number taken")
    number = f"{prefix}{await next_number(municipality_id, 'journal', year):06d}"
    await NumberSeries.raw(
        "UPDATE request SET journal_number = {} WHERE id = {}", number, request_id
    )
    return number
