"""Social taxi: trips priced to the kopiyka, and tariffs and trips checked at the edge."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
import pytest

from core.money import from_kopiyky
from core.workflow.market.pricing import priced
from plugins.disability_transport.billing import (
    TransportTariff,
    TripDelivery,
    price_trip,
    started_quarters,
    tariff_from_unit_price,
)
from plugins.disability_transport.service import SERVICE


def tariff(base: str = "200", km: str = "20", wait: str = "60", **flags: bool) -> TransportTariff:
    return msgspec.convert(
        {
            "base_fee": base,
            "per_km": km,
            "per_started_15_min_waiting": wait,
            "bill_no_shows": flags.get("no_shows", True),
            "bill_late_cancellations": flags.get("late", False),
        },
        TransportTariff,
    )


PRICES = [
    # tariff, outcome, km, waiting minutes, amount
    (tariff(), "completed", "12.5", 31, "630.00"),  # 200 + 250 + 3 × 60
    (tariff(), "completed", "12.5", 0, "450.00"),
    (tariff(), "completed", "0", 15, "260.00"),
    (tariff(), "completed", "0", 16, "320.00"),
    (tariff(), "completed", "3.333", 1, "326.66"),  # 200 + 66.66 + 60
    (tariff("100", "13.333"), "completed", "1.5", 0, "120.00"),  # 119.9995 half up
    (tariff("100", "0.005", "0"), "completed", "1", 600, "100.01"),  # 100.005 half up
    (tariff(), "no_show", "0", 0, "200.00"),
    (tariff(no_shows=False), "no_show", "7", 20, "0.00"),
    (tariff(late=True), "late_cancellation", "0", 0, "200.00"),
    (tariff(), "late_cancellation", "0", 0, "0.00"),
    (tariff_from_unit_price(Decimal("215.50")), "completed", "30", 45, "215.50"),
]


@pytest.mark.parametrize(
    ("tariff_", "outcome", "km", "waiting", "amount"),
    PRICES,
    ids=[f"{p[1]}-{p[4]}-{i}" for i, p in enumerate(PRICES)],
)
def test_price_to_the_kopiyka(
    tariff_: TransportTariff, outcome: Any, km: str, waiting: int, amount: str
) -> None:
    trip = TripDelivery(booking_id=1, outcome=outcome, km=Decimal(km), waiting_minutes=waiting)
    got = priced(SERVICE, tariff_, trip)
    assert got.quantity_milli == 1000
    assert str(from_kopiyky(got.amount_kop)) == amount
    assert got.amount_kop == sum(p.amount_kop for p in got.parts)


def test_a_completed_trip_bills_three_parts_and_an_unbilled_no_show_none() -> None:
    trip = TripDelivery(booking_id=1, outcome="completed", km=Decimal("12.5"), waiting_minutes=31)
    assert price_trip(tariff(), trip).parts == {"trip": 1, "km": Decimal("12.5"), "waiting": 3}
    assert [
        (p.part, p.quantity_milli, p.amount_kop) for p in priced(SERVICE, tariff(), trip).parts
    ] == [
        ("trip", 1000, 20000),
        ("km", 12500, 25000),
        ("waiting", 3000, 18000),
    ]
    missed = TripDelivery(booking_id=1, outcome="no_show")
    assert price_trip(tariff(no_shows=False), missed).parts == {}
    assert price_trip(tariff(), missed).parts == {"trip": 1}


@pytest.mark.parametrize(("minutes", "quarters"), [(0, 0), (1, 1), (15, 1), (16, 2), (31, 3)])
def test_started_quarters(minutes: int, quarters: int) -> None:
    assert started_quarters(minutes) == quarters


def test_a_unit_price_makes_a_base_fee_only_tariff() -> None:
    assert SERVICE.tariff_from_unit_price is not None
    assert SERVICE.tariff_from_unit_price(Decimal(200)) == TransportTariff(
        base_fee=Decimal(200),
        per_km=Decimal(0),
        per_started_15_min_waiting=Decimal(0),
        bill_no_shows=True,
        bill_late_cancellations=False,
    )


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("base_fee", {"base_fee": "0"}),
        ("base_fee", {"base_fee": "NaN"}),
        ("per_km", {"per_km": "-0.01"}),
        ("per_started_15_min_waiting", {"per_started_15_min_waiting": "Infinity"}),
    ],
)
def test_prices_are_checked(field: str, changes: dict[str, str]) -> None:
    body = {**msgspec.to_builtins(tariff()), **changes}
    with pytest.raises(msgspec.ValidationError, match=field):
        msgspec.convert(body, TransportTariff)
    prices = {k: Decimal(str(v)) for k, v in body.items() if k.startswith(("base", "per"))}
    with pytest.raises(ValueError, match=field):
        TransportTariff(**prices, bill_no_shows=True, bill_late_cancellations=False)


@pytest.mark.parametrize(
    "trip",
    [
        {"booking_id": 1, "outcome": "completed", "km": "-1"},
        {"booking_id": 1, "outcome": "completed", "km": "1000.5"},
        {"booking_id": 1, "outcome": "completed", "waiting_minutes": 1441},
        {"booking_id": -1, "outcome": "completed"},
        {"booking_id": 1, "outcome": "lost"},
        {"booking_id": 1, "outcome": "no_show", "extra": 1},
    ],
)
def test_bad_trips_are_refused_at_the_edge(trip: dict[str, Any]) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(trip, TripDelivery)
