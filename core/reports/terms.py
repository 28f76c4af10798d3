"""Terms met: of the requests received in the period and decided, the share decided by
the due date the service's card set, the median and 90th-percentile days from receipt to
decision (nearest rank: the smallest value with at least half, or nine tenths, of the
decisions at or below it), and the list of overdue requests (decided late, or still open
past their due date today)."""

from __future__ import annotations

from datetime import date

import msgspec

from core import clock
from core.reports.common import (
    Dimension,
    Filters,
    Where,
    date_param,
    days_between_sql,
    local_day_sql,
    raw,
    request_filters,
    request_group,
    share,
)

#: The overdue list shows at most this many requests (the earliest due first).
OVERDUE_LIMIT = 500


class TermsRow(msgspec.Struct, kw_only=True):
    key: str
    label: str
    decided: int = 0
    on_time: int = 0
    on_time_share: float = 0.0
    median_days: int | None = None
    p90_days: int | None = None
    open_overdue: int = 0


class OverdueRow(msgspec.Struct, kw_only=True):
    request_id: int
    journal_number: str
    service_code: str
    received_on: date
    due_date: date
    decided_on: date | None
    days_late: int


class TermsReport(msgspec.Struct, kw_only=True):
    by: Dimension
    rows: list[TermsRow]
    totals: TermsRow
    overdue: list[OverdueRow]
    overdue_count: int


def _cohort(municipality_id: int, f: Filters) -> Where:
    where = Where().add("r.municipality = {}", municipality_id)
    where.add("r.received_on >= {}", f.start).add("r.received_on <= {}", f.end)
    return request_filters(where, f)


async def _figures(
    municipality_id: int, f: Filters, key: str, label: str, joins: str, join_values: list[object]
) -> list[TermsRow]:
    where = _cohort(municipality_id, f)
    decided_on = local_day_sql("r.decided_at")
    today = clock.today()
    rows = await raw(
        f"WITH d AS (SELECT {key} AS k, {label} AS label, "
        f"CASE WHEN r.decided_at IS NULL THEN NULL "
        f"ELSE {days_between_sql(decided_on, 'r.received_on')} END AS days, "
        f"CASE WHEN r.decided_at IS NOT NULL AND {decided_on} <= r.due_date THEN 1 ELSE 0 END "
        "AS on_time, "
        "CASE WHEN r.status = 'submitted' AND r.due_date < {} THEN 1 ELSE 0 END AS late_open "
        f"FROM request r {joins} WHERE {where.sql()} AND (r.decided_at IS NOT NULL "
        "OR r.status = 'submitted')), "
        "m AS (SELECT k, label, days, on_time, late_open, "
        "ROW_NUMBER() OVER (PARTITION BY k, days IS NULL ORDER BY days) AS rn, "
        "COUNT(*) OVER (PARTITION BY k, days IS NULL) AS n FROM d) "
        "SELECT k, MIN(label) AS label, "
        "SUM(CASE WHEN days IS NOT NULL THEN 1 ELSE 0 END) AS decided, "
        "SUM(on_time) AS on_time, SUM(late_open) AS late_open, "
        "MIN(CASE WHEN days IS NOT NULL AND rn >= 0.5 * n THEN days END) AS median, "
        "MIN(CASE WHEN days IS NOT NULL AND rn >= 0.9 * n THEN days END) AS p90 "
        "FROM m GROUP BY k ORDER BY k",
        [today, *join_values, *where.values],
    )
    return [
        TermsRow(
            key=str(r["k"]),
            label=str(r["label"] or ""),
            decided=int(r["decided"] or 0),
            on_time=int(r["on_time"] or 0),
            on_time_share=share(int(r["on_time"] or 0), int(r["decided"] or 0)),
            median_days=None if r["median"] is None else int(r["median"]),
            p90_days=None if r["p90"] is None else int(r["p90"]),
            open_overdue=int(r["late_open"] or 0),
        )
        for r in rows
    ]


async def terms(municipality_id: int, f: Filters, by: Dimension = "service") -> TermsReport:
    f.check()
    key, label, joins, join_values = request_group(by, municipality_id)
    rows = await _figures(municipality_id, f, key, label, joins, join_values)
    whole = await _figures(municipality_id, f, "''", "''", "", [])
    totals = whole[0] if whole else TermsRow(key="", label="")
    decided_on = local_day_sql("r.decided_at")
    today = clock.today()
    where = _cohort(municipality_id, f).add(
        f"((r.status = 'submitted' AND r.due_date < {{}}) OR "
        f"(r.decided_at IS NOT NULL AND {decided_on} > r.due_date))",
        today,
    )
    late = (
        f"CASE WHEN r.decided_at IS NULL THEN {days_between_sql(date_param(), 'r.due_date')} "
        + (f"ELSE {days_between_sql(decided_on, 'r.due_date')} END")
    )
    listed = await raw(
        "SELECT r.id, r.journal_number, r.service_code, r.received_on, r.due_date, "
        f"CASE WHEN r.decided_at IS NULL THEN NULL ELSE {decided_on} END AS decided_on, "
        f"{late} AS days_late, COUNT(*) OVER () AS total "
        f"FROM request r WHERE {where.sql()} ORDER BY r.due_date, r.id LIMIT {OVERDUE_LIMIT}",
        [today, *where.values],
    )
    return TermsReport(
        by=by,
        rows=rows,
        totals=totals,
        overdue=[
            OverdueRow(
                request_id=int(r["id"]),
                journal_number=str(r["journal_number"]),
                service_code=str(r["service_code"]),
                received_on=_day(r["received_on"]),
                due_date=_day(r["due_date"]),
                decided_on=None if r["decided_on"] is None else _day(r["decided_on"]),
                days_late=int(r["days_late"]),
            )
            for r in listed
        ],
        overdue_count=int(listed[0]["total"]) if listed else 0,
    )


def _day(value: object) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
