"""Money: the spending of the period per budget line, service, provider or month (the
invoices approved or paid for the months of the period and the lump sums paid in it)
against what was set aside for it (a budget line's allocation; the caps of the contracts
of a service or a provider in force in the period), and the cost per person served.

Invoices cover many requests, so only the service and provider filters apply here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

import msgspec

from core.reports.common import Filters, Where, month_sql, postgres, raw
from core.workflow.market.units import from_kopiyky

MoneyBy = Literal["budget_line", "service", "provider", "month"]
MONEY_BY: tuple[MoneyBy, ...] = ("budget_line", "service", "provider", "month")
#: The key lump sums to citizens group under when grouped by provider.
CITIZENS = "citizens"


class MoneyRow(msgspec.Struct, kw_only=True):
    key: str
    label: str
    approved: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    allocation: Decimal | None = None
    used_share: float | None = None
    persons: int = 0
    per_person: Decimal | None = None


class MoneyReport(msgspec.Struct, kw_only=True):
    by: MoneyBy
    rows: list[MoneyRow]
    totals: MoneyRow


_INVOICE_KEY = {
    "budget_line": (
        "CAST(i.budget_line AS TEXT)",
        "bl.programme_code || '/' || bl.economic_code || ' ' || bl.name",
    ),
    "service": ("c.service_code", "c.service_code"),
    "provider": ("CAST(i.provider AS TEXT)", "pv.name"),
    "month": ("i.period", "i.period"),
}


def _payout_key(by: MoneyBy) -> tuple[str, str]:
    return {
        "budget_line": (
            "COALESCE(CAST(p.budget_line AS TEXT), '')",
            "COALESCE(bl.programme_code || '/' || bl.economic_code || ' ' || bl.name, '')",
        ),
        "service": ("p.service_code", "p.service_code"),
        "provider": (f"'{CITIZENS}'", f"'{CITIZENS}'"),
        "month": (month_sql("p.paid_on"), month_sql("p.paid_on")),
    }[by]


def _delivery_pairs(by: MoneyBy) -> tuple[str, str, str]:
    """For the people served under each key: the delivery columns to cut the deliveries
    down to (distinct with their request), the key over those pairs (``dp``), and the
    join it needs."""
    return {
        "budget_line": (
            "d.contract",
            "CAST(c.budget_line AS TEXT)",
            "JOIN contract c ON c.id = dp.contract",
        ),
        "service": ("d.service_code", "dp.service_code", ""),
        "provider": ("d.provider", "CAST(dp.provider AS TEXT)", ""),
        "month": (f"{month_sql('d.delivered_on')} AS month", "dp.month", ""),
    }[by]


def _wheres(municipality_id: int, f: Filters) -> tuple[Where, Where, Where]:
    """The conditions on the period's invoices, paid lump sums and recorded deliveries."""
    first, last = f"{f.start:%Y-%m}", f"{f.end:%Y-%m}"
    inv = Where().add("i.municipality = {}", municipality_id)
    inv.add("i.status IN ('approved', 'paid')").add("i.period >= {}", first).add(
        "i.period <= {}", last
    )
    pay = Where().add("p.municipality = {}", municipality_id).add("p.status = 'paid'")
    pay.add("p.paid_on >= {}", f.start).add("p.paid_on <= {}", f.end)
    dlv = Where().add("d.municipality = {}", municipality_id).add("d.status = 'recorded'")
    dlv.add("d.delivered_on >= {}", f.start).add("d.delivered_on <= {}", f.end)
    if f.service_code:
        inv.add("c.service_code = {}", f.service_code)
        pay.add("p.service_code = {}", f.service_code)
        dlv.add("d.service_code = {}", f.service_code)
    if f.provider_id is not None:
        inv.add("i.provider = {}", f.provider_id)
        pay.add("FALSE")
        dlv.add("d.provider = {}", f.provider_id)
    return inv, pay, dlv


async def sums(municipality_id: int, f: Filters, by: MoneyBy) -> list[dict[str, Any]]:
    """``k``, ``label``, ``approved`` and ``paid`` (kopiyky) per key, ordered by key: the
    grouped sums of the period's invoices and paid lump sums, without the people or the
    allocations (the accountant's spending page shows only these)."""
    f.check()
    inv, pay, _ = _wheres(municipality_id, f)
    ikey, ilabel = _INVOICE_KEY[by]
    pkey, plabel = _payout_key(by)
    return await raw(
        "SELECT k, MIN(label) AS label, SUM(approved) AS approved, SUM(paid) AS paid FROM ("
        f"SELECT {ikey} AS k, {ilabel} AS label, "
        "SUM(CASE WHEN i.status = 'paid' THEN 0 ELSE i.total_kop END) AS approved, "
        "SUM(CASE WHEN i.status = 'paid' THEN i.total_kop ELSE 0 END) AS paid "
        "FROM invoice i JOIN contract c ON c.id = i.contract "
        "JOIN budget_line bl ON bl.id = i.budget_line JOIN provider pv ON pv.id = i.provider "
        f"WHERE {inv.sql()} GROUP BY 1, 2 "
        f"UNION ALL SELECT {pkey} AS k, {plabel} AS label, 0 AS approved, "
        "SUM(p.amount_kop) AS paid FROM payout p LEFT JOIN budget_line bl ON bl.id = p.budget_line "
        f"WHERE {pay.sql()} GROUP BY 1, 2) s GROUP BY k ORDER BY k",
        [*inv.values, *pay.values],
    )


async def spending(municipality_id: int, f: Filters, by: MoneyBy = "budget_line") -> MoneyReport:
    f.check()
    _, pay, dlv = _wheres(municipality_id, f)
    grouped = await sums(municipality_id, f, by)
    persons, everyone = await _persons(f, by, dlv, pay)
    allocations = await _allocations(municipality_id, f, by)
    rows = []
    for r in grouped:
        key = str(r["k"])
        rows.append(
            _row(
                key,
                str(r["label"] or ""),
                int(r["approved"] or 0),
                int(r["paid"] or 0),
                allocations.get(key),
                persons.get(key, 0),
            )
        )
    for key, (label, kop) in sorted(allocations.items()):
        if key not in {row.key for row in rows}:
            rows.append(_row(key, label, 0, 0, (label, kop), persons.get(key, 0)))
    rows.sort(key=lambda row: row.key)
    allocated = sum(kop for _, kop in allocations.values()) if allocations else None
    totals = _row(
        "",
        "",
        sum(int(r["approved"] or 0) for r in grouped),
        sum(int(r["paid"] or 0) for r in grouped),
        ("", allocated) if allocated is not None else None,
        everyone,
    )
    return MoneyReport(by=by, rows=rows, totals=totals)


async def _persons(f: Filters, by: MoneyBy, dlv: Where, pay: Where) -> tuple[dict[str, int], int]:
    """The people served under each key (a delivery in the period, or a lump sum paid
    in it) and the people in all, each once, in one pass: the deliveries are first cut
    down to their distinct (key columns, request) pairs on the delivery table alone."""
    if by == "month" and postgres():
        return await _persons_by_month(f, dlv, pay)
    columns, key, join = _delivery_pairs(by)
    pkey, _ = _payout_key(by)
    served = (
        f"SELECT {key} AS k, r.citizen FROM (SELECT DISTINCT {columns}, d.request "
        f"FROM delivery d WHERE {dlv.sql()}) dp {join} JOIN request r ON r.id = dp.request "
        f"UNION SELECT {pkey} AS k, p.citizen FROM payout p WHERE {pay.sql()}"
    )
    rows = await raw(
        f"WITH u AS ({served}), m AS (SELECT k, "
        "ROW_NUMBER() OVER (PARTITION BY citizen ORDER BY k) AS nth FROM u) "
        "SELECT k, COUNT(*) AS n, SUM(CASE WHEN nth = 1 THEN 1 ELSE 0 END) AS firsts "
        "FROM m GROUP BY k",
        [*dlv.values, *pay.values],
    )
    return {str(r["k"]): int(r["n"]) for r in rows}, sum(int(r["firsts"] or 0) for r in rows)


def _row(
    key: str, label: str, approved: int, paid: int, allocation: tuple[str, int] | None, persons: int
) -> MoneyRow:
    total = approved + paid
    allocated = allocation[1] if allocation else None
    return MoneyRow(
        key=key,
        label=label,
        approved=from_kopiyky(approved),
        paid=from_kopiyky(paid),
        total=from_kopiyky(total),
        allocation=None if allocated is None else from_kopiyky(allocated),
        used_share=round(total * 100 / allocated, 1) if allocated else None,
        persons=persons,
        per_person=from_kopiyky(total // persons) if persons else None,
    )


async def _allocations(municipality_id: int, f: Filters, by: MoneyBy) -> dict[str, tuple[str, int]]:
    """What was set aside, per key: the allocations of the budget lines of the period's
    years, or the money caps of the contracts in force in the period."""
    if by == "month":
        return {}
    if by == "budget_line":
        where = Where().add("bl.municipality = {}", municipality_id)
        where.add("bl.year >= {}", f.start.year).add("bl.year <= {}", f.end.year)
        if f.service_code or f.provider_id is not None:
            return {}
        rows = await raw(
            "SELECT CAST(bl.id AS TEXT) AS k, "
            "bl.programme_code || '/' || bl.economic_code || ' ' || bl.name AS label, "
            f"bl.allocation_kop AS kop FROM budget_line bl WHERE {where.sql()}",
            where.values,
        )
    else:
        where = Where().add("c.municipality = {}", municipality_id)
        where.add("c.status <> 'draft'")
        where.add("c.period_start <= {}", f.end).add("c.period_end >= {}", f.start)
        if f.service_code:
            where.add("c.service_code = {}", f.service_code)
        if f.provider_id is not None:
            where.add("c.provider = {}", f.provider_id)
        key, label = (
            ("c.service_code", "c.service_code")
            if by == "service"
            else ("CAST(c.provider AS TEXT)", "pv.name")
        )
        rows = await raw(
            f"SELECT {key} AS k, MIN({label}) AS label, SUM(c.money_cap_kop) AS kop "
            f"FROM contract c JOIN provider pv ON pv.id = c.provider WHERE {where.sql()} "
            f"GROUP BY {key}",
            where.values,
        )
    return {str(r["k"]): (str(r["label"] or ""), int(r["kop"] or 0)) for r in rows}


def _month_bit(column: str) -> str:
    """``1 << n`` for a date in the n-th month of the period (the first month is 0; a
    period has at most 27 months, so a BIGINT holds them)."""
    return (
        f"(CAST(1 AS BIGINT) << (CAST(date_part('year', {column}) AS INTEGER) * 12 "
        f"+ CAST(date_part('month', {column}) AS INTEGER) - {{}}))"
    )


async def _persons_by_month(f: Filters, dlv: Where, pay: Where) -> tuple[dict[str, int], int]:
    """The people served per month on PostgreSQL: a month's distinct (month, request)
    pairs are many (a request is served most months), so each request's months are
    folded into one bit mask (``bit_or``), then each citizen's, and each month counts
    the citizens with its bit set — the same figures as the general query."""
    base = f.start.year * 12 + f.start.month
    months = f.end.year * 12 + f.end.month - base + 1
    rows = await raw(
        f"WITH dm AS (SELECT d.request, bit_or({_month_bit('d.delivered_on')}) AS mask "
        f"FROM delivery d WHERE {dlv.sql()} GROUP BY d.request), "
        "pc AS (SELECT r.citizen, dm.mask FROM dm JOIN request r ON r.id = dm.request "
        f"UNION ALL SELECT p.citizen, {_month_bit('p.paid_on')} FROM payout p "
        f"WHERE {pay.sql()}), "
        "cm AS (SELECT citizen, bit_or(mask) AS mask FROM pc GROUP BY citizen) "
        "SELECT g.i AS i, COUNT(*) AS n FROM cm "
        "CROSS JOIN generate_series(-1, {}) AS g(i) "
        "WHERE g.i = -1 OR (cm.mask >> g.i) & 1 = 1 GROUP BY g.i",
        [base, *dlv.values, base, *pay.values, months - 1],
    )
    counts = {int(r["i"]): int(r["n"]) for r in rows}
    persons = {}
    for i, n in counts.items():
        if i >= 0:
            year, month = divmod(base + i - 1, 12)
            persons[f"{year:04d}-{month + 1:02d}"] = n
    return persons, counts.get(-1, 0)
