"""Applications: of the requests received in the period, how many were decided,
approved, refused (by ground), withdrawn and are still open; grouped by service, office,
channel, settlement or provider."""

from __future__ import annotations

import msgspec

from core.reports.common import Dimension, Filters, Where, raw, request_filters, request_group


class ApplicationsRow(msgspec.Struct, kw_only=True):
    key: str
    label: str
    received: int = 0
    decided: int = 0
    approved: int = 0
    refused: int = 0
    withdrawn: int = 0
    open: int = 0


class GroundRow(msgspec.Struct, kw_only=True):
    ground: str
    count: int


class ApplicationsReport(msgspec.Struct, kw_only=True):
    by: Dimension
    rows: list[ApplicationsRow]
    totals: ApplicationsRow
    grounds: list[GroundRow]


def _cohort(municipality_id: int, f: Filters) -> Where:
    where = Where().add("r.municipality = {}", municipality_id)
    where.add("r.received_on >= {}", f.start).add("r.received_on <= {}", f.end)
    return request_filters(where, f)


async def applications(
    municipality_id: int, f: Filters, by: Dimension = "service"
) -> ApplicationsReport:
    f.check()
    key, label, joins, join_values = request_group(by, municipality_id)
    where = _cohort(municipality_id, f)
    rows = await raw(
        f"SELECT {key} AS k, MIN({label}) AS label, COUNT(*) AS received, "
        "SUM(CASE WHEN r.decided_at IS NOT NULL THEN 1 ELSE 0 END) AS decided, "
        "SUM(CASE WHEN r.decided_at IS NOT NULL AND r.status <> 'refused' THEN 1 ELSE 0 END) "
        "AS approved, "
        "SUM(CASE WHEN r.status = 'refused' THEN 1 ELSE 0 END) AS refused, "
        "SUM(CASE WHEN r.status = 'withdrawn' THEN 1 ELSE 0 END) AS withdrawn, "
        "SUM(CASE WHEN r.status = 'submitted' THEN 1 ELSE 0 END) AS still_open "
        f"FROM request r {joins} WHERE {where.sql()} GROUP BY {key} ORDER BY {key}",
        [*join_values, *where.values],
    )
    out = [
        ApplicationsRow(
            key=str(r["k"]),
            label=str(r["label"] or ""),
            received=int(r["received"]),
            decided=int(r["decided"] or 0),
            approved=int(r["approved"] or 0),
            refused=int(r["refused"] or 0),
            withdrawn=int(r["withdrawn"] or 0),
            open=int(r["still_open"] or 0),
        )
        for r in rows
    ]
    totals = ApplicationsRow(key="", label="")
    for row in out:
        for field in ("received", "decided", "approved", "refused", "withdrawn", "open"):
            setattr(totals, field, getattr(totals, field) + getattr(row, field))
    where = _cohort(municipality_id, f).add("r.status = 'refused'")
    grounds = await raw(
        "SELECT COALESCE(r.refusal_ground, '') AS ground, COUNT(*) AS n FROM request r "
        f"WHERE {where.sql()} GROUP BY COALESCE(r.refusal_ground, '') ORDER BY n DESC, ground",
        where.values,
    )
    return ApplicationsReport(
        by=by,
        rows=out,
        totals=totals,
        grounds=[GroundRow(ground=str(g["ground"]), count=int(g["n"])) for g in grounds],
    )
