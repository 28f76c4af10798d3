"""Many contracts with a month of deliveries each, written straight into the tables (the
invoice run's input, made quickly for the jobs' tests)."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.db.market import Assignment, BudgetLine, Contract, Delivery, DeliverySheet, Invoice
from core.db.tables import Request
from core.jobs import runner, store
from core.jobs.store import JobOut
from tests.world import World

PERIOD = "2026-10"
SERVICE = "homeless.hot_meal"


async def contracts_with_deliveries(w: World, n: int, per_contract: int = 2) -> list[int]:
    """``n`` contracts of the world's provider, each with an open October 2026 sheet of
    ``per_contract`` deliveries of 45.50 UAH."""
    line = BudgetLine(
        municipality=w.municipality_id,
        year=2026,
        programme_code="0813241",
        economic_code="2240",
        name="jobs",
        allocation_kop=10**12,
        committed_kop=0,
    )
    await line.save()
    ids = []
    for i in range(n):
        contract = Contract(
            municipality=w.municipality_id,
            number=f"J-{w.municipality_id}-{i}",
            provider=w.provider_id,
            service_code=SERVICE,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            tariff='{"unit_price": "45.50"}',
            volume_cap_milli=10**12,
            money_cap_kop=10**12,
            budget_line=line.id,
            status="active",
        )
        await contract.save()
        request = Request(
            municipality=w.municipality_id,
            journal_number=f"J-{w.municipality_id}-{i}",
            service_code=SERVICE,
            citizen=w.citizen_id,
            channel="front_office",
            eligibility="eligible",
            status="assigned",
            received_on=date(2026, 9, 1),
            due_date=date(2026, 9, 10),
        )
        await request.save()
        assignment = Assignment(
            municipality=w.municipality_id, request=request.id, contract=contract.id
        )
        await assignment.save()
        sheet = DeliverySheet(
            municipality=w.municipality_id,
            contract=contract.id,
            period=PERIOD,
            status="open",
            deliveries=per_contract,
        )
        await sheet.save()
        await Delivery.insert(
            *[
                Delivery(
                    municipality=w.municipality_id,
                    contract=contract.id,
                    sheet=sheet.id,
                    assignment=assignment.id,
                    request=request.id,
                    provider=w.provider_id,
                    service_code=SERVICE,
                    delivered_on=date(2026, 10, 1 + d),
                    quantity_milli=1000,
                    amount_kop=4550,
                    idempotency_key=f"j{contract.id}-{d}",
                )
                for d in range(per_contract)
            ]
        )
        ids.append(int(contract.id))
    return ids


async def invoice_counts(contract_ids: list[int]) -> dict[int, int]:
    """How many invoices each contract has."""
    rows = await Invoice.select(Invoice.contract).where(Invoice.contract.is_in(contract_ids))
    counts = dict.fromkeys(contract_ids, 0)
    for r in rows:
        counts[r["contract"]] += 1
    return counts


async def complete(platform: Any, job_id: int) -> JobOut:
    """Let the job finish: on SQLite it already runs in this process (wait for it); on
    PostgreSQL, where no worker runs in these tests, run it here as a worker would."""
    await runner.settle()
    if (await store.read(job_id)).active:
        await runner.run_here(platform, job_id)
    return await store.read(job_id)
