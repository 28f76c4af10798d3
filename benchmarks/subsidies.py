"""Benchmark: a month of housing subsidies paid to utility providers and in cash.

Creates, in a fresh database, a municipality with three utility providers under direct
contracts and N households with an assigned subsidy (three utilities each; one in ten
paid in cash), analyses the tables, then times the real month's pay run
(``plugins.subsidies.pay.pay_month``): one delivery per non-cash line, one payout per
cash household. A second run of the same month (everything already paid) is timed too.

    python -m benchmarks.subsidies                      # SQLite file in a temp folder
    python -m benchmarks.subsidies --postgres postgresql://postgres@127.0.0.1:5432/test
    python -m benchmarks.subsidies --households 20000

Figures and targets: docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from benchmarks.billing import _drop_postgres, _fresh_postgres
from core.actor import Actor
from core.config import Settings
from core.db import engine as db_engine
from core.db.migrate import migrate
from core.platform import Platform

MONTH = "2026-10"
UTILITIES = (("heating", 185_000), ("housing_maintenance", 21_000), ("electricity", 9_500))
IBAN = "UA213223130000026007233566001"


async def _scaffold(households: int) -> tuple[int, int]:
    """The municipality, its providers, contracts and the assigned households; returns
    (municipality, user)."""
    from core.db.market import Assignment, BudgetLine, Contract
    from core.db.tables import Citizen, Municipality, Provider, Request, User
    from plugins.subsidies.tables import SubsidyAssignment, SubsidyMonth

    muni = Municipality(
        slug="bench",
        name_uk="Бенчмарк",
        name_en="Benchmark",
        settlements='["Місто"]',
        enabled_plugins='["subsidies"]',
    )
    await muni.save()
    user = User(municipality=muni.id, username="bench.acc", password_hash="x", role="accountant")
    await user.save()
    line = BudgetLine(
        municipality=muni.id,
        year=2026,
        programme_code="0813242",
        economic_code="2730",
        name="bench",
        allocation_kop=10**15,
        committed_kop=0,
        lump_sum_services='["subsidies.housing"]',
    )
    await line.save()
    contracts = {}
    for n, (utility, _) in enumerate(UTILITIES):
        provider = Provider(
            municipality=muni.id,
            name=f"Надавач {utility}",
            kind="utility",
            edrpou=["37993783", "38008294", "34814859"][n],
            iban=IBAN,
            verified=True,
        )
        await provider.save()
        contract = Contract(
            municipality=muni.id,
            number=f"S-{n}",
            provider=provider.id,
            service_code="subsidies.housing",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            tariff='{"settlement_account": ""}',
            volume_cap_milli=10**15,
            money_cap_kop=10**15,
            budget_line=line.id,
            status="active",
        )
        await contract.save()
        contracts[utility] = (int(provider.id), int(contract.id))
    for i in range(households):
        citizen = Citizen(
            municipality=muni.id, last_name=f"Бенч{i}", first_name="Тест", categories="[]"
        )
        await citizen.save()
        cash = i % 10 == 9
        request = Request(
            municipality=muni.id,
            journal_number=f"2026-S{i:06d}",
            service_code="subsidies.housing",
            citizen=citizen.id,
            channel="front_office",
            eligibility="eligible",
            status="approved" if cash else "assigned",
            received_on=date(2026, 10, 1),
            due_date=date(2026, 10, 15),
            applicant_snapshot='{"last_name": "Бенч", "first_name": "Тест"}',
        )
        await request.save()
        if not cash:
            for _, contract_id in contracts.values():
                # Assigned when the household applied: October is paid within October.
                await Assignment(
                    municipality=muni.id,
                    request=request.id,
                    contract=contract_id,
                    assigned_at=datetime(2026, 10, 1, 9, tzinfo=UTC),
                ).save()
        assignment = SubsidyAssignment(
            municipality=muni.id,
            request=request.id,
            citizen=citizen.id,
            season="heating",
            applied_on=date(2026, 10, 1),
            period_start=date(2026, 10, 1),
            period_end=date(2027, 4, 30),
            income_monthly_kop=1_200_000,
            mandatory_percent="5.00",
            subsidy_kop=sum(k for _, k in UTILITIES),
            channel="cash" if cash else "non_cash",
            iban=IBAN if cash else "",
        )
        await assignment.save()
        for utility, kop in UTILITIES:
            await SubsidyMonth(
                municipality=muni.id,
                assignment=assignment.id,
                month=MONTH,
                utility=utility,
                provider=contracts[utility][0],
                amount_kop=kop,
            ).save()
    return int(muni.id), int(user.id)


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL to create a database in")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="hromada-bench-")
    pg_name = ""
    if args.postgres:
        url, pg_name = await _fresh_postgres(args.postgres)
    else:
        url = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    try:
        platform = Platform(Settings(database_url=url, plugins=("subsidies",)))
        platform.bind_database()
        db = db_engine.engine()
        await db_engine.start(db)
        await migrate()
        started = time.perf_counter()
        muni, user = await _scaffold(args.households)
        await db.run_ddl("ANALYZE")  # as autovacuum would have, on a table that grew
        print(
            f"engine: {type(db).__name__}; {args.households:,} households "
            f"({len(UTILITIES)} utilities each, one in ten in cash) set up in "
            f"{time.perf_counter() - started:.1f} s"
        )
        from plugins.subsidies.pay import pay_month
        from plugins.subsidies.schemas import PayIn

        actor = Actor(
            id=user,
            username="bench.acc",
            full_name="",
            role="accountant",
            municipality_id=muni,
            municipality_slug="bench",
        )
        t0 = time.perf_counter()
        out = await pay_month(platform, actor, PayIn(month=MONTH))
        first_s = time.perf_counter() - t0
        lines = len(out.lines)
        assert out.skipped == 0, [x.reason for x in out.lines if x.outcome == "skipped"][:3]
        assert out.recorded == lines, out
        t0 = time.perf_counter()
        again = await pay_month(platform, actor, PayIn(month=MONTH))
        second_s = time.perf_counter() - t0
        assert again.already_recorded == lines
        assert again.recorded == 0
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"pay run:   {first_s:.1f} s for {lines:,} lines "
            f"({lines / first_s:.0f} lines/s, {out.total:,.2f} UAH)"
        )
        print(f"rerun:     {second_s:.1f} s (everything already paid)")
        print(f"peak memory: {rss_mb:.0f} MB RSS for the whole process")
        await db_engine.stop(db)
    finally:
        if pg_name:
            await _drop_postgres(args.postgres, pg_name)
        tmp.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
