"""Exports made by a job: a report's tables or a month's payment register as XLSX or CSV,
computed outside the request that asked for it, kept in the database (``export_file``)
for ``export_keep_days`` and downloaded from the desk by the users of the municipality who
may read the report or the register. See docs/jobs.md.

:class:`ExportArgs` are the job's arguments; :func:`export_key` makes one active export
per user and arguments (starting the same export while it runs gives the running one).
"""

from __future__ import annotations

import hashlib
from typing import Literal

import msgspec

from core.reports.common import Filters
from core.validators import Month

ExportKind = Literal["report", "register"]
ExportFormat = Literal["xlsx", "csv"]

#: Who may start and download an export of each kind: the report pages' and the
#: register's own access (``core.web.report_pages``, ``GET /api/registers/payments``).
READERS: dict[str, tuple[str, ...]] = {
    "report": ("admin", "auditor", "accountant"),
    "register": ("admin", "accountant", "auditor"),
}


class ReportExport(msgspec.Struct, frozen=True, kw_only=True, tag="report", tag_field="kind"):
    """A report of ``core.web.report_tables.NAMES`` with its grouping and filters."""

    name: str
    by: str
    filters: Filters


class RegisterExport(msgspec.Struct, frozen=True, kw_only=True, tag="register", tag_field="kind"):
    """The payment register of a month (``YYYY-MM``)."""

    period: Month


class ExportArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    what: ReportExport | RegisterExport
    format: ExportFormat
    #: The language of the file's headings (the page's language when it was asked for).
    lang: Literal["uk", "en"] = "uk"

    @property
    def kind(self) -> ExportKind:
        return "register" if isinstance(self.what, RegisterExport) else "report"


def export_key(municipality_id: int, user_id: int, args: ExportArgs) -> str:
    """One active export per municipality, user and arguments."""
    digest = hashlib.sha256(msgspec.json.encode(args)).hexdigest()[:40]
    return f"exports.build:{municipality_id}:{user_id}:{digest}"


__all__ = ["READERS", "ExportArgs", "RegisterExport", "ReportExport", "export_key"]
