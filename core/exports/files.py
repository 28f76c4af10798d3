"""The content of an export: the same XLSX and CSV the direct downloads answer (the
report page's ``?format=`` and ``GET /api/registers/payments?format=``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.actor import Actor
from core.exports import ExportArgs, RegisterExport
from core.reports.sheets import to_csv, to_xlsx
from core.web.report_tables import sheets_of
from core.workflow.market import papers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Built:
    filename: str
    content_type: str
    content: bytes
    #: The citizens the file names (a register's payees).
    citizen_ids: list[int] = field(default_factory=list)


async def build(platform: Any, actor: Actor, args: ExportArgs) -> Built:
    """Compute the file the arguments describe, in the actor's municipality."""
    what = args.what
    if isinstance(what, RegisterExport):
        rows = await papers.register(platform, actor, what.period)
        people = sorted({r.citizen_id for r in rows if r.citizen_id is not None})
        name = f"register-{what.period}.{args.format}"
        if args.format == "xlsx":
            return Built(name, XLSX, papers.register_xlsx(rows, what.period), people)
        return Built(name, CSV, papers.register_csv(rows), people)
    sheets, _ = await sheets_of(platform, actor, what.name, what.filters, what.by, args.lang)
    stem = f"{what.name}-{what.filters.start.isoformat()}-{what.filters.end.isoformat()}"
    if args.format == "xlsx":
        return Built(f"{stem}.xlsx", XLSX, to_xlsx(sheets))
    return Built(f"{stem}.csv", CSV, to_csv(sheets[0]))
