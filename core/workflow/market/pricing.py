"""Pricing a delivery under a contract's tariff, one price or one price per part.

A service with one price per unit (``Service.tariff_parts`` empty) prices a delivery
itself: the plugin's :class:`core.service.Pricing` gives the quantity and the amount. A
service with a multi-part tariff gives the quantity of each part; the core prices each part
at the contract's price for it, money(quantity × price), and the delivery's amount is their
sum. The parts are stored with the delivery (``delivery_part``) and the invoice prints one
line per part (:mod:`core.workflow.market.invoices`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import msgspec

from core.db.market import DeliveryPart
from core.service import Service, TariffPart
from core.workflow.market.units import money, to_kopiyky, to_milli


class PricingError(Exception):
    """A plugin's pricing breaks the contract (a part the service does not declare, an
    amount beside parts): a fault of the plugin, not of the caller."""

    def __init__(self, service: str, message: str) -> None:
        super().__init__(f"service {service!r}: {message}")


class PartAmount(msgspec.Struct, frozen=True):
    """One part of one delivery: its key, quantity (thousandths) and amount (kopiyky)."""

    part: str
    quantity_milli: int
    amount_kop: int


class Priced(msgspec.Struct, frozen=True):
    """A delivery priced: quantity in the service's unit (thousandths), amount (kopiyky)
    and, for a multi-part tariff, its parts."""

    quantity_milli: int
    amount_kop: int
    parts: tuple[PartAmount, ...] = ()


def part_price(part: TariffPart, tariff: Any) -> Decimal | None:
    """The tariff's price of the part (a Struct or its JSON form), or None."""
    field = part.price_field
    value = tariff.get(field) if isinstance(tariff, Mapping) else getattr(tariff, field, None)
    return None if value is None else Decimal(str(value))


def priced(service: Service, tariff: Any, delivery: Any) -> Priced:
    """Price one delivery with the service's ``price`` under the contract's tariff."""
    assert service.price is not None
    pricing = service.price(tariff, delivery)
    quantity = to_milli(pricing.quantity)
    if not service.tariff_parts:
        if pricing.parts:
            raise PricingError(service.code, "prices parts but declares no tariff_parts")
        return Priced(quantity, to_kopiyky(money(pricing.amount)))
    if pricing.amount:
        raise PricingError(service.code, "a multi-part tariff gives parts, not an amount")
    declared = {p.key: p for p in service.tariff_parts}
    unknown = sorted(set(pricing.parts) - set(declared))
    if unknown:
        raise PricingError(service.code, f"prices unknown parts {unknown}")
    parts: list[PartAmount] = []
    for key in declared:  # in the declared order, the order of the act's lines
        if key not in pricing.parts:
            continue
        price = part_price(declared[key], tariff)
        if price is None:
            raise PricingError(service.code, f"the tariff has no price of part {key!r}")
        milli = to_milli(pricing.parts[key])
        if milli:
            amount = to_kopiyky(money(Decimal(milli) / 1000 * price))
            parts.append(PartAmount(key, milli, amount))
    return Priced(quantity, sum(p.amount_kop for p in parts), tuple(parts))


async def store_parts(rows: Iterable[tuple[int, PartAmount]], chunk: int = 1000) -> None:
    """Insert the parts of stored deliveries, ``(delivery id, part)`` each, in the
    caller's transaction."""
    pending = list(rows)
    for start in range(0, len(pending), chunk):
        part = pending[start : start + chunk]
        values = ", ".join("({}, {}, {}, {})" for _ in part)
        await DeliveryPart.raw(
            "INSERT INTO delivery_part (delivery_id, part, quantity_milli, amount_kop) "
            f"VALUES {values}",
            *[v for d, p in part for v in (d, p.part, p.quantity_milli, p.amount_kop)],
        )
