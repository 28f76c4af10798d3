"""What the rental point is paid: item-days on loan, and a fee per return for cleaning.

A contract's tariff fixes the price of one item-day and the cleaning and disinfection fee
per returned item. Each month the rental point records, per loan, one ``item_days``
delivery with the days the item was on loan in that month, and one ``cleaning`` delivery
per item returned in that month (its quantity is 0 item-days; only its fee counts).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from core.sdk import DeliveryContext, Money, PositiveMoney, Pricing, Text, money

UNIT = Text("предмет-день", "item-day")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LIMIT = Decimal("1000000")


def _amount(value: Decimal, field: str, *, zero_ok: bool) -> None:
    low_ok = value.is_finite() and (value >= 0 if zero_ok else value > 0)
    if not low_ok or value > LIMIT:
        bound = "не менша за нуль / not below zero" if zero_ok else "більша за нуль / above zero"
        raise ValueError(f"{field}: ціна має бути {bound}, до {LIMIT} грн")


class RentalTariff(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The contract's prices, UAH: one item-day on loan; cleaning of one returned item."""

    per_item_day: PositiveMoney
    per_return_cleaning: Money

    def __post_init__(self) -> None:
        _amount(self.per_item_day, "per_item_day", zero_ok=False)
        _amount(self.per_return_cleaning, "per_return_cleaning", zero_ok=True)


def tariff_from_unit_price(unit_price: Decimal) -> RentalTariff:
    """A call's unit price is the item-day price; cleaning is then included (fee 0)."""
    return RentalTariff(per_item_day=unit_price, per_return_cleaning=Decimal(0))


class RentalDelivery(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Item-days of one loan in one month, the cleaning of an item returned that month, or
    a correction: item-days of ``month`` billed beyond a return dated back into it
    (negative ``days``, recorded when the late return is known, credited on the next
    invoice of the contract)."""

    loan_id: Annotated[int, Meta(ge=1, le=2_147_483_647)]
    kind: Literal["item_days", "cleaning", "correction"]
    days: Annotated[int, Meta(ge=-62, le=31)] = 0
    month: Annotated[str, Meta(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]

    def __post_init__(self) -> None:
        if self.kind == "item_days" and self.days < 1:
            raise ValueError("days: предмет-днів має бути від 1 / item_days need 1 day or more")
        if self.kind == "cleaning" and self.days != 0:
            raise ValueError("days: для прибирання днів не зазначають / cleaning has no days")
        if self.kind == "correction" and self.days > -1:
            raise ValueError(
                "days: коригування знімає дні, від −1 / a correction credits days: -1 or fewer"
            )


def price(tariff: RentalTariff, delivery: RentalDelivery) -> Pricing:
    if delivery.kind == "cleaning":
        return Pricing(quantity=Decimal(0), amount=money(tariff.per_return_cleaning))
    days = Decimal(delivery.days)  # negative for a correction: a credit
    return Pricing(quantity=days, amount=money(tariff.per_item_day * days))


def delivery_key(ctx: DeliveryContext) -> str:
    """One item-days delivery per loan and month, and one cleaning per loan and month."""
    d: RentalDelivery = ctx.delivery
    return f"loan:{d.loan_id}:{d.month}:{d.kind}"
