"""Prices and volumes per part of a multi-part tariff in calls, bids and offers.

A service with ``tariff_parts`` is bought part by part: a call sets a maximum price of
every part (``max_prices``), a bid and an offer price every part (``prices``) and a bid
expects a quantity of every part over the contract (``volumes``). The bid's expected cost,
Σ money(price × volume), is what the award reserves on the budget line; the first declared
part is counted in the service's unit, so its volume is the contract's volume cap
(docs/marketplace.md, "Multi-part tariffs").

Prices are stored as JSON ``{part: kopiyky}`` and volumes as ``{part: thousandths}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import msgspec

from core.errors import Invalid
from core.platform import decode
from core.service import Service
from core.workflow.market.units import (
    from_kopiyky,
    from_milli,
    money,
    positive_money,
    positive_quantity,
    to_kopiyky,
    to_milli,
)


def _keys(service: Service, given: Mapping[str, Any], field: str, what: tuple[str, str]) -> None:
    """Every declared part is given and no other; the error names the first wrong one."""
    declared = [p.key for p in service.tariff_parts]
    for key in given:
        if key not in declared:
            raise Invalid(
                f"{field}.{key}: тариф не має такої складової, є {declared} / "
                f"the tariff has no such part, it has {declared}",
                f"{field}.{key}",
            )
    for key in declared:
        if key not in given:
            raise Invalid(
                f"{field}.{key}: вкажіть {what[0]} кожної складової тарифу / "
                f"give {what[1]} of every part of the tariff",
                f"{field}.{key}",
            )


def checked_prices(
    service: Service, given: Mapping[str, Decimal], field: str
) -> dict[str, Decimal]:
    """A price above zero for every part of the service's tariff, in the declared order;
    an error names the part (``prices.km``)."""
    _keys(service, given, field, ("ціну", "a price"))
    return {p.key: positive_money(given[p.key], f"{field}.{p.key}") for p in service.tariff_parts}


def checked_volumes(
    service: Service, given: Mapping[str, Decimal], field: str
) -> dict[str, Decimal]:
    """A quantity above zero for every part of the service's tariff, in the declared
    order; an error names the part (``volumes.km``)."""
    _keys(service, given, field, ("обсяг", "a quantity"))
    return {
        p.key: positive_quantity(given[p.key], f"{field}.{p.key}") for p in service.tariff_parts
    }


def not_above(prices: Mapping[str, Decimal], maxima: Mapping[str, Decimal], field: str) -> None:
    """Each price at most the call's maximum of its part."""
    for key, price in prices.items():
        limit = maxima.get(key)
        if limit is not None and price > limit:
            raise Invalid(
                f"{field}.{key}: ціна {price} вища за граничну {limit} / "
                "the price is above the call's maximum",
                f"{field}.{key}",
            )


def cost(prices: Mapping[str, Decimal], volumes: Mapping[str, Decimal]) -> Decimal:
    """The expected cost: Σ money(price × volume), each part rounded to the kopiyka as
    the invoice rounds a line."""
    return sum((money(prices[k] * volumes[k]) for k in prices), Decimal("0.00"))


def unit_volume(service: Service, volumes: Mapping[str, Decimal]) -> Decimal:
    """The volume in the service's unit: that of the first declared part."""
    return volumes[service.tariff_parts[0].key]


def tariff_of(service: Service, prices: Mapping[str, Decimal]) -> msgspec.Struct:
    """The contract's tariff from a price per part: the plugin's ``tariff_from_prices``,
    else the tariff Struct with each part's price in its field (its other fields take
    their defaults, :mod:`core.tariff_parts` checks this at load)."""
    if service.tariff_from_prices is not None:
        return service.tariff_from_prices(prices)
    assert service.tariff is not None
    fields = {p.price_field: prices[p.key] for p in service.tariff_parts}
    return msgspec.convert(fields, service.tariff)


def prices_json(prices: Mapping[str, Decimal]) -> str:
    return msgspec.json.encode({k: to_kopiyky(v) for k, v in prices.items()}).decode()


def volumes_json(volumes: Mapping[str, Decimal]) -> str:
    return msgspec.json.encode({k: to_milli(v) for k, v in volumes.items()}).decode()


def prices_of(stored: Any) -> dict[str, Decimal]:
    """A stored ``{part: kopiyky}`` column as prices in UAH."""
    return {k: from_kopiyky(int(v)) for k, v in decode(stored, {}).items()}


def volumes_of(stored: Any) -> dict[str, Decimal]:
    """A stored ``{part: thousandths}`` column as quantities."""
    return {k: from_milli(int(v)) for k, v in decode(stored, {}).items()}
