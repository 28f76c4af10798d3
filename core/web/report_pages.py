"""The reports a department head signs: ``/desk/reports`` (this month's headline
figures) and ``/desk/reports/<name>`` (a period, a grouping and filters by GET; a chart,
the tables, and the same tables as XLSX or CSV with ``?format=``).

The admin (the department head), the auditor and the accountant read them; the figures
come from :mod:`core.reports`, computed in SQL.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template
from markupsafe import Markup

from core import clock
from core.api.access import roles
from core.db.tables import Office, Provider
from core.errors import DomainError
from core.reports import applications as applications_report
from core.reports import coverage as coverage_report
from core.reports import money as money_report
from core.reports import terms as terms_report
from core.reports.common import DIMENSIONS, Filters
from core.reports.sheets import Cell, Sheet, bar_chart, to_csv, to_xlsx
from core.web.formats import day, money
from core.web.layout import page, page_lang, signed_in
from core.web.report_texts import report_texts
from core.web.texts import texts

REPORT_ROLES = roles("admin", "auditor", "accountant")
NAMES = ("applications", "terms", "coverage", "money")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Small = Annotated[str, QueryParameter(max_length=40)]


def month_of(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


async def _labels(request: HTMXRequest, lang: str) -> dict[str, dict[str, str]]:
    actor = signed_in(request)
    platform = request.app.state.platform
    t = texts(lang)
    r = report_texts(lang)
    return {
        "service": {s.code: s.card.title.get(lang) for s in platform.host.services.values()},
        "office": {
            str(o["id"]): o["name"]
            for o in await Office.select(Office.id, Office.name).where(
                Office.municipality == actor.municipality_id
            )
        },
        "provider": {
            **{
                str(p["id"]): p["name"]
                for p in await Provider.select(Provider.id, Provider.name).where(
                    Provider.municipality == actor.municipality_id
                )
            },
            "": r["not_assigned"],
            money_report.CITIZENS: r["citizens"],
        },
        "channel": {
            c: t[f"channel_{c}"] for c in ("front_office", "remote_workplace", "home_visit")
        }
        | {"online": "Online"},
    }


def _name(labels: dict[str, dict[str, str]], dim: str, key: str, fallback: str) -> str:
    return labels.get(dim, {}).get(key) or fallback or key or "—"


async def _sheets(
    request: HTMXRequest, name: str, f: Filters, by: str, lang: str
) -> tuple[list[Sheet], list[tuple[str, float, str]]]:
    """The report's tables and the bars of its chart."""
    actor = signed_in(request)
    r = report_texts(lang)
    labels = await _labels(request, lang)
    group = r[f"by_{by}"].capitalize()
    if name == "applications":
        a = await applications_report.applications(actor.municipality_id, f, by)  # type: ignore[arg-type]
        head = [
            group,
            r["received"],
            r["decided"],
            r["approved"],
            r["refused"],
            r["withdrawn"],
            r["open"],
        ]

        def cells(x: applications_report.ApplicationsRow) -> list[Cell]:
            return [x.received, x.decided, x.approved, x.refused, x.withdrawn, x.open]

        main = Sheet(
            key="applications",
            title=r["report_applications"],
            header=head,
            rows=[[_name(labels, by, x.key, x.label), *cells(x)] for x in a.rows],
            totals=[r["total"], *cells(a.totals)],
            numeric=frozenset(range(1, 7)),
        )
        grounds = Sheet(
            key="grounds",
            title=r["refusals_by_ground"],
            header=[r["ground"], r["count"]],
            rows=[[g.ground or r["no_ground"], g.count] for g in a.grounds],
            numeric=frozenset({1}),
        )
        bars = [(str(row[0]), float(row[1] or 0), str(row[1])) for row in main.rows]  # type: ignore[arg-type]
        return [main, grounds], bars
    if name == "terms":
        tr = await terms_report.terms(actor.municipality_id, f, by)  # type: ignore[arg-type]
        head = [
            group,
            r["decided"],
            r["on_time"],
            r["on_time_share"],
            r["median_days"],
            r["p90_days"],
            r["open_overdue"],
        ]

        def tcells(x: terms_report.TermsRow) -> list[Cell]:
            return [
                x.decided,
                x.on_time,
                x.on_time_share,
                x.median_days,
                x.p90_days,
                x.open_overdue,
            ]

        main = Sheet(
            key="terms",
            title=r["report_terms"],
            header=head,
            rows=[[_name(labels, by, x.key, x.label), *tcells(x)] for x in tr.rows],
            totals=[r["total"], *tcells(tr.totals)],
            numeric=frozenset(range(1, 7)),
        )
        overdue = Sheet(
            key="overdue",
            title=r["overdue_list"],
            header=[
                r["journal_number"],
                r["service"],
                r["received_on"],
                r["due_date"],
                r["decided_on"],
                r["days_late"],
            ],
            rows=[
                [
                    o.journal_number,
                    _name(labels, "service", o.service_code, ""),
                    o.received_on,
                    o.due_date,
                    o.decided_on,
                    o.days_late,
                ]
                for o in tr.overdue
            ],
            numeric=frozenset({5}),
        )
        bars = [
            (_name(labels, by, x.key, x.label), x.on_time_share, f"{x.on_time_share:.1f} %")
            for x in tr.rows
        ]
        return [main, overdue], bars
    if name == "coverage":
        c = await coverage_report.coverage(actor.municipality_id, f)

        def scells(x: coverage_report.SettlementRow) -> list[Cell]:
            return [x.served, x.population, x.per_thousand, x.waiting]

        main = Sheet(
            key="settlements",
            title=r["by_settlement_title"],
            header=[r["settlement"], r["served"], r["population"], r["per_thousand"], r["waiting"]],
            rows=[[x.settlement or "—", *scells(x)] for x in c.settlements],
            totals=[r["total"], *scells(c.totals)],
            numeric=frozenset(range(1, 5)),
        )
        detail = Sheet(
            key="services",
            title=r["served_by_service"],
            header=[r["service"], r["settlement"], r["served"]],
            rows=[
                [_name(labels, "service", x.service_code, ""), x.settlement or "—", x.served]
                for x in c.rows
            ],
            numeric=frozenset({2}),
        )
        bars = [(x.settlement or "—", float(x.served), str(x.served)) for x in c.settlements]
        return [main, detail], bars
    m = await money_report.spending(actor.municipality_id, f, by)  # type: ignore[arg-type]
    head = [
        group,
        r["approved_amount"],
        r["paid"],
        r["spent"],
        r["allocation"],
        r["used_share"],
        r["persons"],
        r["per_person"],
    ]

    def mcells(x: money_report.MoneyRow) -> list[Cell]:
        return [x.approved, x.paid, x.total, x.allocation, x.used_share, x.persons, x.per_person]

    main = Sheet(
        key="money",
        title=r["report_money"],
        header=head,
        rows=[[_name(labels, by, x.key, x.label), *mcells(x)] for x in m.rows],
        totals=[r["total"], *mcells(m.totals)],
        numeric=frozenset(range(1, 8)),
    )
    bars = [
        (
            _name(labels, by, x.key, x.label),
            float(x.total),
            money(x.total, lang)
            + (f" ({_pct(x.used_share)} %)" if x.used_share is not None else ""),
        )
        for x in m.rows
    ]
    return [main], bars


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
    return await page(
        request,
        "desk/reports_index.html",
        title=r["reports"],
        context={
            "r": r,
            "month": f"{first:%Y-%m}",
            "received": apps.totals.received,
            "terms_share": _pct(terms.totals.on_time_share),
            "decided": terms.totals.decided,
            "on_time": terms.totals.on_time,
            "spent": money(spent.totals.total, lang),
            "allocation": money(spent.totals.allocation or Decimal(0), lang),
            "used_share": _pct(spent.totals.used_share),
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
    errors: dict[str, str] = {}
    first, last = month_of(clock.today())
    f = Filters(
        start=_parse(start, first, errors, "start", lang),
        end=_parse(end, last, errors, "end", lang),
        service_code=service or None,
        office_id=int(office) if office.isdigit() else None,
        channel=channel or None,
        settlement=settlement or None,
        provider_id=int(provider) if provider.isdigit() else None,
    )
    groupings = money_report.MONEY_BY if name == "money" else DIMENSIONS
    if by not in groupings:
        by = groupings[0]
    sheets: list[Sheet] = []
    bars: list[tuple[str, float, str]] = []
    if not errors:
        try:
            sheets, bars = await _sheets(request, name, f, by, lang)
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
    labels = await _labels(request, lang)
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
    query = urlencode(params)
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
            "groupings": [(g, r[f"by_{g}"]) for g in groupings] if name != "coverage" else [],
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
            "xlsx": f"/desk/reports/{name}?{query}&format=xlsx",
            "csv": f"/desk/reports/{name}?{query}&format=csv",
        },
    )


HANDLERS = [index, report]
