"""Hot reads whose SQL is built once per process instead of on every call.

Piccolo builds a query's SQL anew each time it runs, and for a table's every column that
costs more of the event loop than the statement costs the database (measured 2026-12-01
on this project's 2-core machine: a request's ``SELECT`` of every column 0.7 ms, a
citizen's 0.6 ms, the session joined with its user and municipality 1.2 ms, each only
to build the text). The reads that every request or every submission runs take their
SQL from here: built by Piccolo once, kept, and run with new values through
``Table.raw``. Their rows are what Piccolo's ``select`` gives (the same keys and types,
on both engines: tests/db/test_built_once.py).

They run through :func:`fetch`, which on PostgreSQL hands the statement, its
placeholders numbered once, straight to the connection (the transaction's, or one from
the pool) instead of through Piccolo's ``raw``, which parses the text anew on every call.

The rows a submission writes (the request, its history, the audit row, the message) go
through :func:`insert` for the same reason: Piccolo builds a row's ``INSERT`` (every
column's value converted, the text put together) on every save, which cost more than
running it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from piccolo.columns import JSON, JSONB, Column
from piccolo.columns.defaults.base import Default
from piccolo.engine.postgres import PostgresEngine
from piccolo.query.base import Query
from piccolo.table import Table
from piccolo.utils.sql_values import convert_to_sql_value

_ALL: dict[type[Table], str] = {}
_SQL: dict[str, str] = {}
_INSERT: dict[type[Table], tuple[str, tuple[Column, ...]]] = {}
#: The names of :data:`_INSERT`'s columns and their fixed defaults (:func:`_layout`).
_NAMES: dict[type[Table], tuple[tuple[str, ...], tuple[Any, ...], tuple[bool, ...]]] = {}
_NUMBERED: dict[str, str] = {}

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
    rows = await fetch(table, f"{select_all(table)} WHERE {where} LIMIT 1", *values)
    return rows[0] if rows else None


def _numbered(sql: str) -> str:
    """``sql`` with its ``{}`` placeholders numbered for asyncpg (``$1``, ``$2``...)."""
    numbered = _NUMBERED.get(sql)
    if numbered is None:
        head, *rest = sql.split("{}")
        numbered = _NUMBERED[sql] = head + "".join(
            f"${index}{piece}" for index, piece in enumerate(rest, 1)
        )
    return numbered


async def fetch(table: type[Table], sql: str, *values: Any) -> list[dict[str, Any]]:
    """The rows of ``sql`` (``{}`` for each of ``values``), as ``table.raw(sql, *values)``
    gives them: on the transaction's connection when one is open, else on a pooled one
    (PostgreSQL); through Piccolo's ``raw`` on SQLite, whose engine lends its kept
    connections and converts the values it reads, and without a pool (a command that
    opens a connection per statement)."""
    db = table._meta.db
    transaction = db.current_transaction.get()
    if not isinstance(db, PostgresEngine) or (transaction is None and db.pool is None):
        rows: list[dict[str, Any]] = await table.raw(sql, *values)
        return rows
    if transaction is not None:
        records = await transaction.connection.fetch(_numbered(sql), *values)
    else:
        pool: Any = db.pool
        async with pool.acquire() as connection:
            records = await connection.fetch(_numbered(sql), *values)
    return [dict(record) for record in records]


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


def _insert_of(table: type[Table]) -> tuple[str, tuple[Column, ...]]:
    kept = _INSERT.get(table)
    if kept is None:
        columns = tuple(c for c in table._meta.columns if not c._meta.primary_key)
        names = ", ".join(f'"{c._meta.db_column_name}"' for c in columns)
        marks = ", ".join("{}" for _ in columns)
        key = table._meta.primary_key._meta.db_column_name
        sql = f'INSERT INTO "{table._meta.tablename}" ({names}) VALUES ({marks}) RETURNING "{key}"'
        kept = _INSERT[table] = (sql, columns)
    return kept


#: Values passed to the driver as they are (anything else goes through Piccolo's
#: conversion: a row for its key, an enum for its value, a dict for JSON text).
_PLAIN = (str, int, type(None))
#: Values passed as they are too, but for a JSON column (which Piccolo encodes them for).
_PLAIN_BUT_JSON = (bool, float, Decimal, date, datetime)


def _fixed_default(column: Column) -> Any:
    """The column's default when it is the same plain value every time (no default is
    ``None``), else ``...``: computed for each row (a time, a mutable value)."""
    default = getattr(column, "default", ...)
    if default is ...:
        return None
    if isinstance(default, Enum):
        default = default.value
    if isinstance(default, _PLAIN) and not callable(default):
        return default
    return ...


def _layout(table: type[Table]) -> tuple[tuple[str, ...], tuple[Any, ...], tuple[bool, ...]]:
    """The names of :func:`row_of`'s columns, their fixed defaults and whether each is
    JSON (a foreign key's attributes are slow to read, so they are read once)."""
    kept = _NAMES.get(table)
    if kept is None:
        columns = _insert_of(table)[1]
        names = tuple(c._meta.name for c in columns)
        json = tuple(isinstance(c, JSON | JSONB) for c in columns)
        kept = _NAMES[table] = (names, tuple(_fixed_default(c) for c in columns), json)
    return kept


def row_of(table: type[Table], values: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """The values of a new row of ``table``, as ``table(**values)`` would save them: every
    column but the primary key, in the table's order, those not given with their
    defaults (computed now), each converted for the driver; and the row by column name."""
    _, columns = _insert_of(table)
    names, fixed, json = _layout(table)
    values = dict(values)
    args = []
    row: dict[str, Any] = {}
    for name, column, default, is_json in zip(names, columns, fixed, json, strict=True):
        value = values.pop(name, ...)
        if value is ...:
            if default is not ...:
                row[name] = default
                args.append(default)
                continue
            value = column.get_default_value()
            if isinstance(value, Default):
                value = value.python()
        if not isinstance(value, _PLAIN) and (is_json or not isinstance(value, _PLAIN_BUT_JSON)):
            value = convert_to_sql_value(value, column)
        row[name] = value
        args.append(value)
    if values:
        raise TypeError(f"{table.__name__} has no column {', '.join(values)}")
    return args, row


def insert_sql(table: type[Table]) -> str:
    """The ``INSERT`` of :func:`insert` (``{}`` for each of :func:`row_of`'s values),
    returning the new primary key."""
    return _insert_of(table)[0]


def columns_of(table: type[Table]) -> tuple[Column, ...]:
    """The columns :func:`row_of` gives values for, in its order."""
    return _insert_of(table)[1]


async def insert(table: type[Table], **values: Any) -> dict[str, Any]:
    """Insert one row of ``table``, as ``table(**values).save()`` would (columns not given
    take their defaults, computed now), and return it: every column by name, the new
    primary key included, as a ``select`` of the row would give it."""
    sql, _ = _insert_of(table)
    args, row = row_of(table, values)
    written = await fetch(table, sql, *args)
    key = table._meta.primary_key._meta.name
    return {key: written[0][table._meta.primary_key._meta.db_column_name], **row}
