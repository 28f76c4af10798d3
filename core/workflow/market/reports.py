"""Reports: spending per budget line, service, provider and month; contract utilisation;
open invoices. Spending counts approved and paid invoices and paid lump sums."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

import msgspec

from core.actor import Actor
from core.db.market import BudgetLine, Contract, Invoice, Payout
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


async def spending(actor: Actor, year: int, by: GroupBy) -> list[SpendingRow]:
    lines = {
        r["id"]: r
        for r in await BudgetLine.select().where(BudgetLine.municipality == actor.municipality_id)
    }
    buckets: dict[str, dict[str, Any]] = {}

    def add(key: str, label: str, status: str, kop: int) -> None:
        b = buckets.setdefault(key, {"label": label, "approved": 0, "paid": 0})
        b["paid" if status == "paid" else "approved"] += kop

    invoices = await Invoice.select(
        Invoice.budget_line,
        Invoice.period,
        Invoice.status,
        Invoice.total_kop,
        Invoice.provider,
        Invoice.provider.name,
        Invoice.contract.service_code,
    ).where(
        (Invoice.municipality == actor.municipality_id)
        & Invoice.status.is_in(["approved", "paid"])
        & Invoice.period.like(f"{year}-%")
    )
    for inv in invoices:
        line = lines.get(inv["budget_line"], {})
        key, label = {
            "budget_line": (
                str(inv["budget_line"]),
                f"{line.get('programme_code', '')}/{line.get('economic_code', '')} "
                f"{line.get('name', '')}",
            ),
            "service": (inv["contract.service_code"], inv["contract.service_code"]),
            "provider": (str(inv["provider"]), inv["provider.name"]),
            "month": (inv["period"], inv["period"]),
        }[by]
        add(key, label, inv["status"], inv["total_kop"])
    payouts = await Payout.select(
        Payout.budget_line, Payout.service_code, Payout.paid_on, Payout.amount_kop
    ).where((Payout.municipality == actor.municipality_id) & (Payout.status == "paid"))
    for p in payouts:
        if p["paid_on"] is None or p["paid_on"].year != year:
            continue
        line = lines.get(p["budget_line"], {})
        key, label = {
            "budget_line": (
                str(p["budget_line"]),
                f"{line.get('programme_code', '')}/{line.get('economic_code', '')} "
                f"{line.get('name', '')}",
            ),
            "service": (p["service_code"], p["service_code"]),
            "provider": ("citizens", "Виплати громадянам / payments to citizens"),
            "month": (f"{p['paid_on']:%Y-%m}", f"{p['paid_on']:%Y-%m}"),
        }[by]
        add(key, label, "paid", p["amount_kop"])
    return [
        SpendingRow(
            key=k,
            label=v["label"],
            approved=from_kopiyky(v["approved"]),
            paid=from_kopiyky(v["paid"]),
            total=from_kopiyky(v["approved"] + v["paid"]),
        )
        for k, v in sorted(buckets.items())
    ]


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
