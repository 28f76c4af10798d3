"""Demo rows of the social taxi: a carrier with two accessible vehicles under a contract
for the service and, for a few of the given citizens, a served registration with trips in
every state (see :mod:`plugins.disability_transport.demo_trips`).

The use cases run with the platform the hook is given. When the core has not made a
contract for the service yet, a direct contract is made with the municipality's first
provider that has a user, on its first services budget line. The
demo's own later deliveries are carrier-logged trips (see
:mod:`plugins.disability_transport.demo_delivery`), so the demo municipality turns
``unbooked_trips_allowed`` on.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

import msgspec

from core.sdk import (
    Actor,
    BudgetLine,
    Contract,
    DomainError,
    Platform,
    Provider,
    User,
    VerifyIn,
    clock,
    contracts,
    decode,
    parameter_flow,
    provider_flow,
)
from plugins.disability_transport import billing, demo_trips, vehicles
from plugins.disability_transport.billing import TransportTariff
from plugins.disability_transport.schemas import VehicleIn
from plugins.disability_transport.service import CODE, PLUGIN, SERVICE
from plugins.disability_transport.tables import Vehicle

FLEET = [
    VehicleIn(
        plate="ВС 1001 ТХ",
        model="Ford Transit (підйомник)",
        has_lift=True,
        wheelchair_places=2,
        seats=4,
    ),
    VehicleIn(
        plate="ВС 1002 ТХ",
        model="Renault Master (пандус)",
        has_ramp=True,
        wheelchair_places=1,
        seats=3,
    ),
]


async def _fleet(platform: Platform, carrier: Actor) -> list[int]:
    ids = []
    for body in FLEET:
        try:
            ids.append((await vehicles.create(platform, carrier, body)).id)
        except DomainError:  # registered by an earlier run
            rows = await Vehicle.select(Vehicle.id).where(
                (Vehicle.municipality == carrier.municipality_id) & (Vehicle.plate == body.plate)
            )
            ids.extend(r["id"] for r in rows)
    return ids


async def _existing_contract(municipality_id: int) -> dict[str, Any] | None:
    found: dict[str, Any] | None = (
        await Contract.select(Contract.id, Contract.provider)
        .where(
            (Contract.municipality == municipality_id)
            & (Contract.service_code == CODE)
            & (Contract.status == "active")
        )
        .order_by(Contract.id, ascending=False)
        .first()
    )
    return found


async def _carrier_id(municipality_id: int) -> int | None:
    """The first provider of the municipality that has a user."""
    rows = await User.select(User.provider).where(
        (User.municipality == municipality_id) & (User.role == "provider")
    )
    with_user = sorted(r["provider"] for r in rows if r["provider"] is not None)
    if with_user:
        return int(with_user[0])
    first = await Provider.select(Provider.id).where(Provider.municipality == municipality_id)
    return int(first[0]["id"]) if first else None


async def _direct_contract(
    platform: Platform, admin: Actor, provider_id: int, since: date
) -> dict[str, Any] | None:
    """A direct contract with the carrier on the first services budget line of the year."""
    year = clock.today().year
    lines = await BudgetLine.select().where(
        (BudgetLine.municipality == admin.municipality_id) & (BudgetLine.year == year)
    )
    line = next((r for r in lines if not decode(r["lump_sum_services"], [])), None)
    if line is None:
        return None
    base = SERVICE.reference_unit_price or Decimal(200)
    tariff = TransportTariff(
        base_fee=base,
        per_km=billing.REFERENCE_PER_KM,
        per_started_15_min_waiting=billing.REFERENCE_PER_WAITING,
        bill_no_shows=True,
        bill_late_cancellations=False,
    )
    await provider_flow.verify(admin, provider_id, VerifyIn(comment="Демо: перевізник"))
    body = contracts.ContractIn(
        provider_id=provider_id,
        service_code=CODE,
        period_start=date(since.year, 1, 1),
        period_end=date(year, 12, 31),
        tariff=msgspec.to_builtins(tariff),
        volume_cap=Decimal(400),
        money_cap=Decimal(100_000),
        budget_line_id=line["id"],
    )
    try:
        made = await contracts.create_direct(platform, admin, body)
    except DomainError:  # the line is spent, say
        return None
    return {"id": made.id, "provider": made.provider_id}


async def prepare(platform: Platform, admin: Actor, citizen_ids: list[int], since: date) -> None:
    muni = admin.municipality_id
    await parameter_flow.set_value(
        platform,
        admin,
        f"{PLUGIN}.unbooked_trips_allowed",
        since,
        True,
        "Демо: поїздки з журналу перевізника",
    )
    contract = await _existing_contract(muni)
    provider_id = contract["provider"] if contract else await _carrier_id(muni)
    if provider_id is None:
        return
    user = (
        await User.select(User.id)
        .where((User.provider == provider_id) & (User.role == "provider"))
        .first()
    )
    carrier = msgspec.structs.replace(
        admin, id=user["id"] if user else admin.id, role="provider", provider_id=provider_id
    )
    fleet = await _fleet(platform, carrier)
    if contract is None:
        contract = await _direct_contract(platform, admin, provider_id, since)
    if contract is None or not fleet:
        return
    rng = random.Random(muni * 7 + len(citizen_ids))
    for n, citizen_id in enumerate(citizen_ids[:4]):
        request_id = await demo_trips.registration(
            platform, admin, citizen_id, contract["id"], rng, since
        )
        if request_id is None:
            continue
        await demo_trips.past_trips(platform, carrier, request_id, contract["id"], fleet, n, rng)
        await demo_trips.planned(platform, admin, request_id, n)
