"""The reports a department head signs: ``/desk/reports`` (this month's headline
figures) and ``/desk/reports/<name>`` (a period, a grouping and filters by GET; a chart,
the tables, and the same tables as XLSX or CSV). The page's download buttons start an
export job (:mod:`core.web.export_pages`); ``?format=xlsx|csv`` still answers the file
within the request.

The admin (the department head), the auditor and the accountant read them; the figures
come from :mod:`core.reports`, computed in SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any

from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template
from markupsafe import Markup

from core import clock
from core.api.access import roles
from core.errors import DomainError
from core.reports import applications as applications_report
from core.reports import money as money_report
from core.reports import satisfaction as satisfaction_report
from core.reports import terms as terms_report
from core.reports.common import DIMENSIONS, Filters
from core.reports.sheets import Cell, Sheet, bar_chart, to_csv, to_xlsx
from core.web.formats import day, money
from core.web.layout import page, page_lang, signed_in
from core.web.report_tables import NAMES, labels_of, pct, sheets_of
from core.web.report_texts import report_texts
from core.workflow.market.units import from_kopiyky

REPORT_ROLES = roles("admin", "auditor", "accountant")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Small = Annotated[str, QueryParameter(max_length=40)]


def month_of(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)


def _shown(cell: Cell, lang: str) -> str:
    if cell is None:
        return "—"
    if isinstance(cell, date):
        return day(cell, lang)
    if isinstance(cell, Decimal) and cell.as_tuple().exponent == -2:
        return money(cell, lang)
    if isinstance(cell, float):
        return f"{cell:.1f}"
    return str(cell)


def _parse(raw: str, fallback: date, errors: dict[str, str], field: str, lang: str) -> date:
    if not raw:
        return fallback
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[field] = report_texts(lang)["field_date"]
        return fallback


def read_filters(values: Mapping[str, str], lang: str) -> tuple[Filters, dict[str, str]]:
    """The period (this month by default) and filters from the form's fields, and the
    fields in error. The page and its export (:mod:`core.web.export_pages`) read them
    alike, so the file holds what the page shows."""
    errors: dict[str, str] = {}
    first, last = month_of(clock.today())
    office = values.get("office", "")
    provider = values.get("provider", "")
    f = Filters(
        start=_parse(values.get("start", ""), first, errors, "start", lang),
        end=_parse(values.get("end", ""), last, errors, "end", lang),
        service_code=values.get("service") or None,
        office_id=int(office) if office.isdigit() else None,
        channel=values.get("channel") or None,
        settlement=values.get("settlement") or None,
        provider_id=int(provider) if provider.isdigit() else None,
    )
    return f, errors


def groupings_of(name: str) -> tuple[str, ...]:
    return money_report.MONEY_BY if name == "money" else DIMENSIONS


def grouping(name: str, by: str) -> str:
    """The report's grouping: the one asked for if the report has it, else its first."""
    groupings = groupings_of(name)
    return by if by in groupings else groupings[0]


@get("/desk/reports", opt=REPORT_ROLES, include_in_schema=False)
async def index(request: HTMXRequest) -> Template:
    """This month's headline figures and the list of reports."""
    actor = signed_in(request)
    lang = page_lang(request)
    r = report_texts(lang)
    first, last = month_of(clock.today())
    month = Filters(start=first, end=last)
    apps = await applications_report.applications(actor.municipality_id, month)
    terms = await terms_report.terms(actor.municipality_id, month)
    year = Filters(start=date(first.year, 1, 1), end=date(first.year, 12, 31))
    spent = await money_report.spending(actor.municipality_id, year, "budget_line")
    month_sums = await money_report.sums(actor.municipality_id, month, "month")
    spent_month = sum(int(m["approved"] or 0) + int(m["paid"] or 0) for m in month_sums)
    rated = await satisfaction_report.summary(actor.municipality_id, first, last)
    names = {
        s.code: s.card.title.get(lang) for s in request.app.state.platform.host.services.values()
    }
    return await page(
        request,
        "desk/reports_index.html",
        title=r["reports"],
        context={
            "r": r,
            "month": f"{first:%Y-%m}",
            "received": apps.totals.received,
            "terms_share": pct(terms.totals.on_time_share),
            "decided": terms.totals.decided,
            "on_time": terms.totals.on_time,
            "spent": money(spent.totals.total, lang),
            "allocation": money(spent.totals.allocation or Decimal(0), lang),
            "used_share": pct(spent.totals.used_share),
            "spent_month": money(from_kopiyky(spent_month), lang),
            "rated": rated.totals,
            "rated_by_service": [
                (names.get(row.key, row.key) or r["office_visit"], row) for row in rated.rows
            ],
            "reports": [(n, r[f"report_{n}"], r[f"about_{n}"]) for n in NAMES],
            "quality": actor.role in ("admin", "auditor"),
            "start": first.isoformat(),
            "end": last.isoformat(),
        },
    )


@get("/desk/reports/{name:str}", opt=REPORT_ROLES, include_in_schema=False)
async def report(
    request: HTMXRequest,
    name: FromPath[str],
    start: Small = "",
    end: Small = "",
    by: Small = "",
    service: Annotated[str, QueryParameter(max_length=128)] = "",
    office: Small = "",
    channel: Small = "",
    settlement: Annotated[str, QueryParameter(max_length=128)] = "",
    provider: Small = "",
    format: Small = "html",
) -> Response[Any]:
    if name not in NAMES:
        raise NotFoundException()
    actor = signed_in(request)
    lang = page_lang(request)
    r = report_texts(lang)
    f, errors = read_filters(
        {
            "start": start,
            "end": end,
            "service": service,
            "office": office,
            "channel": channel,
            "settlement": settlement,
            "provider": provider,
        },
        lang,
    )
    by = grouping(name, by)
    sheets: list[Sheet] = []
    bars: list[tuple[str, float, str]] = []
    if not errors:
        try:
            sheets, bars = await sheets_of(request.app.state.platform, actor, name, f, by, lang)
        except DomainError as exc:
            errors["end"] = str(exc)
    if format in ("xlsx", "csv") and not errors:
        stem = f"{name}-{f.start.isoformat()}-{f.end.isoformat()}"
        if format == "xlsx":
            return Response(
                to_xlsx(sheets),
                media_type=XLSX,
                headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'},
            )
        return Response(
            to_csv(sheets[0]),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{stem}.csv"'},
        )
    labels = await labels_of(request.app.state.platform, actor, lang)
    muni = await request.app.state.platform.municipality(id=actor.municipality_id)
    params = {
        k: v
        for k, v in {
            "start": f.start.isoformat(),
            "end": f.end.isoformat(),
            "by": by,
            "service": service,
            "office": office,
            "channel": channel,
            "settlement": settlement,
            "provider": provider,
        }.items()
        if v
    }
    title = r[f"report_{name}"]
    return await page(
        request,
        "desk/report.html",
        title=title,
        status_code=400 if errors else 200,
        context={
            "r": r,
            "name": name,
            "about": r[f"about_{name}"],
            "errors": errors,
            "start": start or f.start.isoformat(),
            "end": end or f.end.isoformat(),
            "by": by,
            "groupings": [(g, r[f"by_{g}"]) for g in groupings_of(name)]
            if name != "coverage"
            else [],
            "filters": {
                "service": service,
                "office": office,
                "channel": channel,
                "settlement": settlement,
                "provider": provider,
            },
            "services": sorted(labels["service"].items(), key=lambda kv: kv[1]),
            "offices": sorted(labels["office"].items(), key=lambda kv: kv[1]),
            "channels": sorted(labels["channel"].items()),
            "settlements": list(muni.settlements),
            "providers": sorted(
                ((k, v) for k, v in labels["provider"].items() if k.isdigit()), key=lambda kv: kv[1]
            ),
            "money": name == "money",
            "chart": Markup(bar_chart(title, bars, f"chart-{name}")) if bars else "",
            "tables": [
                {
                    "key": s.key,
                    "title": s.title,
                    "header": s.header,
                    "numeric": s.numeric,
                    "rows": [[_shown(c, lang) for c in row] for row in s.rows],
                    "totals": [_shown(c, lang) for c in s.totals] if s.totals else None,
                }
                for s in sheets
            ],
            # The downloads start an export job (core.web.export_pages); the direct
            # ``?format=xlsx|csv`` of this page still answers the file at once.
            "export_action": f"/desk/reports/{name}/export",
            "export_fields": params,
        },
    )


HANDLERS = [index, report]
