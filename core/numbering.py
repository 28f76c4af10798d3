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
from collections.abc import Sequence
from typing import Any

from piccolo.table import Table

from core.db import built_once
from core.db.engine import is_sqlite
from core.db.tables import NumberSeries

#: Stands for the journal number in the text of rows written with it
#: (:func:`journal_number`'s ``rows``): the applicant's news quoting it, the audit row
#: recording it.
NUMBER = f"@@journal-number-{uuid.uuid4().hex}@@"

#: A row of ``table`` to write with the number: its values, any text among them holding
#: :data:`NUMBER`.
Numbered = tuple[type[Table], dict[str, Any]]

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


async def journal_number(
    request_id: int, municipality_id: int, year: int, rows: Sequence[Numbered] = ()
) -> str:
    """Take the request's journal number (``YYYY-NNNNNN``, series ``journal``), store it
    on the request, which was saved with a :func:`placeholder`, and write ``rows`` with
    the number in place of :data:`NUMBER` in their text. Call it last in the
    submission's transaction: the series' row stays locked until the commit.

    On PostgreSQL that is one statement (data-modifying ``WITH``: the counter, the
    request, each row), so the lock is held for one round trip and the commit, not for
    a statement per row with the event loop's other work between them."""
    prefix = f"{year}-"
    if not is_sqlite():
        sql, args = _numbered_sql(rows)
        for _ in range(2):
            taken = await built_once.fetch(
                NumberSeries, sql, municipality_id, year, prefix, request_id, *args
            )
            if taken:
                return str(taken[0]["number"])
            await _first_of_year(municipality_id, "journal", year)
        raise RuntimeError(f"request {request_id}: no journal number taken")
    number = f"{prefix}{await next_number(municipality_id, 'journal', year):06d}"
    await NumberSeries.raw(
        "UPDATE request SET journal_number = {} WHERE id = {}", number, request_id
    )
    for table, values in rows:
        await built_once.insert(table, **_with_number(values, number))
    return number


def _with_number(values: dict[str, Any], number: str) -> dict[str, Any]:
    return {
        k: v.replace(NUMBER, number) if isinstance(v, str) and NUMBER in v else v
        for k, v in values.items()
    }


_NUMBERED: dict[tuple[Any, ...], str] = {}


def _numbered_sql(rows: Sequence[Numbered]) -> tuple[str, list[Any]]:
    """The statement taking the number, storing it on the request and inserting
    ``rows`` (PostgreSQL), and its values after the first four."""
    args: list[Any] = []
    shape: list[Any] = []
    for table, values in rows:
        row_args, _ = built_once.row_of(table, values)
        marked = tuple(isinstance(a, str) and NUMBER in a for a in row_args)
        shape.append((table, marked))
        args.extend(row_args)
    key = tuple(shape)
    sql = _NUMBERED.get(key)
    if sql is None:
        parts = [
            "WITH n AS (UPDATE number_series SET last_number = last_number + 1 "
            "WHERE municipality = {} AND series = 'journal' AND year = {} "
            "RETURNING last_number), "
            "j AS (UPDATE request SET journal_number = {} || CASE WHEN n.last_number < 1000000 "
            "THEN lpad(n.last_number::text, 6, '0') ELSE n.last_number::text END "
            "FROM n WHERE request.id = {} RETURNING request.journal_number AS number)"
        ]
        for index, (table, marked) in enumerate(shape):
            columns = built_once.columns_of(table)
            names = ", ".join(f'"{c._meta.db_column_name}"' for c in columns)
            # Cast to the column's type without its length, so that a value too long
            # for the column is refused by the insert as it would be, not cut short.
            selected = ", ".join(
                (
                    f"CAST(replace(CAST({{}} AS text), '{NUMBER}', j.number) AS {_type(c)})"
                    if m
                    else f"CAST({{}} AS {_type(c)})"
                )
                for c, m in zip(columns, marked, strict=True)
            )
            parts.append(
                f', r{index} AS (INSERT INTO "{table._meta.tablename}" ({names}) '
                f"SELECT {selected} FROM j)"
            )
        parts.append(" SELECT number FROM j")
        sql = _NUMBERED[key] = "".join(parts)
    return sql, args


def _type(column: Any) -> str:
    return str(column.column_type).split("(")[0]
