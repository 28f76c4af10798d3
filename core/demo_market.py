"""Demo data of the social order: budget lines, offers, a finished call and an open one,
contracts, people served, a month of deliveries, and invoices and payouts in every state.
Everything goes through the same use cases a specialist, a provider and an accountant
use."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import msgspec

from core import clock
from core.actor import Actor
from core.db.market import CallForProposals, Payout
from core.db.tables import Citizen, Provider
from core.parameters import BACKDATE_DAYS
from core.platform import Platform
from core.schemas import DecisionIn, RequestIn
from core.service import Service
from core.workflow import citizens as citizen_flow
from core.workflow import parameters as parameter_flow
from core.workflow import requests as request_flow
from core.workflow.market import (
    assignments,
    budget,
    calls,
    contracts,
    deliveries,
    invoices,
    part_prices,
)
from core.workflow.market import offers as offer_flow
from core.workflow.market import payouts as payout_flow
from core.workflow.market.budget import BudgetLineIn
from core.workflow.market.units import MILLI, money, period_of


def previous_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


#: How many days back the demo's staff may date what they enter (receipts, assignments):
#: the demo enters the history of up to a year (a subsidy since the last heating season).
DEMO_BACKDATE_DAYS = 400


async def allow_history(platform: Platform, admin: Actor, today: date) -> None:
    """The demo enters months of history today: widen the municipality's window for late
    dates (``core.intake_backdate_days``, 30 days by default) as an admin would."""
    await parameter_flow.set_value(
        platform,
        admin,
        BACKDATE_DAYS,
        today,
        DEMO_BACKDATE_DAYS,
        "Демо: історію минулих місяців внесено заднім числом / demo: past months entered late",
    )


async def budget_lines(admin: Actor, year: int, city: bool) -> dict[str, int]:
    scale = Decimal(1 if city else Decimal("0.2"))
    lines = {
        "services": BudgetLineIn(
            year=year,
            programme_code="0813241",
            economic_code="2240",
            name="Забезпечення соціальними послугами, що надаються надавачами недержавного сектору",
            allocation=money(Decimal(3_000_000) * scale),
        ),
        "lump_sums": BudgetLineIn(
            year=year,
            programme_code="0813242",
            economic_code="2730",
            name="Інші заходи у сфері соціального захисту: допомога на поховання",
            allocation=money(Decimal(400_000) * scale),
            lump_sum_services=["funeral_aid.lump_sum"],
        ),
    }
    return {key: (await budget.create(admin, body)).id for key, body in lines.items()}


def _price(service: Service) -> Decimal:
    assert service.reference_unit_price is not None
    return service.reference_unit_price


def _prices(service: Service, factor: Decimal) -> dict[str, Decimal]:
    """The reference price of every part of a multi-part tariff, times ``factor``."""
    return {k: money(v * factor) for k, v in service.reference_prices.items()}


def _volumes(service: Service, volume: Decimal, rng: random.Random) -> dict[str, Decimal]:
    """The expected quantity of every part over ``volume`` units of the service, from
    the shares of the parts in the plugin's demo deliveries."""
    assert service.price is not None
    assert service.example_delivery is not None
    tariff = part_prices.tariff_of(service, service.reference_prices)
    units = Decimal(0)
    totals = dict.fromkeys((p.key for p in service.tariff_parts), Decimal(0))
    for _ in range(50):
        pricing = service.price(tariff, service.example_delivery(rng, clock.today()))
        units += pricing.quantity
        for key, quantity in pricing.parts.items():
            totals[key] += quantity
    return {
        key: max((volume * total / (units or 1)).quantize(MILLI), Decimal(1))
        for key, total in totals.items()
    }


def _priced(service: Service) -> bool:
    """Whether the demo knows a price of the service: of its unit or of every part."""
    return bool(service.reference_prices if service.tariff_parts else service.reference_unit_price)


def _provider_actor(user_id: int, provider_id: int, admin: Actor) -> Actor:
    return msgspec.structs.replace(admin, id=user_id, role="provider", provider_id=provider_id)


async def social_order(
    platform: Platform,
    actors: dict[str, Actor],
    provider_users: dict[int, int],
    line_id: int,
    rng: random.Random,
    today: date,
) -> dict[str, int]:
    admin = actors["admin"]
    muni = admin.municipality_id
    services = [
        s
        for s in await platform.services(muni)
        if s.payee == "provider" and s.example_form and s.example_delivery and _priced(s)
    ]
    if not services:
        return {}
    providers = [
        r["id"]
        for r in await Provider.select(Provider.id)
        .where(Provider.municipality == muni)
        .order_by(Provider.id)
    ]
    await Provider.update({Provider.verified: True}).where(Provider.id.is_in(providers))
    bidders = [p for p in providers if p in provider_users]
    for service in services:
        for provider_id in bidders:
            factor = Decimal(rng.choice(["0.9", "1", "1.1"]))
            parts = bool(service.tariff_parts)
            await offer_flow.create(
                platform,
                admin,
                offer_flow.OfferIn(
                    service_code=service.code,
                    unit_price=None if parts else money(_price(service) * factor),
                    prices=_prices(service, factor) if parts else {},
                    capacity=40,
                    area=[],
                    provider_id=provider_id,
                    description="Демонстраційна пропозиція",
                ),
            )
    start, _ = previous_month(today)
    period = (date(start.year, 1, 1), date(today.year, 12, 31))
    made: dict[str, int] = {}
    by_plugin: dict[str, list[Service]] = {}
    for service in services:
        by_plugin.setdefault(platform.host.service_plugin[service.code], []).append(service)
    for group in by_plugin.values():
        made[group[0].code] = await _awarded_call(
            platform, actors, provider_users, bidders, group[0], line_id, period, rng
        )
        communal = providers[2] if len(providers) > 2 else bidders[0]
        for service in group[1:3]:
            made[service.code] = await _direct_contract(
                platform,
                admin,
                service,
                communal if communal in provider_users else bidders[0],
                line_id,
                period,
            )
    await _open_call(platform, actors["caseworker"], services[0], line_id, period)
    return made


async def _open_call(
    platform: Platform, caseworker: Actor, service: Service, line_id: int, period: tuple[date, date]
) -> None:
    """A call still taking bids (a month to go) that nobody has bid on yet: the provider's
    desk shows it under the open calls, with the form to bid."""
    if service.tariff_from_unit_price is None and not service.tariff_parts:
        return
    parts = bool(service.tariff_parts)
    await calls.create_call(
        platform,
        caseworker,
        calls.CallIn(
            service_code=service.code,
            title=f"Соціальне замовлення, додатковий обсяг: {service.card.title.uk}",
            volume=Decimal(600),
            max_unit_price=None if parts else money(_price(service) * Decimal("1.15")),
            max_prices=_prices(service, Decimal("1.15")) if parts else {},
            period_start=period[0],
            period_end=period[1],
            criteria=[
                calls.Criterion(code="price", name="Ціна", weight=50),
                calls.Criterion(code="quality", name="Якість, досвід, персонал", weight=50),
            ],
            deadline=clock.now() + timedelta(days=30),
            budget_line_id=line_id,
            description="Додатковий обсяг послуги до кінця року.",
        ),
    )


async def _awarded_call(
    platform: Platform,
    actors: dict[str, Actor],
    provider_users: dict[int, int],
    bidders: list[int],
    first: Service,
    line_id: int,
    period: tuple[date, date],
    rng: random.Random,
) -> int:
    """A finished call: two bids, the commission's scores, the award; the contract's id."""
    admin, caseworker = actors["admin"], actors["caseworker"]
    parts = bool(first.tariff_parts)
    call = await calls.create_call(
        platform,
        caseworker,
        calls.CallIn(
            service_code=first.code,
            title=f"Соціальне замовлення: {first.card.title.uk}",
            volume=Decimal(3000),
            max_unit_price=None if parts else money(_price(first) * Decimal("1.2")),
            max_prices=_prices(first, Decimal("1.2")) if parts else {},
            period_start=period[0],
            period_end=period[1],
            criteria=[
                calls.Criterion(code="price", name="Ціна", weight=40),
                calls.Criterion(code="quality", name="Якість, досвід, персонал", weight=60),
            ],
            deadline=clock.now() + timedelta(days=1),
            budget_line_id=line_id,
            description="Конкурс на закупівлю соціальних послуг у надавачів недержавного сектору.",
        ),
    )
    bids = []
    for provider_id in bidders:
        actor = _provider_actor(provider_users[provider_id], provider_id, admin)
        factor = Decimal(rng.choice(["0.95", "1.05"]))
        bid = (
            calls.BidIn(
                prices=_prices(first, factor),
                volumes=_volumes(first, Decimal(2500), rng),
                answers={"quality": "Досвід роботи понад 3 роки"},
            )
            if parts
            else calls.BidIn(
                unit_price=money(_price(first) * factor),
                volume=Decimal(2500),
                answers={"quality": "Досвід роботи понад 3 роки"},
            )
        )
        bids.append(await calls.submit_bid(platform, actor, call.id, bid))
    await CallForProposals.update(
        {CallForProposals.deadline: clock.now() - timedelta(hours=1)}
    ).where(CallForProposals.id == call.id)
    for member in (caseworker, admin):
        for made in bids:
            await calls.score_bid(
                member,
                made.id,
                calls.ScoreIn(
                    scores={"price": rng.randint(60, 95), "quality": rng.randint(60, 95)}
                ),
            )
    awarded = await calls.award(platform, admin, call.id, calls.AwardIn(capacity=40))
    return awarded.id


async def _direct_contract(
    platform: Platform,
    admin: Actor,
    service: Service,
    provider_id: int,
    line_id: int,
    period: tuple[date, date],
) -> int:
    contract = await contracts.create_direct(
        platform,
        admin,
        contracts.ContractIn(
            provider_id=provider_id,
            service_code=service.code,
            period_start=period[0],
            period_end=period[1],
            tariff=msgspec.to_builtins(service.tariff_from_unit_price(_price(service)))
            if service.tariff_from_unit_price
            else {},
            volume_cap=Decimal(1500),
            money_cap=money(_price(service) * 1500),
            budget_line_id=line_id,
            capacity=40,
        ),
    )
    return contract.id


async def demo_people(municipality_id: int, people: int) -> list[int]:
    """The citizens the plugins' demo rows and the served requests are about."""
    rows = (
        await Citizen.select(Citizen.id)
        .where(Citizen.municipality == municipality_id)
        .order_by(Citizen.id)
    )
    return [r["id"] for r in rows[10 : 10 + people]]


async def prepare_plugins(platform: Platform, admin: Actor, today: date, people: int) -> None:
    """Every plugin enabled in the municipality sets up its own demo rows."""
    start, _ = previous_month(today)
    await platform.host.prepare_demo(
        platform,
        admin,
        await platform.enabled_plugins(admin.municipality_id),
        await demo_people(admin.municipality_id, people),
        start - timedelta(days=20),
    )


async def serve_people(
    platform: Platform,
    actors: dict[str, Actor],
    provider_users: dict[int, int],
    contract_ids: dict[str, int],
    rng: random.Random,
    today: date,
    people: int,
) -> int:
    """Register people in the plugins, make their requests, assign them, deliver a month."""
    admin, intake, caseworker = actors["admin"], actors["intake"], actors["caseworker"]
    muni = admin.municipality_id
    start, end = previous_month(today)
    chosen = await demo_people(muni, people)
    recorded = 0
    for citizen_id in chosen:
        citizen = await Citizen.select().where(Citizen.id == citizen_id).first()
        assert citizen is not None
        applicant = citizen_flow.snapshot(citizen)
        for code, contract_id in contract_ids.items():
            service: Service = platform.host.services[code]
            assert service.example_form is not None
            assert service.example_delivery is not None
            form = service.example_form(rng, applicant, start)
            detail = await request_flow.submit(
                platform,
                intake,
                RequestIn(
                    service_code=code,
                    citizen_id=citizen_id,
                    form=msgspec.to_builtins(form),
                    channel="front_office",
                    received_on=start - timedelta(days=5),
                ),
            )
            if detail.eligibility != "eligible":
                continue
            await request_flow.decide(
                platform, caseworker, detail.id, DecisionIn(decision="approve")
            )
            await assignments.assign(
                caseworker,
                detail.id,
                assignments.AssignIn(contract_id=contract_id, assigned_on=start),
            )
            contract = await contracts.read(admin, contract_id)
            provider = _provider_actor(
                provider_users.get(contract.provider_id, admin.id), contract.provider_id, admin
            )
            share = 0.7 if code.endswith("night_stay") else 0.4 if code.endswith("meal") else 0.08
            day = start
            while day <= end:
                if rng.random() < share:
                    delivery = service.example_delivery(rng, day)
                    _, created = await deliveries.record(
                        platform,
                        provider,
                        deliveries.DeliveryIn(
                            request_id=detail.id,
                            delivered_on=day,
                            idempotency_key=f"demo-{detail.id}-{day}",
                            data=msgspec.to_builtins(delivery),
                        ),
                    )
                    recorded += created
                day += timedelta(days=1)
    return recorded


async def bill(
    platform: Platform, actors: dict[str, Actor], provider_users: dict[int, int], today: date
) -> dict[str, int]:
    """Invoices of last month in every state, and lump sums paid or due."""
    accountant = actors["accountant"]
    start, _ = previous_month(today)
    made = await invoices.run(platform, accountant, invoices.RunIn(period=period_of(start)))
    states: dict[str, int] = {}
    for n, invoice in enumerate(made):
        # A provider without a user of its own (a utility) has its invoice submitted by
        # the admin on its behalf, so the accountant's approval stays a second pair of eyes.
        provider = _provider_actor(
            provider_users.get(invoice.provider_id, actors["admin"].id),
            invoice.provider_id,
            actors["admin"],
        )
        if n % 4 != 3:
            await invoices.submit(platform, provider, invoice.id)
        if n % 4 in (0, 1):
            await invoices.approve(platform, accountant, invoice.id)
        if n % 4 == 0:
            await invoices.pay(
                platform,
                accountant,
                invoice.id,
                invoices.PayIn(paid_on=today, reference=f"ПД-{1000 + invoice.id}"),
            )
        final = await invoices.read(accountant, invoice.id)
        states[final.status] = states.get(final.status, 0) + 1
    # A payout with no funding line of its year (a subsidy month of last year, say) waits
    # for the accountant to choose the line; the demo pays only those it can.
    due = await Payout.select(Payout.id).where(
        (Payout.municipality == accountant.municipality_id)
        & (Payout.status == "due")
        & Payout.budget_line.is_not_null()
    )
    for n, payout in enumerate(due):
        if n % 2 == 0:
            await payout_flow.pay(
                accountant,
                payout["id"],
                payout_flow.PayoutPayIn(paid_on=today, reference=f"ВП-{payout['id']}"),
            )
    return states


def summary_line(states: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(states.items()))
