"""Coverage: the people served in the period (a recorded delivery, or a lump sum paid)
per service and settlement, per 1,000 residents where the municipality recorded the
settlement's population (the dated parameter ``core.settlement_population``), and the
people waiting: approved requests not yet passed to a provider today, and what the
plugins count through the ``report_waiting`` hook (a waiting list, trips refused by a
cap). A person waiting in two ways (two services, or the core's and a plugin's list)
counts in each service; per settlement the core's waiting counts each person once and
the plugins' figures are added to it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

import msgspec

from core.parameters import coerce_like
from core.platform import core_parameters
from core.reports.common import Filters, Where, raw, request_filters, settlement_sql
from core.reports.waiting import PluginWaiting


class CoverageRow(msgspec.Struct, kw_only=True):
    service_code: str
    settlement: str
    served: int
    waiting: int = 0


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
    """(service, settlement, citizen) of everyone served in the period, once each.

    The deliveries are first cut down to their distinct (service, request) pairs on the
    delivery table alone (a year's million deliveries are some tens of thousands of
    pairs), and only those are joined to the requests."""
    settlement = f"COALESCE({settlement_sql('r')}, '')"
    deliveries = Where().add("d.municipality = {}", municipality_id)
    deliveries.add("d.status = 'recorded'")
    deliveries.add("d.delivered_on >= {}", f.start).add("d.delivered_on <= {}", f.end)
    if f.provider_id is not None:
        deliveries.add("d.provider = {}", f.provider_id)
    if f.service_code:
        deliveries.add("d.service_code = {}", f.service_code)
    requests = request_filters(Where(), f, provider=False)
    payouts = Where().add("p.municipality = {}", municipality_id).add("p.status = 'paid'")
    payouts.add("p.paid_on >= {}", f.start).add("p.paid_on <= {}", f.end)
    if f.provider_id is not None:
        payouts.add("FALSE")
    request_filters(payouts, f, provider=False)
    sql = (
        f"SELECT dp.service_code AS service_code, {settlement} AS settlement, r.citizen "
        "FROM (SELECT DISTINCT d.service_code, d.request FROM delivery d "
        f"WHERE {deliveries.sql()}) dp JOIN request r ON r.id = dp.request "
        f"WHERE {requests.sql()} "
        f"UNION SELECT p.service_code, {settlement}, p.citizen "
        f"FROM payout p JOIN request r ON r.id = p.request WHERE {payouts.sql()}"
    )
    return sql, [*deliveries.values, *requests.values, *payouts.values]


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


async def _served(municipality_id: int, f: Filters) -> list[dict[str, object]]:
    """Per service and settlement: the people served (``n``), and how many of them are
    counted there first for their settlement (``first_here``) and first of all
    (``first_all``) — summed, the people per settlement and in all, each once, from one
    pass over the people served."""
    served, values = _served_sql(municipality_id, f)
    return await raw(
        f"WITH u AS ({served}), m AS (SELECT service_code, settlement, "
        "ROW_NUMBER() OVER (PARTITION BY settlement, citizen ORDER BY service_code) AS in_place, "
        "ROW_NUMBER() OVER (PARTITION BY citizen ORDER BY settlement, service_code) AS in_all "
        "FROM u) "
        "SELECT service_code, settlement, COUNT(*) AS n, "
        "SUM(CASE WHEN in_place = 1 THEN 1 ELSE 0 END) AS first_here, "
        "SUM(CASE WHEN in_all = 1 THEN 1 ELSE 0 END) AS first_all "
        "FROM m GROUP BY service_code, settlement ORDER BY service_code, settlement",
        values,
    )


async def _waiting(municipality_id: int, f: Filters) -> list[dict[str, object]]:
    """Per service and settlement: the citizens with a request approved and not yet
    passed to a provider, today (``n``), and of them those counted first for their
    settlement (``first_here``)."""
    where = Where().add("r.municipality = {}", municipality_id).add("r.status = 'approved'")
    request_filters(where, f, provider=False)
    settlement = f"COALESCE({settlement_sql('r')}, '')"
    return await raw(
        f"WITH u AS (SELECT DISTINCT r.service_code, {settlement} AS settlement, r.citizen "
        f"FROM request r WHERE {where.sql()}), m AS (SELECT service_code, settlement, "
        "ROW_NUMBER() OVER (PARTITION BY settlement, citizen ORDER BY service_code) AS in_place "
        "FROM u) SELECT service_code, settlement, COUNT(*) AS n, "
        "SUM(CASE WHEN in_place = 1 THEN 1 ELSE 0 END) AS first_here "
        "FROM m GROUP BY service_code, settlement",
        where.values,
    )


def _plugins_apply(f: Filters, w: PluginWaiting) -> bool:
    """A plugin's figures are per service and settlement: they follow those filters, and
    are left out when the report is cut by office, channel or provider."""
    if f.office_id is not None or f.channel or f.provider_id is not None:
        return False
    if f.service_code and w.service_code != f.service_code:
        return False
    return not (f.settlement and w.settlement != f.settlement)


async def coverage(
    municipality_id: int, f: Filters, plugin_waiting: Sequence[PluginWaiting] = ()
) -> CoverageReport:
    """The report; ``plugin_waiting`` are the figures the municipality's plugins gave
    (:func:`core.reports.waiting.from_plugins`), added to the people waiting."""
    f.check()
    served = await _served(municipality_id, f)
    pairs: dict[tuple[str, str], CoverageRow] = {}
    served_by: dict[str, int] = defaultdict(int)
    waiting_by: dict[str, int] = defaultdict(int)
    everyone = 0
    for r in served:
        key = (str(r["service_code"]), str(r["settlement"]))
        pairs[key] = CoverageRow(service_code=key[0], settlement=key[1], served=_int(r["n"]))
        served_by[key[1]] += _int(r["first_here"])
        everyone += _int(r["first_all"])
    for r in await _waiting(municipality_id, f):
        key = (str(r["service_code"]), str(r["settlement"]))
        row = pairs.setdefault(key, CoverageRow(service_code=key[0], settlement=key[1], served=0))
        row.waiting += _int(r["n"])
        waiting_by[key[1]] += _int(r["first_here"])
    for w in plugin_waiting:
        if not _plugins_apply(f, w) or w.people <= 0:
            continue
        key = (w.service_code, w.settlement)
        row = pairs.setdefault(key, CoverageRow(service_code=key[0], settlement=key[1], served=0))
        row.waiting += w.people
        waiting_by[w.settlement] += w.people
    people = await population(municipality_id, f)
    names = sorted(set(served_by) | set(waiting_by))
    settlements = [
        _settlement(n, served_by.get(n, 0), people.get(n), waiting_by.get(n, 0)) for n in names
    ]
    recorded = sum(people.values()) if people and all(n in people for n in names if n) else None
    totals = _settlement("", everyone, recorded, sum(waiting_by.values()))
    return CoverageReport(
        rows=[pairs[k] for k in sorted(pairs)], settlements=settlements, totals=totals
    )


def _int(value: object) -> int:
    return int(value or 0)  # type: ignore[call-overload]


def _settlement(name: str, served: int, people: int | None, waiting: int) -> SettlementRow:
    per = (Decimal(served) * 1000 / people).quantize(Decimal("0.1")) if people else None
    return SettlementRow(
        settlement=name, served=served, population=people, per_thousand=per, waiting=waiting
    )
