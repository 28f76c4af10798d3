"""The demo rental point and its contract.

The core demo lets plugins prepare before it awards its own contracts, so the demo rental
point gets a direct contract of its own (a communal-style arrangement), paid from the
municipality's social-services budget line at the reference item-day price.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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
    money,
)
from core.sdk import provider_flow as providers
from plugins.rental_aids.billing import tariff_from_unit_price
from plugins.rental_aids.service import CODE, reference_price

VOLUME = Decimal(5000)  # item-days a year


async def rental_point(municipality_id: int) -> int | None:
    """The first provider with a provider user, else the municipality's first provider."""
    users = (
        await User.select(User.provider)
        .where(
            (User.municipality == municipality_id)
            & (User.role == "provider")
            & User.provider.is_not_null()
        )
        .order_by(User.id)
    )
    if users:
        return int(users[0]["provider"])
    first = (
        await Provider.select(Provider.id)
        .where(Provider.municipality == municipality_id)
        .order_by(Provider.id)
        .first()
    )
    return None if first is None else int(first["id"])


async def rental_contract(
    platform: Platform, admin: Actor, provider_id: int, since: date
) -> int | None:
    """An active contract of the service with the rental point: found, or made directly."""
    today = clock.today()
    found = (
        await Contract.select(Contract.id)
        .where(
            (Contract.municipality == admin.municipality_id)
            & (Contract.service_code == CODE)
            & (Contract.provider == provider_id)
            & (Contract.status == "active")
            & (Contract.period_end >= today)
        )
        .order_by(Contract.id)
        .first()
    )
    if found is not None:
        return int(found["id"])
    price = reference_price(today)
    cap = money(price * VOLUME)
    lines = (
        await BudgetLine.select(BudgetLine.id, BudgetLine.allocation_kop, BudgetLine.committed_kop)
        .where(
            (BudgetLine.municipality == admin.municipality_id)
            & (BudgetLine.economic_code == "2240")
        )
        .order_by(BudgetLine.id)
    )
    line = next(
        (r for r in lines if r["allocation_kop"] - r["committed_kop"] >= int(cap * 100)), None
    )
    if line is None:
        return None
    try:
        await providers.verify(admin, provider_id, VerifyIn(comment="Пункт прокату (демо)"))
        made = await contracts.create_direct(
            platform,
            admin,
            contracts.ContractIn(
                provider_id=provider_id,
                service_code=CODE,
                period_start=date(since.year, 1, 1),
                period_end=date(today.year, 12, 31),
                tariff=msgspec.to_builtins(tariff_from_unit_price(price)),
                volume_cap=VOLUME,
                money_cap=cap,
                budget_line_id=line["id"],
                capacity=200,
            ),
        )
    except DomainError:
        return None
    return made.id
