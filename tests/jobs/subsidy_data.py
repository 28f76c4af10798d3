"""Households with an assigned housing subsidy for last month, written straight into the
tables (the subsidy pay run's input, made quickly for the jobs' tests): three utility
providers under direct contracts, three utilities a household, one in ten in cash."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core import clock
from core.db.market import Assignment, BudgetLine, Contract, Delivery, Payout
from core.db.tables import Citizen, Provider, Request
from plugins.subsidies.tables import SubsidyAssignment, SubsidyMonth
from tests.world import IBAN, World

UTILITIES = (("heating", 185_000), ("housing_maintenance", 21_000), ("electricity", 9_500))
CODE = "subsidies.housing"


def last_month() -> tuple[str, date]:
    """The month before today's (it has begun and ended): ("YYYY-MM", its first day)."""
    first = clock.today().replace(day=1) - timedelta(days=1)
    first = first.replace(day=1)
    return f"{first.year:04d}-{first.month:02d}", first


async def households(w: World, n: int) -> tuple[str, list[int]]:
    """``n`` households assigned from the first day of last month: (month, their
    assignments' ids); every tenth one is paid in cash."""
    month, first = last_month()
    m = w.municipality_id
    line = BudgetLine(
        municipality=m,
        year=first.year,
        programme_code="0813242",
        economic_code="2730",
        name="subsidies",
        allocation_kop=10**15,
        committed_kop=0,
        lump_sum_services=f'["{CODE}"]',
    )
    await line.save()
    contracts = {}
    for i, (utility, _) in enumerate(UTILITIES):
        provider = Provider(
            municipality=m,
            name=f"Надавач {utility}",
            kind="utility",
            edrpou=["37993783", "38008294", "34814859"][i],
            iban=IBAN,
            verified=True,
        )
        await provider.save()
        contract = Contract(
            municipality=m,
            number=f"S-{m}-{i}",
            provider=provider.id,
            service_code=CODE,
            period_start=date(first.year - 1, 1, 1),
            period_end=date(first.year + 1, 12, 31),
            tariff='{"settlement_account": ""}',
            volume_cap_milli=10**15,
            money_cap_kop=10**15,
            budget_line=line.id,
            status="active",
        )
        await contract.save()
        contracts[utility] = (int(provider.id), int(contract.id))
    ids = []
    for i in range(n):
        citizen = Citizen(
            municipality=m, last_name=f"Субсидія{i}", first_name="Тест", categories="[]"
        )
        await citizen.save()
        cash = i % 10 == 9
        request = Request(
            municipality=m,
            journal_number=f"S-{m}-{i:06d}",
            service_code=CODE,
            citizen=citizen.id,
            channel="front_office",
            eligibility="eligible",
            status="approved" if cash else "assigned",
            received_on=first,
            due_date=first + timedelta(days=14),
            applicant_snapshot='{"last_name": "Субсидія", "first_name": "Тест"}',
        )
        await request.save()
        if not cash:
            for _, contract_id in contracts.values():
                await Assignment(
                    municipality=m,
                    request=request.id,
                    contract=contract_id,
                    assigned_at=datetime(first.year, first.month, 1, 9, tzinfo=UTC),
                ).save()
        assignment = SubsidyAssignment(
            municipality=m,
            request=request.id,
            citizen=citizen.id,
            season="heating",
            applied_on=first,
            period_start=first,
            period_end=first + timedelta(days=180),
            income_monthly_kop=1_200_000,
            mandatory_percent="5.00",
            subsidy_kop=sum(k for _, k in UTILITIES),
            channel="cash" if cash else "non_cash",
            iban=IBAN if cash else "",
        )
        await assignment.save()
        for utility, kop in UTILITIES:
            await SubsidyMonth(
                municipality=m,
                assignment=assignment.id,
                month=month,
                utility=utility,
                provider=contracts[utility][0],
                amount_kop=kop,
            ).save()
        ids.append(int(assignment.id))
    return month, ids


async def payments(w: World, month: str) -> tuple[dict[str, int], dict[int, int]]:
    """How many recorded deliveries each delivery key has, and payouts each request."""
    keys: dict[str, int] = {}
    for r in await Delivery.select(Delivery.unique_key).where(
        (Delivery.municipality == w.municipality_id) & (Delivery.service_code == CODE)
    ):
        keys[r["unique_key"]] = keys.get(r["unique_key"], 0) + 1
    paid: dict[int, int] = {}
    for r in await Payout.select(Payout.request).where(
        (Payout.municipality == w.municipality_id) & (Payout.period == month)
    ):
        paid[r["request"]] = paid.get(r["request"], 0) + 1
    return keys, paid
