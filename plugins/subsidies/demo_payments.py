"""Demo of the subsidy's money path: three utility providers with direct contracts on the
municipality's line of payments to the population, subsidies assigned to a few demo
households (two paid to the providers, two in cash), a provider's charge lower than the
subsidy (so money carries over), and every month from the application up to last month
paid: deliveries the invoice run bills, and payouts due to the recipients."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import msgspec
from stdnum.ua import edrpou

from core.sdk import (
    Actor,
    BudgetLine,
    Citizen,
    DecisionIn,
    DomainError,
    Platform,
    Provider,
    ProviderIn,
    RequestIn,
    VerifyIn,
    budget,
    citizen_flow,
    clock,
    contracts,
    decode,
    iban_for,
    provider_flow,
    request_flow,
)
from plugins.subsidies import assign, charges, pay
from plugins.subsidies.demo import DEFAULTS, household
from plugins.subsidies.model import SubsidyForm
from plugins.subsidies.periods import add_months, season_of
from plugins.subsidies.schemas import AssignIn, ChargeLine, ChargesIn, PayIn
from plugins.subsidies.service import CODE
from plugins.subsidies.trace import Lookup

#: Utility providers of the demo: name, the utility they are paid for, ЄДРПОУ body.
UTILITIES = (
    ("КП «Теплокомуненерго»", "heating", "0334663"),
    ("ОСББ «Затишний двір»", "housing_maintenance", "4312870"),
    ("ТОВ «Волиньелектрозбут»", "electricity", "4211375"),
)
PROGRAMME, ECONOMIC = "0813242", "2730"
TOP_UP = Decimal(250_000)


async def _provider(admin: Actor, rng: random.Random, name: str, body: str) -> int:
    code = body + str(edrpou.calc_check_digit(body))
    found = await Provider.select(Provider.id).where(
        (Provider.municipality == admin.municipality_id) & (Provider.edrpou == code)
    )
    if found:
        return int(found[0]["id"])
    made = await provider_flow.create(
        admin, ProviderIn(name=name, kind="utility", iban=iban_for(rng), edrpou=code)
    )
    await provider_flow.verify(admin, made.id, VerifyIn(comment="Демо: надавач ЖКП"))
    return made.id


async def _line(admin: Actor, year: int) -> int:
    """The year's line of other payments to the population, funding the subsidy too."""
    row = (
        await BudgetLine.select()
        .where(
            (BudgetLine.municipality == admin.municipality_id)
            & (BudgetLine.year == year)
            & (BudgetLine.programme_code == PROGRAMME)
            & (BudgetLine.economic_code == ECONOMIC)
        )
        .first()
    )
    if row is None:
        made = await budget.create(
            admin,
            budget.BudgetLineIn(
                year=year,
                programme_code=PROGRAMME,
                economic_code=ECONOMIC,
                name="Інші заходи у сфері соціального захисту: місцева програма субсидій",
                allocation=TOP_UP,
                lump_sum_services=[CODE],
            ),
        )
        return made.id
    services = decode(row["lump_sum_services"], [])
    await budget.update(
        admin,
        row["id"],
        budget.BudgetLinePatch(
            allocation=Decimal(row["allocation_kop"]) / 100 + TOP_UP,
            name=row["name"] if CODE in services else f"{row['name']}; житлові субсидії",
            lump_sum_services=sorted({*services, CODE}),
        ),
    )
    return int(row["id"])


async def _contracts(
    platform: Platform, admin: Actor, providers: dict[str, int], line: int, since: date
) -> dict[str, int]:
    out = {}
    for utility, provider_id in providers.items():
        iban = await Provider.select(Provider.iban).where(Provider.id == provider_id).first()
        assert iban is not None
        body = contracts.ContractIn(
            provider_id=provider_id,
            service_code=CODE,
            period_start=date(since.year, 1, 1),
            period_end=date(clock.today().year, 12, 31),
            tariff={"settlement_account": iban["iban"]},
            volume_cap=Decimal(1000),
            money_cap=Decimal(60_000),
            budget_line_id=line,
        )
        out[utility] = (await contracts.create_direct(platform, admin, body)).id
    return out


def _form(
    rng: random.Random, person: dict[str, Any], on: date, providers: dict[str, int], cash: bool
) -> SubsidyForm:
    members, dwelling, utilities = household(rng, citizen_flow.snapshot(person), on)
    return SubsidyForm(
        members=members,
        dwelling=dwelling,
        utilities=[
            msgspec.structs.replace(u, provider_id=providers.get(u.kind)) for u in utilities
        ],
        purchases=[],
        currency_purchases=[],
        deposits_total=Decimal(0),
        vehicles=[],
        other_dwellings=[],
        utility_debts=[],
        payment_channel="cash" if cash else "non_cash",
        iban=iban_for(rng) if cash else "",
    )


async def _assigned(
    platform: Platform, admin: Actor, form: SubsidyForm, citizen_id: int, on: date, contract: int
) -> Any:
    detail = await request_flow.submit(
        platform,
        admin,
        RequestIn(
            service_code=CODE,
            citizen_id=citizen_id,
            form=msgspec.to_builtins(form),
            channel="front_office",
            received_on=on,
        ),
    )
    if detail.eligibility != "eligible":
        return None
    await request_flow.decide(
        platform, admin, detail.id, DecisionIn(decision="approve", comment="Демо: право є.")
    )
    cash = form.payment_channel == "cash"
    body = AssignIn(contract_id=None if cash else contract, assigned_on=None if cash else on)
    return await assign.assign(platform, admin, detail.id, body)


def heating_start(today: date) -> date:
    """The start of the last heating season that began before this month: the demo's
    households apply on that day, so their subsidies cover heating and have months
    already past to pay."""
    look = Lookup(DEFAULTS)
    season, start, _ = season_of(add_months(today.replace(day=1), -1), False, look)
    if season == "heating":
        return start
    _, start, _ = season_of(start - timedelta(days=1), False, look)
    return start


async def prepare(
    platform: Platform, admin: Actor, citizen_ids: list[int], rng: random.Random
) -> None:
    today = clock.today()
    since = heating_start(today)
    providers = {u: await _provider(admin, rng, name, body) for name, u, body in UTILITIES}
    try:
        line = await _line(admin, today.year)
        contract_ids = await _contracts(platform, admin, providers, line, since)
    except DomainError:  # the line cannot take the demo's money: no payments then
        return
    last_month = f"{add_months(today.replace(day=1), -1):%Y-%m}"
    months: set[str] = set()
    for n, citizen_id in enumerate(citizen_ids):
        person = await Citizen.select().where(Citizen.id == citizen_id).first()
        assert person is not None
        form = _form(rng, person, since, providers, cash=n % 2 == 1)
        try:
            made = await _assigned(
                platform,
                admin,
                form,
                citizen_id,
                since + timedelta(days=n),
                contract_ids["heating"],
            )
        except DomainError:
            continue
        if made is None:
            continue
        due = sorted({m.month for m in made.months if m.month <= last_month})
        months.update(due)
        if n == 0 and due:  # heat charged below the subsidy: the rest carries over
            heat = next(m for m in made.months if m.month == due[0] and m.utility == "heating")
            await charges.store(
                admin,
                ChargesIn(
                    month=due[0],
                    lines=[
                        ChargeLine(
                            assignment_id=made.id,
                            utility="heating",
                            charged=max(heat.amount - Decimal(150), Decimal(0)),
                        )
                    ],
                ),
            )
    for month in sorted(months):
        await pay.pay_month(platform, admin, PayIn(month=month))
