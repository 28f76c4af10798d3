"""The reports a department head signs: figures computed in SQL on a small dataset built
by hand (counts, refusals by ground, the terms-met share, median and 90th percentile by
nearest rank, spending against allocation, coverage per 1,000 residents), the XLSX with
the same numbers, the filters, the pages in both languages and who may read them."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import msgspec
import pytest
import time_machine
from openpyxl import load_workbook

from core.db.market import (
    Assignment,
    BudgetLine,
    Contract,
    Delivery,
    DeliverySheet,
    Invoice,
    Payout,
)
from core.db.tables import ParameterValue, Request
from core.reports.applications import applications
from core.reports.common import Filters
from core.reports.coverage import coverage
from core.reports.money import spending
from core.reports.terms import terms
from core.web.report_texts import REPORT_TEXTS
from tests.web.conftest import sign_in
from tests.world import IBAN, World

pytestmark = pytest.mark.db

TODAY = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
NOVEMBER = Filters(start=date(2026, 11, 1), end=date(2026, 11, 30))
A, B = "svc.alpha", "svc.beta"


def _at(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 12, 0, tzinfo=UTC)


async def _request(
    w: World,
    n: int,
    service: str,
    received: date,
    due: date,
    status: str,
    *,
    decided: datetime | None = None,
    ground: str | None = None,
    citizen: int | None = None,
    settlement: str = "Ковель",
    channel: str = "front_office",
) -> int:
    row = Request(
        municipality=w.municipality_id,
        journal_number=f"R-{n}",
        service_code=service,
        citizen=citizen or w.citizen_id,
        channel=channel,
        office=w.office_id,
        applicant_snapshot=msgspec.json.encode({"settlement": settlement}).decode(),
        eligibility="eligible",
        status=status,
        submitted_at=datetime.combine(received, datetime.min.time(), UTC),
        received_on=received,
        due_date=due,
        decided_at=decided,
        refusal_ground=ground,
    )
    await row.save()
    return int(row.id)


async def build(w: World) -> dict[str, int]:
    """Seven requests received in November (one more in October), a budget line, a
    contract with two deliveries and two invoices, a lump sum paid, the population."""
    d = date
    ids = {
        "r1": await _request(w, 1, A, d(2026, 11, 2), d(2026, 11, 12), "assigned", decided=_at(5)),
        "r2": await _request(
            w, 2, A, d(2026, 11, 3), d(2026, 11, 13), "refused", decided=_at(13), ground="income"
        ),
        "r3": await _request(
            w, 3, A, d(2026, 11, 4), d(2026, 11, 14), "refused", decided=_at(20), ground="income"
        ),
        "r4": await _request(w, 4, A, d(2026, 11, 5), d(2026, 11, 15), "withdrawn"),
        "r5": await _request(w, 5, B, d(2026, 11, 6), d(2026, 11, 16), "submitted"),
        "r6": await _request(
            w,
            6,
            B,
            d(2026, 11, 7),
            d(2026, 11, 17),
            "assigned",
            decided=_at(8),
            citizen=w.other_citizen_id,
            settlement="Дубове",
            channel="remote_workplace",
        ),
        "r7": await _request(w, 7, B, d(2026, 10, 30), d(2026, 11, 9), "closed", decided=_at(2)),
        "r8": await _request(
            w,
            8,
            A,
            d(2026, 11, 10),
            d(2026, 11, 20),
            "approved",
            decided=_at(12),
            citizen=w.other_citizen_id,
            settlement="Дубове",
        ),
    }
    line = BudgetLine(
        municipality=w.municipality_id,
        year=2026,
        programme_code="0813242",
        economic_code="2730",
        name="Інші виплати населенню",
        allocation_kop=10_000_000,
    )
    await line.save()
    contract = Contract(
        municipality=w.municipality_id,
        number="Д-1",
        provider=w.provider_id,
        service_code=A,
        period_start=d(2026, 1, 1),
        period_end=d(2026, 12, 31),
        volume_cap_milli=1_000_000,
        money_cap_kop=5_000_000,
        budget_line=line.id,
        status="active",
    )
    await contract.save()
    assignment = Assignment(
        municipality=w.municipality_id, request=ids["r1"], contract=contract.id, assigned_at=_at(6)
    )
    await assignment.save()
    for period, status, total in (("2026-11", "approved", 120_000), ("2026-10", "paid", 80_000)):
        sheet = DeliverySheet(
            municipality=w.municipality_id, contract=contract.id, period=period, created_at=_at(1)
        )
        await sheet.save()
        if period == "2026-11":
            for n, day in enumerate((10, 11)):
                await Delivery(
                    municipality=w.municipality_id,
                    contract=contract.id,
                    sheet=sheet.id,
                    assignment=assignment.id,
                    request=ids["r1"],
                    provider=w.provider_id,
                    service_code=A,
                    delivered_on=d(2026, 11, day),
                    quantity_milli=1000,
                    amount_kop=60_000,
                    idempotency_key=f"k{n}",
                    recorded_at=_at(day),
                ).save()
        await Invoice(
            municipality=w.municipality_id,
            number=f"Р-{period}",
            contract=contract.id,
            provider=w.provider_id,
            sheet=sheet.id,
            budget_line=line.id,
            period=period,
            quantity_milli=2000,
            total_kop=total,
            deliveries=2,
            status=status,
            created_at=_at(1),
        ).save()
    await Payout(
        municipality=w.municipality_id,
        request=ids["r6"],
        citizen=w.other_citizen_id,
        service_code=B,
        payee_name="Коваль Петро",
        iban=IBAN,
        amount_kop=50_000,
        budget_line=line.id,
        status="paid",
        due_since=d(2026, 11, 8),
        paid_on=d(2026, 11, 15),
        created_at=_at(8),
    ).save()
    await ParameterValue(
        municipality=w.municipality_id,
        key="core.settlement_population",
        valid_from=d(2026, 1, 1),
        value=msgspec.json.encode({"Ковель": 500, "Дубове": 2000}).decode(),
        set_at=_at(1, 1),
    ).save()
    ids["line"] = int(line.id)
    return ids


async def test_figures_by_hand(world: World) -> None:
    with time_machine.travel(TODAY, tick=False):
        await build(world)
        apps = await applications(world.municipality_id, NOVEMBER)
        by = {r.key: r for r in apps.rows}
        assert (by[A].received, by[A].decided, by[A].approved) == (5, 4, 2)
        assert (by[A].refused, by[A].withdrawn, by[A].open) == (2, 1, 0)
        assert (by[B].received, by[B].decided, by[B].approved, by[B].open) == (2, 1, 1, 1)
        assert (apps.totals.received, apps.totals.decided, apps.totals.refused) == (7, 5, 2)
        assert [(g.ground, g.count) for g in apps.grounds] == [("income", 2)]

        t = await terms(world.municipality_id, NOVEMBER)
        # Days to decision: 3, 10, 16 (late), 2 for A; 1 for B. All: 1 2 3 10 16.
        assert (t.totals.decided, t.totals.on_time, t.totals.on_time_share) == (5, 4, 80.0)
        assert (t.totals.median_days, t.totals.p90_days, t.totals.open_overdue) == (3, 16, 1)
        rows = {r.key: r for r in t.rows}
        assert (rows[A].on_time_share, rows[A].median_days, rows[A].p90_days) == (75.0, 3, 16)
        assert (rows[B].on_time_share, rows[B].median_days, rows[B].open_overdue) == (100.0, 1, 1)
        assert [(o.journal_number, o.days_late) for o in t.overdue] == [("R-3", 6), ("R-5", 24)]
        assert t.overdue_count == 2

        m = await spending(world.municipality_id, NOVEMBER, "budget_line")
        assert len(m.rows) == 1
        line = m.rows[0]
        assert (line.approved, line.paid, line.total) == (
            Decimal("1200.00"),
            Decimal("500.00"),
            Decimal("1700.00"),
        )
        assert (line.allocation, line.used_share) == (Decimal("100000.00"), 1.7)
        assert (line.persons, line.per_person) == (2, Decimal("850.00"))
        svc = {r.key: r for r in (await spending(world.municipality_id, NOVEMBER, "service")).rows}
        assert (svc[A].total, svc[A].allocation, svc[A].used_share) == (
            Decimal("1200.00"),
            Decimal("50000.00"),
            2.4,
        )
        assert (svc[B].total, svc[B].allocation, svc[B].persons) == (Decimal("500.00"), None, 1)
        months = await spending(
            world.municipality_id, Filters(start=date(2026, 10, 1), end=date(2026, 11, 30)), "month"
        )
        assert [(r.key, r.total) for r in months.rows] == [
            ("2026-10", Decimal("800.00")),
            ("2026-11", Decimal("1700.00")),
        ]

        c = await coverage(world.municipality_id, NOVEMBER)
        places = {s.settlement: s for s in c.settlements}
        assert (places["Ковель"].served, places["Ковель"].per_thousand) == (1, Decimal("2.0"))
        assert (places["Дубове"].served, places["Дубове"].waiting) == (1, 1)
        assert places["Дубове"].per_thousand == Decimal("0.5")
        assert (c.totals.served, c.totals.population, c.totals.per_thousand) == (
            2,
            2500,
            Decimal("0.8"),
        )
        assert sorted((r.service_code, r.settlement, r.served, r.waiting) for r in c.rows) == [
            (A, "Дубове", 0, 1),
            (A, "Ковель", 1, 0),
            (B, "Дубове", 1, 0),
        ]


async def test_filters(world: World) -> None:
    with time_machine.travel(TODAY, tick=False):
        await build(world)
        one = await applications(
            world.municipality_id, msgspec.structs.replace(NOVEMBER, settlement="Дубове")
        )
        assert one.totals.received == 2
        chan = await applications(
            world.municipality_id, msgspec.structs.replace(NOVEMBER, channel="remote_workplace")
        )
        assert chan.totals.received == 1
        prov = await terms(
            world.municipality_id, msgspec.structs.replace(NOVEMBER, provider_id=world.provider_id)
        )
        assert (prov.totals.decided, prov.totals.median_days) == (1, 3)
        by_settlement = await applications(world.municipality_id, NOVEMBER, "settlement")
        assert {r.key: r.received for r in by_settlement.rows} == {"Ковель": 5, "Дубове": 2}
        by_provider = await applications(world.municipality_id, NOVEMBER, "provider")
        assert {r.key: r.received for r in by_provider.rows} == {"": 6, str(world.provider_id): 1}
        served = await spending(
            world.municipality_id, msgspec.structs.replace(NOVEMBER, service_code=B), "service"
        )
        assert [(r.key, r.total) for r in served.rows] == [(B, Decimal("500.00"))]


def _xlsx(content: bytes) -> dict[str, list[list[Any]]]:
    book = load_workbook(io.BytesIO(content))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


async def test_pages_and_downloads(world: World, visitor: httpx.AsyncClient) -> None:
    with time_machine.travel(TODAY, tick=False):
        await build(world)
        await sign_in(visitor, f"{world.slug}.admin")
        home = await visitor.get("/desk/admin")
        assert 'href="/desk/reports"' in home.text
        index = await visitor.get("/desk/reports")
        assert index.status_code == 200
        assert "Вирішено вчасно" in index.text
        assert 'href="/desk/quality"' in index.text
        q = "start=2026-11-01&end=2026-11-30"
        page = await visitor.get(f"/desk/reports/terms?{q}")
        assert page.status_code == 200
        assert "<svg" in page.text
        assert "80.0" in page.text
        assert "R-5" in page.text
        got = await visitor.get(f"/desk/reports/terms?{q}&format=xlsx")
        assert got.status_code == 200
        sheets = _xlsx(got.content)
        main, overdue = list(sheets.values())
        assert main[-1][:7] == ["Разом", 5, 4, 80.0, 3, 16, 1]
        assert [r[0] for r in overdue[1:]] == ["R-3", "R-5"]
        money = _xlsx((await visitor.get(f"/desk/reports/money?{q}&format=xlsx")).content)
        total = next(iter(money.values()))[-1]
        assert total[1:6] == [1200, 500, 1700, 100000, 1.7]
        apps = _xlsx((await visitor.get(f"/desk/reports/applications?{q}&format=xlsx")).content)
        first, grounds = list(apps.values())
        assert first[-1][:7] == ["Разом", 7, 5, 3, 2, 1, 1]
        assert grounds[1] == ["income", 2]
        csv = await visitor.get(f"/desk/reports/coverage?{q}&format=csv")
        assert csv.headers["content-type"].startswith("text/csv")
        assert "Дубове;1;2000;0.5;1" in csv.content.decode("utf-8-sig")
        english = await visitor.get(f"/desk/reports/money?{q}&lang=en")
        assert "Spent" in english.text
        assert "UAH" in english.text
        bad = await visitor.get("/desk/reports/terms?start=2026-13-01")
        assert bad.status_code == 400
        assert (await visitor.get("/desk/reports/nothing")).status_code == 404


@pytest.mark.parametrize("role", ["provider", "citizen", "caseworker"])
async def test_others_may_not_read(world: World, visitor: httpx.AsyncClient, role: str) -> None:
    await sign_in(visitor, f"{world.slug}.{role}")
    for path in ("/desk/reports", "/desk/reports/money?format=xlsx"):
        assert (await visitor.get(path)).status_code == 403


@pytest.mark.parametrize("role", ["auditor", "accountant"])
async def test_auditor_and_accountant_read(
    world: World, visitor: httpx.AsyncClient, role: str
) -> None:
    await sign_in(visitor, f"{world.slug}.{role}")
    assert (await visitor.get("/desk/reports")).status_code == 200


def test_texts_have_the_same_keys() -> None:
    assert REPORT_TEXTS["uk"].keys() == REPORT_TEXTS["en"].keys()
