"""The accountant's spending page (`/desk/accounts/reports`) and `/api/reports/spending`:
summed in SQL by ``core.reports.money.sums``, with the same figures as adding the
invoices and lump sums up one by one (the way the page used to), for every grouping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx
import pytest
import time_machine

from core.db.market import BudgetLine, Invoice, Payout
from core.web.formats import money
from core.workflow.market.reports import CITIZENS_LABEL, GroupBy, SpendingRow, spending
from core.workflow.market.units import from_kopiyky
from tests.web.conftest import sign_in
from tests.web.test_reports import TODAY, A, B, build
from tests.world import IBAN, World

pytestmark = pytest.mark.db


async def _expected(w: World, year: int, by: GroupBy) -> list[tuple[str, str, Decimal, Decimal]]:
    """(key, label, approved, paid) added up in Python, invoice by invoice."""
    lines = {
        r["id"]: f"{r['programme_code']}/{r['economic_code']} {r['name']}"
        for r in await BudgetLine.select().where(BudgetLine.municipality == w.municipality_id)
    }
    buckets: dict[str, list[object]] = {}

    def add(key: str, label: str, paid: bool, kop: int) -> None:
        b = buckets.setdefault(key, [label, 0, 0])
        b[2 if paid else 1] += kop  # type: ignore[operator]

    for i in await Invoice.select(
        Invoice.budget_line,
        Invoice.period,
        Invoice.status,
        Invoice.total_kop,
        Invoice.provider,
        Invoice.provider.name,
        Invoice.contract.service_code,
    ).where(Invoice.municipality == w.municipality_id):
        if i["status"] not in ("approved", "paid") or not i["period"].startswith(f"{year}-"):
            continue
        key, label = {
            "budget_line": (str(i["budget_line"]), lines[i["budget_line"]]),
            "service": (i["contract.service_code"], i["contract.service_code"]),
            "provider": (str(i["provider"]), i["provider.name"]),
            "month": (i["period"], i["period"]),
        }[by]
        add(key, label, i["status"] == "paid", i["total_kop"])
    for p in await Payout.select().where(Payout.municipality == w.municipality_id):
        if p["status"] != "paid" or p["paid_on"].year != year:
            continue
        key, label = {
            "budget_line": (str(p["budget_line"]), lines[p["budget_line"]]),
            "service": (p["service_code"], p["service_code"]),
            "provider": ("citizens", CITIZENS_LABEL),
            "month": (f"{p['paid_on']:%Y-%m}", f"{p['paid_on']:%Y-%m}"),
        }[by]
        add(key, label, True, p["amount_kop"])
    return [
        (k, str(v[0]), from_kopiyky(int(v[1])), from_kopiyky(int(v[2])))  # type: ignore[call-overload]
        for k, v in sorted(buckets.items())
    ]


def _shape(rows: list[SpendingRow]) -> list[tuple[str, str, Decimal, Decimal]]:
    for r in rows:
        assert r.total == r.approved + r.paid
    return [(r.key, r.label, r.approved, r.paid) for r in rows]


async def _more(w: World, request_id: int, line_id: int) -> None:
    """A lump sum paid in another year and one cancelled: neither counts in 2026."""
    done = (("paid", date(2025, 12, 30), "2025-12"), ("cancelled", None, "2026-01"))
    for n, (status, paid_on, month) in enumerate(done):
        await Payout(
            municipality=w.municipality_id,
            request=request_id,
            citizen=w.other_citizen_id,
            service_code=B,
            payee_name=f"Коваль {n}",
            iban=IBAN,
            amount_kop=7_000,
            budget_line=line_id,
            status=status,
            period=month,
            due_since=date(2025, 12, 1),
            paid_on=paid_on,
            created_at=TODAY,
        ).save()


async def test_spending_in_sql_equals_the_sum_by_hand(
    world: World, visitor: httpx.AsyncClient
) -> None:
    with time_machine.travel(TODAY, tick=False):
        ids = await build(world)
        await _more(world, ids["r6"], ids["line"])
        actor = world.actors["accountant"]
        for by in ("budget_line", "service", "provider", "month"):
            got = _shape(await spending(actor, 2026, by))
            assert got == await _expected(world, 2026, by), by
        # And by hand: 1,200 approved for November, 800 paid for October, 500 paid to a
        # citizen in November; 70 paid in December 2025.
        by_month = _shape(await spending(actor, 2026, "month"))
        assert by_month == [
            ("2026-10", "2026-10", Decimal("0.00"), Decimal("800.00")),
            ("2026-11", "2026-11", Decimal("1200.00"), Decimal("500.00")),
        ]
        by_service = {r[0]: r for r in _shape(await spending(actor, 2026, "service"))}
        assert by_service[A][2:] == (Decimal("1200.00"), Decimal("800.00"))
        assert by_service[B][2:] == (Decimal("0.00"), Decimal("500.00"))
        older = _shape(await spending(actor, 2025, "provider"))
        assert older == [("citizens", CITIZENS_LABEL, Decimal("0.00"), Decimal("70.00"))]

        await sign_in(visitor, f"{world.slug}.accountant")
        page = await visitor.get("/desk/accounts/reports?year=2026&by=service")
        assert page.status_code == 200
        assert A in page.text
        assert B in page.text
        for figure in ("1200.00", "800.00", "2000.00", "500.00"):
            assert money(Decimal(figure), "uk") in page.text
        wide = await visitor.get("/desk/accounts/reports?year=2026&by=provider&lang=en")
        assert wide.status_code == 200
        assert CITIZENS_LABEL in wide.text
