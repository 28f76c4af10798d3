"""Hot reads whose SQL is built once per process instead of on every call.

Piccolo builds a query's SQL anew each time it runs, and for a table's every column that
costs more of the event loop than the statement costs the database (measured 2026-12-01
on this project's 2-core machine: a request's ``SELECT`` of every column 0.7 ms, a
citizen's 0.6 ms, the session joined with its user and municipality 1.2 ms, each only
to build the text). The reads that every request or every submission runs take their
SQL from here: built by Piccolo once, kept, and run with new values through
``Table.raw``. Their rows are what Piccolo's ``select`` gives (the same keys and types,
on both engines: tests/db/test_built_once.py).
"""

from __future__ import annotations

from typing import Any

from piccolo.query.base import Query
from piccolo.table import Table

_ALL: dict[type[Table], str] = {}
_SQL: dict[str, str] = {}

#: A value Piccolo writes into the SQL it builds, replaced by a placeholder.
MARK = "@@value@@"


def select_all(table: type[Table]) -> str:
    """``SELECT`` of every column of ``table`` (as ``table.select()``), without a ``WHERE``."""
    sql = _ALL.get(table)
    if sql is None:
        sql = _ALL[table] = str(table.select().querystrings[0])
    return sql


async def first_where(table: type[Table], where: str, *values: Any) -> dict[str, Any] | None:
    """The first row of ``table`` (every column) matching ``where``: SQL with ``{}`` for
    each of ``values`` and columns written as ``"table"."column"``."""
    rows = await table.raw(f"{select_all(table)} WHERE {where} LIMIT 1", *values)
    return rows[0] if rows else None


def sql_of(name: str, build: Any) -> str:
    """The SQL of the query ``build()`` makes, built on the first call: every value
    given as :data:`MARK` in it becomes a ``{}`` placeholder for ``Table.raw``."""
    sql = _SQL.get(name)
    if sql is None:
        query: Query[Any, Any] = build()
        text = str(query.querystrings[0])
        assert f"'{MARK}'" in text, text
        sql = _SQL[name] = text.replace(f"'{MARK}'", "{}")
    return sql
