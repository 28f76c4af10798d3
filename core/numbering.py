"""Numbers issued in series: a municipality's journal of requests, a plugin's register
entries or certificates. Each series counts from 1 within a year, per municipality.

The counter row is bumped by one ``UPDATE … RETURNING`` (and created first when the year
has none): the row stays locked until the caller's transaction ends, so two callers never
get the same number, and a rolled-back caller gives its number back (no gaps between
committed ones).
Call :func:`next_number` inside a write transaction
(``core.db.engine.write_transaction``); :func:`write_journaled` says when.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import uuid
import weakref
from collections.abc import Sequence
from typing import Any

from piccolo.table import Table

from core.db import built_once
from core.db.engine import current_transaction, is_sqlite, write_at_once
from core.db.tables import NumberSeries

#: Stands for the journal number in the text of rows written with it
#: (:func:`journal_number`'s ``rows``): the applicant's news quoting it, the audit row
#: recording it.
NUMBER = f"@@journal-number-{uuid.uuid4().hex}@@"

#: Stands for the id of the request in the rows written with it (its history, the news
#: linking to it, the audit row naming it): a negative id no row has, also when quoted
#: in a text.
ROW_ID = -(10**15) - uuid.uuid4().int % 10**14
_ROW_ID_TEXT = str(ROW_ID)

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


async def write_journaled(
    municipality_id: int, year: int, first: Numbered, rows: Sequence[Numbered] = ()
) -> tuple[dict[str, Any], str]:
    """Take the next journal number (``YYYY-NNNNNN``, series ``journal``) and write
    ``first`` (the request) and then ``rows`` (its history, the applicant's news, the
    audit row): :data:`NUMBER` in their values stands for the number, :data:`ROW_ID` (a
    value of its own, or in a text) for the id of ``first``. Returns the row of
    ``first`` as written (every column, its id included) and the number.

    On PostgreSQL that is one statement (data-modifying ``WITH``: the counter, then each
    row), which commits by itself when no transaction is open: the series' row is locked
    for that one statement, and parallel submissions wait for one another only over it,
    those of one process in a queue of the process rather than on the row.
    On SQLite a transaction of its own, run at once in the connection's thread
    (:func:`core.db.engine.write_at_once`). Inside a caller's transaction, its part
    of it (on SQLite statement by statement): the number is given back if it rolls
    back."""
    if any(_ROW_ID_TEXT in str(value) for value in first[1].values()):
        raise ValueError("the first row cannot quote its own id: it is not taken yet")
    prefix = f"{year}-"
    if not is_sqlite():
        sql, args, written = _journaled_sql(first, rows)
        for _ in range(2):
            given = (municipality_id, year, prefix, *args)
            if current_transaction() is None:
                # The journal's counter row is locked from the statement's first step to
                # its commit, and waiting for it is costly: each process sends its
                # submissions of one journal one at a time, so that at most one of its
                # connections waits on the row (the others queue here, at no cost to the
                # database). In a caller's transaction the row stays locked until that
                # commits, so a queue here could wait on itself: none is kept.
                async with _queue(municipality_id, year):
                    taken = await built_once.fetch(NumberSeries, sql, *given)
            else:
                taken = await built_once.fetch(NumberSeries, sql, *given)
            if taken:
                number, row_id = str(taken[0]["number"]), int(taken[0]["id"])
                key = first[0]._meta.primary_key._meta.name
                return {key: row_id, **_with(written, number, row_id)}, number
            await _first_of_year(municipality_id, "journal", year)
        raise RuntimeError("no journal number taken")
    if current_transaction() is None:
        # One hand-over to SQLite's thread for the whole transaction (see write_at_once).
        work = _SQLiteJournaled(municipality_id, year, prefix, first, rows)
        return await write_at_once(work)
    number = f"{prefix}{await next_number(municipality_id, 'journal', year):06d}"
    table, values = first
    row = await built_once.insert(table, **_with(values, number, None))
    row_id = int(row[table._meta.primary_key._meta.name])
    for table, values in rows:
        await built_once.insert(table, **_with(values, number, row_id))
    return row, number


#: The queue of each journal (municipality, year) in this process, by event loop (a
#: lock serves the loop it first waited in): :func:`write_journaled`.
_QUEUES: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[int, int], asyncio.Lock]
] = weakref.WeakKeyDictionary()


def _queue(municipality_id: int, year: int) -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    queues = _QUEUES.get(loop)
    if queues is None:
        queues = _QUEUES[loop] = {}
    key = (municipality_id, year)
    queue = queues.get(key)
    if queue is None:
        queue = queues[key] = asyncio.Lock()
    return queue


class _SQLiteJournaled:
    """:func:`write_journaled` on SQLite as one function run in the connection's thread:
    the rows' values are prepared before (defaults, conversions), the markers replaced
    there."""

    def __init__(
        self,
        municipality_id: int,
        year: int,
        prefix: str,
        first: Numbered,
        rows: Sequence[Numbered],
    ) -> None:
        self.key = (municipality_id, "journal", year)
        self.prefix = prefix
        self.first = first[0]
        self.prepared = [
            (built_once.insert_sql(table).replace("{}", "?"), *built_once.row_of(table, values))
            for table, values in (first, *rows)
        ]

    def __call__(self, connection: sqlite3.Connection) -> tuple[dict[str, Any], str]:
        number = self.prefix + f"{self._next(connection):06d}"
        row_id: int | None = None
        written: dict[str, Any] = {}
        for sql, args, row in self.prepared:
            values = [_marked(value, number, row_id) for value in args]
            rows = connection.execute(sql, values).fetchall()
            if row_id is None:
                key = self.first._meta.primary_key._meta.name
                row_id = int(next(iter(rows[0].values())))
                written = {key: row_id, **_with(row, number, None)}
        return written, number

    def _next(self, connection: sqlite3.Connection) -> int:
        for _ in range(2):
            taken = connection.execute(
                "UPDATE number_series SET last_number = last_number + 1 "
                "WHERE municipality = ? AND series = ? AND year = ? RETURNING last_number",
                self.key,
            ).fetchall()
            if taken:
                return int(next(iter(taken[0].values())))
            connection.execute(
                "INSERT INTO number_series (municipality, series, year, last_number) "
                "VALUES (?, ?, ?, 0) ON CONFLICT (municipality, series, year) DO NOTHING",
                self.key,
            )
        raise RuntimeError("no journal number taken")


def _with(values: dict[str, Any], number: str, row_id: int | None) -> dict[str, Any]:
    """``values`` with the number and the row's id in place of their markers."""
    return {key: _marked(value, number, row_id) for key, value in values.items()}


def _marked(value: Any, number: str, row_id: int | None) -> Any:
    if value == ROW_ID and row_id is not None:
        return row_id
    if isinstance(value, str):
        value = value.replace(NUMBER, number)
        if row_id is not None:
            value = value.replace(_ROW_ID_TEXT, str(row_id))
    return value


_JOURNALED: dict[tuple[Any, ...], str] = {}

#: The number as the counter row gives it: ``YYYY-`` and six digits at least.
_FORMATTED = (
    "CAST({} AS text) || CASE WHEN last_number < 1000000 "
    "THEN lpad(last_number::text, 6, '0') ELSE last_number::text END"
)


def _journaled_sql(
    first: Numbered, rows: Sequence[Numbered]
) -> tuple[str, list[Any], dict[str, Any]]:
    """The statement of :func:`write_journaled` (PostgreSQL), its values after the first
    three, and the row of ``first`` as given (markers in place)."""
    args: list[Any] = []
    shape: list[Any] = []
    written: dict[str, Any] = {}
    for index, (table, values) in enumerate((first, *rows)):
        row_args, row = built_once.row_of(table, values)
        if index == 0:
            written = row
        kinds = tuple(_kind(a) for a in row_args)
        shape.append((table, kinds))
        args.extend(a for a, k in zip(row_args, kinds, strict=True) if k in ("value", "text"))
    key = tuple(shape)
    sql = _JOURNALED.get(key)
    if sql is None:
        (table, kinds), *others = shape
        parts = [
            "WITH n AS (UPDATE number_series SET last_number = last_number + 1 "
            "WHERE municipality = {} AND series = 'journal' AND year = {} "
            f"RETURNING {_FORMATTED} AS number), "
            f"f AS ({_insert(table, kinds, 'n')} "
            f'RETURNING "{table._meta.primary_key._meta.db_column_name}" AS id)'
        ]
        for index, (table, kinds) in enumerate(others):
            parts.append(f", r{index} AS ({_insert(table, kinds, 'n, f')})")
        parts.append(" SELECT n.number, f.id FROM n, f")
        sql = _JOURNALED[key] = "".join(parts)
    return sql, args, written


def _kind(value: Any) -> str:
    """How a value is written: the number or the row's id itself, a text quoting
    either, or a value as it is."""
    if value == NUMBER:
        return "number"
    if value == ROW_ID:
        return "id"
    if isinstance(value, str) and (NUMBER in value or _ROW_ID_TEXT in value):
        return "text"
    return "value"


def _insert(table: type[Table], kinds: tuple[str, ...], source: str) -> str:
    columns = built_once.columns_of(table)
    names = ", ".join(f'"{c._meta.db_column_name}"' for c in columns)
    # Cast to the column's type without its length, so that a value too long for the
    # column is refused by the insert as it would be, not cut short.
    chosen = {
        "number": "n.number",
        "id": "f.id",
        "text": f"replace(CAST({{}} AS text), '{NUMBER}', n.number)",
        "value": "{}",
    }
    if "f" in source:  # a row after the first: the first's id is known
        chosen["text"] = f"replace({chosen['text']}, '{ROW_ID}', CAST(f.id AS text))"
    selected = ", ".join(
        f"CAST({chosen[kind]} AS {_type(c)})" for c, kind in zip(columns, kinds, strict=True)
    )
    return f'INSERT INTO "{table._meta.tablename}" ({names}) SELECT {selected} FROM {source}'


def _type(column: Any) -> str:
    return str(column.column_type).split("(")[0]
