"""Coverage: the people served in the period (a recorded delivery, or a lump sum paid)
per service and settlement, per 1,000 residents where the municipality recorded the
settlement's population (the dated parameter ``core.settlement_population``), and the
people waiting now: approved requests not yet passed to a provider."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from core.parameters import coerce_like
from core.platform import core_parameters
from core.reports.common import Filters, Where, raw, request_filters, settlement_sql


class CoverageRow(msgspec.Struct, kw_only=True):
    service_code: str
    settlement: str
    served: int


class SettlementRow(msgspec.Struct, kw_only=True):
    settlement: str
    served: int
    population: int | None
    per_thousand: Decimal | None
    waiting: int


class CoverageReport(msgspec.Struct, kw_only=True):
    rows: list[CoverageRow]
    settlements: list[SettlementRow]
    totals: SettlementRow


def _served_sql(municipality_id: int, f: Filters) -> tuple[str, list[object]]:
    """(service, settlement, citizen) of everyone served in the period, once each."""
    settlement = f"COALESCE({settlement_sql('r')}, '')"
    deliveries = Where().add("d.municipality = {}", municipality_id)
    deliveries.add("d.status = 'recorded'")
    deliveries.add("d.delivered_on >= {}", f.start).add("d.delivered_on <= {}", f.end)
    if f.provider_id is not None:
        deliveries.add("d.provider = {}", f.provider_id)
    request_filters(deliveries, f, provider=False)
    payouts = Where().add("p.municipality = {}", municipality_id).add("p.status = 'paid'")
    payouts.add("p.paid_on >= {}", f.start).add("p.paid_on <= {}", f.end)
    if f.provider_id is not None:
        payouts.add("FALSE")
    request_filters(payouts, f, provider=False)
    sql = (
        f"SELECT d.service_code AS service_code, {settlement} AS settlement, r.citizen "
        f"FROM delivery d JOIN request r ON r.id = d.request WHERE {deliveries.sql()} "
        f"UNION SELECT p.service_code, {settlement}, p.citizen "
        f"FROM payout p JOIN request r ON r.id = p.request WHERE {payouts.sql()}"
    )
    return sql, [*deliveries.values, *payouts.values]


async def population(municipality_id: int, f: Filters) -> dict[str, int]:
    """The recorded population of each settlement on the period's last day."""
    params = await core_parameters(municipality_id)
    value = params.at("core.settlement_population", f.end)
    if not isinstance(value, dict):
        return {}
    out: dict[str, int] = {}
    for name, count in value.items():
        try:
            out[str(name)] = int(coerce_like(0, count, "core.settlement_population"))
        except ValueError:
            continue
    return out


async def coverage(municipality_id: int, f: Filters) -> CoverageReport:
    f.check()
    served, values = _served_sql(municipality_id, f)
    rows = await raw(
        "SELECT service_code, settlement, COUNT(DISTINCT citizen) AS n "
        f"FROM ({served}) u GROUP BY service_code, settlement ORDER BY service_code, settlement",
        values,
    )
    per_settlement = await raw(
        "SELECT settlement, COUNT(DISTINCT citizen) AS n "
        f"FROM ({served}) u GROUP BY settlement ORDER BY settlement",
        values,
    )
    everyone = await raw(f"SELECT COUNT(DISTINCT citizen) AS n FROM ({served}) u", values)
    waiting_where = Where().add("r.municipality = {}", municipality_id)
    waiting_where.add("r.status = 'approved'")
    request_filters(waiting_where, f, provider=False)
    settlement = f"COALESCE({settlement_sql('r')}, '')"
    waiting = {
        str(r["settlement"]): int(r["n"])
        for r in await raw(
            f"SELECT {settlement} AS settlement, COUNT(DISTINCT r.citizen) AS n FROM request r "
            f"WHERE {waiting_where.sql()} GROUP BY {settlement}",
            waiting_where.values,
        )
    }
    people = await population(municipality_id, f)
    served_by = {str(r["settlement"]): int(r["n"]) for r in per_settlement}
    names = sorted(set(served_by) | set(waiting))
    settlements = [
        _settlement(n, served_by.get(n, 0), people.get(n), waiting.get(n, 0)) for n in names
    ]
    recorded = sum(people.values()) if people and all(n in people for n in names if n) else None
    totals = _settlement(
        "", int(everyone[0]["n"]) if everyone else 0, recorded, sum(waiting.values())
    )
    return CoverageReport(
        rows=[
            CoverageRow(
                service_code=str(r["service_code"]),
                settlement=str(r["settlement"]),
                served=int(r["n"]),
            )
            for r in rows
        ],
        settlements=settlements,
        totals=totals,
    )


def _settlement(name: str, served: int, people: int | None, waiting: int) -> SettlementRow:
    per = (Decimal(served) * 1000 / people).quantize(Decimal("0.1")) if people else None
    return SettlementRow(
        settlement=name, served=served, population=people, per_thousand=per, waiting=waiting
    )
