"""Reports: spending per budget line, service, provider and month; contract utilisation;
open invoices. Spending counts approved and paid invoices and paid lump sums, summed in
SQL by :mod:`core.reports.money` (the department head's money report) so both agree."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

import msgspec

from core.actor import Actor
from core.db.market import Contract, Invoice
from core.reports import money
from core.reports.common import Filters
from core.workflow.market.units import from_kopiyky, from_milli

GroupBy = Literal["budget_line", "service", "provider", "month"]


class SpendingRow(msgspec.Struct, kw_only=True):
    key: str
    label: str
    approved: Decimal
    paid: Decimal
    total: Decimal


class UtilisationRow(msgspec.Struct, kw_only=True):
    contract_id: int
    number: str
    provider: str
    service_code: str
    status: str
    volume_cap: Decimal
    volume_used: Decimal
    money_cap: Decimal
    money_used: Decimal
    money_invoiced: Decimal
    money_paid: Decimal
    used_share: Decimal


#: The label of the lump sums paid to citizens when spending is grouped by provider.
CITIZENS_LABEL = "Виплати громадянам / payments to citizens"


async def spending(actor: Actor, year: int, by: GroupBy) -> list[SpendingRow]:
    """The year's spending per key, summed by the database: the grouped sums of
    :func:`core.reports.money.sums` over the whole year (invoices by their period, lump
    sums by the day paid)."""
    f = Filters(start=date(year, 1, 1), end=date(year, 12, 31))
    rows = await money.sums(actor.municipality_id, f, by)
    out = []
    for r in rows:
        approved, paid = int(r["approved"] or 0), int(r["paid"] or 0)
        key = str(r["k"])
        out.append(
            SpendingRow(
                key=key,
                label=CITIZENS_LABEL if key == money.CITIZENS else str(r["label"] or ""),
                approved=from_kopiyky(approved),
                paid=from_kopiyky(paid),
                total=from_kopiyky(approved + paid),
            )
        )
    return out


async def utilisation(actor: Actor) -> list[UtilisationRow]:
    contracts = (
        await Contract.select(*Contract.all_columns(), Contract.provider.name)
        .where(Contract.municipality == actor.municipality_id)
        .order_by(Contract.id)
    )
    sums: dict[tuple[int, str], int] = {}
    for inv in await Invoice.select(Invoice.contract, Invoice.status, Invoice.total_kop).where(
        (Invoice.municipality == actor.municipality_id)
        & Invoice.status.is_in(["submitted", "approved", "paid"])
    ):
        bucket = "paid" if inv["status"] == "paid" else "invoiced"
        sums[(inv["contract"], bucket)] = sums.get((inv["contract"], bucket), 0) + inv["total_kop"]
    out = []
    for c in contracts:
        paid = sums.get((c["id"], "paid"), 0)
        invoiced = sums.get((c["id"], "invoiced"), 0) + paid
        share = (
            (Decimal(c["used_kop"]) / c["money_cap_kop"] * 100).quantize(Decimal("0.1"))
            if c["money_cap_kop"]
            else Decimal(0)
        )
        out.append(
            UtilisationRow(
                contract_id=c["id"],
                number=c["number"],
                provider=c["provider.name"],
                service_code=c["service_code"],
                status=c["status"],
                volume_cap=from_milli(c["volume_cap_milli"]),
                volume_used=from_milli(c["used_milli"]),
                money_cap=from_kopiyky(c["money_cap_kop"]),
                money_used=from_kopiyky(c["used_kop"]),
                money_invoiced=from_kopiyky(invoiced),
                money_paid=from_kopiyky(paid),
                used_share=share,
            )
        )
    return out
