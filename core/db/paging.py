"""Lists at a city's scale: counts up to a bound, page numbers near the start, a cursor
beyond (keyset pagination).

An exact ``COUNT(*)`` reads every matching row (a million requests: some 200 ms on every
call of a list), and ``OFFSET n`` reads n rows to throw them away. So a list here:

- counts its rows only up to :data:`COUNT_LIMIT`; past it the answer says "more than
  10,000" (``total_exact`` false) instead of reading the rest;
- serves ``page`` numbers only while the rows they skip stay under :data:`OFFSET_LIMIT`;
- hands out with every page but the last a cursor (``next_after``) naming the page's last
  row; ``after=<cursor>`` reads the next page straight from an index, in the list's order,
  at the same cost on any page.

A cursor is the list's name and its last row's sort key, as JSON in base64url: opaque to
clients, checked when read, so a malformed or foreign cursor is a 400 naming ``after``.
An order ends in a unique column (the id), so no row is lost or repeated between pages.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import msgspec
from piccolo.columns import Column, Date, ForeignKey, Integer, Serial, Text, Varchar
from piccolo.columns.combination import WhereRaw
from piccolo.query import Select
from piccolo.table import Table

from core.db import engine as db_engine
from core.errors import Invalid
from core.schemas import Page

T = TypeVar("T")

#: Rows counted exactly; a list with more says "more than" this.
COUNT_LIMIT = 10_000
#: Rows a page number may skip; deeper pages are read with ``after``.
OFFSET_LIMIT = 10_000
#: Rows of a list walked in order for a page whose filter the planner cannot place
#: (:func:`read`'s ``loose``), before reading all the matches instead.
WALK_LIMIT = 20_000
#: The longest cursor accepted (a name and a few sort values).
CURSOR_MAX = 600

_BAD_CURSOR = "курсор after пошкоджений / the after cursor is malformed"


#: The matches of a list read in its order from an index of their own: given the sort
#: key of the cursor's row (or ``None`` for the start) and how many, the rows after it.
InOrder = Callable[[list[Any] | None, int], Awaitable[list[dict[str, Any]]]]


@dataclass(frozen=True)
class Order:
    """A list's order: ``columns`` (the last unique, e.g. the id), all ascending or all
    descending, under the list's ``name`` (a cursor of one list is refused by another)."""

    name: str
    columns: tuple[Column, ...]
    descending: bool = False

    def __post_init__(self) -> None:
        for column in self.columns:
            _kind(column)  # a column a cursor cannot carry fails at import, not at a call

    def sort(self, query: Select) -> Select:
        for column in self.columns:
            query = query.order_by(column, ascending=not self.descending)
        return query

    def cursor(self, row: Mapping[str, Any]) -> str:
        """The cursor naming ``row`` (a selected row holding the order's columns)."""
        values = [_plain(row[column._meta.name]) for column in self.columns]
        raw = msgspec.json.encode([self.name, *values])
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    def values(self, cursor: str) -> list[Any]:
        """The sort key a cursor names, typed as the columns are; ``Invalid`` on ``after``
        when it is not a cursor of this list."""
        if not cursor or len(cursor) > CURSOR_MAX:
            raise Invalid(_BAD_CURSOR, "after")
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            decoded = msgspec.json.decode(raw)
        except (binascii.Error, ValueError, msgspec.DecodeError):
            raise Invalid(_BAD_CURSOR, "after") from None
        if (
            not isinstance(decoded, list)
            or len(decoded) != len(self.columns) + 1
            or decoded[0] != self.name
        ):
            raise Invalid(_BAD_CURSOR, "after")
        return [_typed(c, v) for c, v in zip(self.columns, decoded[1:], strict=True)]

    def after(self, cursor: str) -> WhereRaw:
        """The rows that come after the cursor's row in this order (a row-value
        comparison, which a B-tree index on the same columns serves)."""
        values = self.values(cursor)
        names = ", ".join(
            f'"{c._meta.table._meta.tablename}"."{c._meta.db_column_name}"' for c in self.columns
        )
        marks = ", ".join("{}" for _ in values)
        return WhereRaw(f"({names}) {'<' if self.descending else '>'} ({marks})", *values)


@dataclass(frozen=True)
class Slice:
    """One page of a list: its rows, the count (up to :data:`COUNT_LIMIT`), and the cursor
    of the next page (``None`` on the last)."""

    rows: list[dict[str, Any]]
    total: int
    total_exact: bool
    next_after: str | None

    def page(self, items: Sequence[T], *, page: int, page_size: int) -> Page[T]:
        return Page(
            items=list(items),
            total=self.total,
            page=page,
            page_size=page_size,
            total_exact=self.total_exact,
            next_after=self.next_after,
        )


def check_position(page: int, page_size: int, after: str | None) -> None:
    """A page number only near the start, and not together with a cursor."""
    if after is not None and page != 1:
        raise Invalid("page разом з after не задають / give page or after, not both", "page")
    if after is None and (page - 1) * page_size >= OFFSET_LIMIT:
        uk, en = f"{OFFSET_LIMIT:,}".replace(",", " "), f"{OFFSET_LIMIT:,}"
        raise Invalid(
            f"сторінка далі перших {uk} записів: гортайте з after (next_after попередньої "
            f"сторінки) / a page beyond the first {en} rows: page on with after (the "
            "previous page's next_after)",
            "page",
        )


async def count_up_to(table: type[Table], where: Any, limit: int | None = None) -> int:
    """How many rows of ``table`` match ``where``, reading at most ``limit + 1`` of them
    (:data:`COUNT_LIMIT` by default): a result above ``limit`` means "more than"."""
    limit = COUNT_LIMIT if limit is None else limit
    inner = table.select(table._meta.primary_key).where(where).limit(limit + 1)
    rows = await table.raw("SELECT COUNT(*) AS n FROM ({}) AS counted", inner.querystrings[0])
    return int(rows[0]["n"])


async def read(
    table: type[Table],
    where: Any,
    order: Order,
    *,
    page: int,
    page_size: int,
    after: str | None,
    query: Select | None = None,
    loose: Any = None,
    in_order: InOrder | None = None,
) -> Slice:
    """A page of ``table``'s rows matching ``where`` in ``order``: by number near the
    start, or after a cursor. ``query`` selects the columns (all by default); it must
    select the order's columns.

    ``loose``: ``where`` less the conditions whose matches the planner cannot place (name
    fragments on a trigram index), for plain selects. PostgreSQL then tends to walk the
    order's index expecting to meet the matches early, and reads a million rows when
    they sit at its far end (2.6 s for a surname in Ш at a million citizens). Instead:
    when the count shows few matches (up to :data:`COUNT_LIMIT`) they are read all,
    apart from the order, and sorted; when there are more, the first :data:`WALK_LIMIT`
    rows of ``loose`` in order are walked for the page, and only if they hold too few
    matches are all of them read and sorted.

    ``in_order``: where the matches have an index of their own in the order (a name
    fragment's entries, :mod:`core.workflow.citizen_search`), more than
    :data:`COUNT_LIMIT` of them are read from it instead of walked or sorted.

    Its statements are planned for their values (:func:`engine.planned_for_values`)."""
    check_position(page, page_size, after)
    async with db_engine.planned_for_values():
        counted = await count_up_to(table, where)
        select = (query if query is not None else table.select()).where(where)
        if after is not None:
            select = select.where(order.after(after))
        skip = (page - 1) * page_size if after is None else 0
        rows: list[dict[str, Any]] | None = None
        if loose is None:
            rows = await order.sort(select.offset(skip) if skip else select).limit(page_size + 1)
        else:
            if counted > COUNT_LIMIT and in_order is not None:
                got = await in_order(order.values(after) if after else None, page_size + 1 + skip)
                rows = got[skip:]
            elif counted > COUNT_LIMIT:
                rows = await _walked(table, where, loose, order, after, page_size + 1, skip)
            if rows is None:
                rows = await _sorted_apart(table, select, order, page_size + 1, skip)
        more = len(rows) > page_size
        rows = rows[:page_size]
        return Slice(
            rows=rows,
            total=min(counted, COUNT_LIMIT),
            total_exact=counted <= COUNT_LIMIT,
            next_after=order.cursor(rows[-1]) if more else None,
        )


def _keys(order: Order) -> str:
    direction = " DESC" if order.descending else ""
    return ", ".join(f'"{c._meta.db_column_name}"{direction}' for c in order.columns)


async def _sorted_apart(
    table: type[Table], select: Select, order: Order, limit: int, skip: int
) -> list[dict[str, Any]]:
    """Every row of ``select``, read apart from the order (a ``MATERIALIZED`` common
    table expression the planner cannot see through), then sorted."""
    rows: list[dict[str, Any]] = await table.raw(
        f"WITH found AS MATERIALIZED ({{}}) SELECT * FROM found ORDER BY {_keys(order)} "
        f"LIMIT {int(limit)} OFFSET {int(skip)}",
        select.querystrings[0],
    )
    return rows


async def _walked(
    table: type[Table],
    where: Any,
    loose: Any,
    order: Order,
    after: str | None,
    limit: int,
    skip: int,
) -> list[dict[str, Any]] | None:
    """The page from the first :data:`WALK_LIMIT` rows of ``loose`` in order (an index
    walk of bounded length), or ``None`` when they hold too few matches of ``where``."""
    walk = table.select().where(loose)
    if after is not None:
        walk = walk.where(order.after(after))
    walk = order.sort(walk).limit(WALK_LIMIT)
    name = table._meta.tablename
    rows: list[dict[str, Any]] = await table.raw(
        f'WITH walked AS MATERIALIZED ({{}}) SELECT * FROM walked AS "{name}" WHERE {{}} '
        f"ORDER BY {_keys(order)} LIMIT {int(limit + skip)}",
        walk.querystrings[0],
        where.querystring,
    )
    return rows[skip:] if len(rows) == limit + skip else None


def _kind(column: Column) -> type:
    if isinstance(column, Varchar | Text):
        return str
    if isinstance(column, Serial | Integer | ForeignKey):  # BigInt, SmallInt are Integers
        return int
    if isinstance(column, Date):
        return date
    raise TypeError(f"a cursor cannot carry the column {column._meta.name}")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _typed(column: Column, value: Any) -> Any:
    kind = _kind(column)
    if kind is date and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise Invalid(_BAD_CURSOR, "after") from None
    if (
        kind is int
        and isinstance(value, int)
        and not isinstance(value, bool)
        and -(2**63) <= value < 2**63
    ):
        return value
    if kind is str and isinstance(value, str) and "\x00" not in value:
        return value
    raise Invalid(_BAD_CURSOR, "after")
