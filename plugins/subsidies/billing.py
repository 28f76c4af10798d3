"""What a utility provider is paid: the assigned amount of a month and utility.

The price is the assigned amount, not a unit price: one delivery is one month of one
utility, priced at the amount the delivery carries, which the check compares with the
assignment (see :mod:`plugins.subsidies.checks`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import msgspec
from msgspec import Meta

from core.sdk import DeliveryContext, Month, PositiveMoney, Pricing, Text, money
from plugins.subsidies.model import Id, UtilityKind, checked

#: The service's code (here, so the billing modules need not import the service).
SERVICE_CODE = "subsidies.housing"
UNIT = Text("місяць", "month")


class SubsidyTariff(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The utility provider's account subsidies are settled to (no unit price)."""

    settlement_account: Annotated[str, Meta(max_length=64, pattern=r"^[^\x00]*$")] = ""


class SubsidyDelivery(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One month of one utility of an assigned subsidy."""

    assignment_id: Id
    utility: UtilityKind
    month: Month
    amount: PositiveMoney

    def __post_init__(self) -> None:
        checked(self.amount, "amount", positive=True, most=10_000_000)


def price(tariff: SubsidyTariff, delivery: SubsidyDelivery) -> Pricing:
    return Pricing(quantity=Decimal(1), amount=money(delivery.amount))


def tariff_from_unit_price(unit_price: Decimal) -> SubsidyTariff:
    return SubsidyTariff()


def key_of(assignment_id: int, utility: str, month: str) -> str:
    return f"subsidy:{assignment_id}:{utility}:{month}"


def delivery_key(ctx: DeliveryContext) -> str:
    """One payment per assignment, utility and month, whichever contract records it."""
    d = ctx.delivery
    return key_of(d.assignment_id, d.utility, d.month)
