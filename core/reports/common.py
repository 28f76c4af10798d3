"""What every report shares: the period and filters, the two engines' SQL dialects, and
the nearest-rank percentile written with window functions both engines have.

A report is computed in SQL over the whole period (grouped counts and sums, never rows
loaded into Python); the parameters are bound, never formatted into the text, and the
only names formatted in are chosen from fixed tables here.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import msgspec
from piccolo.table import Table

from core.db.tables import Request
from core.errors import Invalid

Dimension = Literal["service", "office", "channel", "settlement", "provider"]
DIMENSIONS: tuple[Dimension, ...] = ("service", "office", "channel", "settlement", "provider")
#: A report's period may cover at most this many days (a little over two years).
MAX_DAYS = 800


class Filters(msgspec.Struct, frozen=True, kw_only=True):
    """The period (both days included) and the optional filters of a report."""

    start: date
    end: date
    service_code: str | None = None
    office_id: int | None = None
    channel: str | None = None
    settlement: str | None = None
    provider_id: int | None = None

    def check(self) -> Filters:
        if self.end < self.start:
            raise Invalid(
                "кінець періоду раніше за початок / the period ends before it starts", "end"
            )
        if (self.end - self.start).days > MAX_DAYS:
            raise Invalid("задовгий період / the period is too long", "end")
        return self


def postgres(table: type[Table] = Request) -> bool:
    return str(getattr(table._meta.db, "engine_type", "")) == "postgres"


def settlement_sql(alias: str = "r") -> str:
    """The applicant's settlement frozen on the request."""
    if postgres():
        return f"({alias}.applicant_snapshot::jsonb ->> 'settlement')"
    return f"json_extract({alias}.applicant_snapshot, '$.settlement')"


def local_day_sql(column: str) -> str:
    """The calendar day (Europe/Kyiv) of a timestamp. SQLite has no time zones: it adds
    three hours from April to October and two otherwise (off by at most a day around the
    last Sundays of March and October, before 04:00)."""
    if postgres():
        return f"CAST(({column} AT TIME ZONE 'Europe/Kyiv') AS date)"
    return (
        f"date({column}, CASE WHEN CAST(strftime('%m', {column}) AS INTEGER) BETWEEN 4 AND 10 "
        "THEN '+3 hours' ELSE '+2 hours' END)"
    )


def days_between_sql(later: str, earlier: str) -> str:
    """Whole days from one date expression to another."""
    if postgres():
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def date_param() -> str:
    """A bound date where the engine cannot infer its type from a column."""
    return "CAST({} AS DATE)" if postgres() else "{}"


def month_sql(column: str) -> str:
    """``YYYY-MM`` of a date column."""
    if postgres():
        return f"to_char({column}, 'YYYY-MM')"
    return f"strftime('%Y-%m', {column})"


class Where:
    """A WHERE clause built of fixed SQL pieces and bound values (``{}`` placeholders,
    as Piccolo's ``raw`` wants them)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.values: list[Any] = []

    def add(self, sql: str, *values: Any) -> Where:
        self.parts.append(sql)
        self.values.extend(values)
        return self

    def sql(self) -> str:
        return " AND ".join(self.parts) if self.parts else "TRUE"


def request_filters(where: Where, f: Filters, alias: str = "r", provider: bool = True) -> Where:
    """The filters that apply to a request (service, office, channel, settlement, and the
    provider it was assigned to)."""
    if f.service_code:
        where.add(f"{alias}.service_code = {{}}", f.service_code)
    if f.office_id is not None:
        where.add(f"{alias}.office = {{}}", f.office_id)
    if f.channel:
        where.add(f"{alias}.channel = {{}}", f.channel)
    if f.settlement:
        where.add(f"{settlement_sql(alias)} = {{}}", f.settlement)
    if provider and f.provider_id is not None:
        where.add(
            "EXISTS (SELECT 1 FROM assignment a JOIN contract c ON c.id = a.contract "
            f"WHERE a.request = {alias}.id AND c.provider = {{}})",
            f.provider_id,
        )
    return where


def share(part: int, whole: int) -> float:
    """A percentage with one decimal, 0 when there is nothing to divide."""
    return round(part * 100 / whole, 1) if whole else 0.0


async def raw(sql: str, values: list[Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Request.raw(sql, *values)
    return rows


def request_group(
    dim: Dimension, municipality_id: int, alias: str = "r"
) -> tuple[str, str, str, list[Any]]:
    """The key and label expressions of a requests' grouping, the joins they need and the
    joins' bound values. Requests not (yet) assigned to a provider group under ``''``."""
    if dim == "service":
        return f"{alias}.service_code", f"{alias}.service_code", "", []
    if dim == "channel":
        return f"{alias}.channel", f"{alias}.channel", "", []
    if dim == "settlement":
        expr = f"COALESCE({settlement_sql(alias)}, '')"
        return expr, expr, "", []
    if dim == "office":
        return (
            f"COALESCE(CAST({alias}.office AS TEXT), '')",
            "COALESCE(o.name, '')",
            f"LEFT JOIN office o ON o.id = {alias}.office",
            [],
        )
    return (
        "COALESCE(CAST(ap.provider AS TEXT), '')",
        "COALESCE(pv.name, '')",
        "LEFT JOIN (SELECT a.request, MIN(c.provider) AS provider FROM assignment a "
        "JOIN contract c ON c.id = a.contract WHERE a.municipality = {} GROUP BY a.request) ap "
        f"ON ap.request = {alias}.id LEFT JOIN provider pv ON pv.id = ap.provider",
        [municipality_id],
    )
