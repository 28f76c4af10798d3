"""A report's tables (sheets) and chart bars, in the reader's language: what the report
page shows and what its XLSX and CSV hold, whether built in the request or by an export
job (:mod:`core.exports`).
"""

from __future__ import annotations

from typing import Any

from core.actor import Actor
from core.db.tables import Office, Provider
from core.reports import applications as applications_report
from core.reports import coverage as coverage_report
from core.reports import money as money_report
from core.reports import terms as terms_report
from core.reports import waiting as plugin_waiting
from core.reports.common import Filters
from core.reports.sheets import Cell, Sheet
from core.web.formats import money
from core.web.report_texts import report_texts
from core.web.texts import texts

NAMES = ("applications", "terms", "coverage", "money")


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


async def labels_of(platform: Any, actor: Actor, lang: str) -> dict[str, dict[str, str]]:
    """The names the tables show for the keys they group by."""
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


async def sheets_of(
    platform: Any, actor: Actor, name: str, f: Filters, by: str, lang: str
) -> tuple[list[Sheet], list[tuple[str, float, str]]]:
    """The report's tables and the bars of its chart."""
    r = report_texts(lang)
    labels = await labels_of(platform, actor, lang)
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
        waiting = await plugin_waiting.from_plugins(
            platform.host,
            await platform.enabled_plugins(actor.municipality_id),
            actor.municipality_id,
            f.start,
            f.end,
        )
        c = await coverage_report.coverage(actor.municipality_id, f, waiting)

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
            header=[r["service"], r["settlement"], r["served"], r["waiting"]],
            rows=[
                [
                    _name(labels, "service", x.service_code, ""),
                    x.settlement or "—",
                    x.served,
                    x.waiting,
                ]
                for x in c.rows
            ],
            numeric=frozenset({2, 3}),
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
            + (f" ({pct(x.used_share)} %)" if x.used_share is not None else ""),
        )
        for x in m.rows
    ]
    return [main], bars
