"""A two-part service for the tests of multi-part tariffs: meals delivered to the person's
home, priced per portion and per kilometre of the delivery run (the issue's "обід 20 …"
with the trips made visible). It takes the place of ``homeless.hygiene`` for one test."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated

import msgspec
import pytest

from core.platform import Platform
from core.service import Pricing, TariffPart, Text

CODE = "homeless.hygiene"
MEAL, KM = "meal", "km"


class MealRunTariff(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    meal_price: Decimal
    km_price: Decimal
    note: str = ""


class MealRun(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    portions: Annotated[int, msgspec.Meta(ge=0, le=3)]
    km: Decimal = Decimal(0)


PARTS = (
    TariffPart(
        key=MEAL, label=Text("обід", "meal"), unit=Text("порція", "portion"), field="meal_price"
    ),
    TariffPart(
        key=KM, label=Text("доставка", "delivery run"), unit=Text("км", "km"), field="km_price"
    ),
)


def price_run(tariff: MealRunTariff, delivery: MealRun) -> Pricing:
    return Pricing(
        quantity=Decimal(delivery.portions),
        parts={MEAL: Decimal(delivery.portions), KM: delivery.km},
    )


def tariff_from_prices(prices: Mapping[str, Decimal]) -> MealRunTariff:
    return MealRunTariff(meal_price=prices[MEAL], km_price=prices[KM], note="конкурс")


def swap_in(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> str:
    """``homeless.hygiene`` becomes the two-part service until the test ends; its code."""
    service = msgspec.structs.replace(
        platform.host.services[CODE],
        tariff=MealRunTariff,
        delivery=MealRun,
        price=price_run,
        tariff_parts=PARTS,
        tariff_from_prices=tariff_from_prices,
        check_delivery=None,
        check_deliveries=None,
        delivery_key=None,
        example_delivery=None,
    )
    monkeypatch.setitem(platform.host.services, CODE, service)
    monkeypatch.setattr(platform, "_services", {})
    return CODE
