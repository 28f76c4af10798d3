"""Social taxi: booking rules (table-driven, with the words the user reads) and the
delivery check's verdicts on a trip against its booking."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from core.service import ContractTerms, DeliveryContext
from plugins.disability_transport import booking_rules as br
from plugins.disability_transport import checks
from plugins.disability_transport.billing import TransportTariff, TripDelivery
from plugins.disability_transport.common import KYIV
from plugins.disability_transport.service import SERVICE
from tests.plugins.test_disability_transport_rules import MUNI, ON, RESIDENT, params

FRIDAY = date(2026, 3, 20)
VAN = {"plate": "ВС1001ТХ", "active": True, "wheelchair_places": 1, "seats": 2}
VAN.update(has_lift=False, has_ramp=False)

BOOKING = [
    # finding, outcome, words (uk)
    (lambda: br.lead_time(params(), ON, ON + timedelta(days=1)), "passed", "17.03.2026"),
    (lambda: br.lead_time(params(), ON, ON), "failed", "найраніша дата — 17.03.2026"),
    (lambda: br.lead_time(params(), FRIDAY, FRIDAY + timedelta(days=1)), "failed", "23.03.2026"),
    (lambda: br.lead_time(params(), FRIDAY, FRIDAY + timedelta(days=3)), "passed", "23.03.2026"),
    (
        lambda: br.lead_time(params(booking_lead_working_days=2), ON, ON + timedelta(days=1)),
        "failed",
        "за 2 робоч. дн.",
    ),
    (lambda: br.purpose(params(), ON, "medical"), "passed", "заклад охорони здоров'я"),
    (lambda: br.purpose(params(), ON, "shops"), "failed", "«магазини» не обслуговується"),
    (lambda: br.purpose(params(), ON, "market"), "failed", "не возить до магазинів"),
    (lambda: br.purpose(params(excluded_purposes=[]), ON, "market"), "passed", "ринок"),
    (lambda: br.duration(params(), ON, 8 * 60, 180), "passed", "180 хв"),
    (lambda: br.duration(params(), ON, 8 * 60, 181), "failed", "181 хв, довше ніж 3 год"),
    (lambda: br.duration(params(max_trip_hours=4), ON, 8 * 60, 181), "passed", "181 хв"),
    (lambda: br.duration(params(), ON, 23 * 60, 60), "failed", "до опівночі"),
    (lambda: br.monthly_cap(params(), ON, 3), "passed", "4-а поїздка з 4"),
    (lambda: br.monthly_cap(params(), ON, 4), "failed", "Ліміт 4 поїздок за місяць вичерпано"),
    (lambda: br.monthly_cap(params(monthly_trip_cap=0), ON, 40), "passed", "немає"),
    (lambda: br.yearly_cap(params(), ON, 100), "passed", "Ліміту поїздок за рік немає"),
    (lambda: br.yearly_cap(params(yearly_trip_cap=8), ON, 8), "failed", "Ліміт 8 поїздок за рік"),
    (lambda: br.vehicle_fit(VAN, "manual", True), "passed", "підходить"),
    (lambda: br.vehicle_fit({**VAN, "active": False}, "none", False), "failed", "не працює"),
    (
        lambda: br.vehicle_fit({**VAN, "wheelchair_places": 0}, "manual", False),
        "failed",
        "немає місця для крісла",
    ),
    (lambda: br.vehicle_fit(VAN, "electric", False), "failed", "без підйомника і пандуса"),
    (lambda: br.vehicle_fit({**VAN, "has_ramp": True}, "electric", False), "passed", "підходить"),
    (
        lambda: br.vehicle_fit({**VAN, "seats": 1}, "none", True),
        "failed",
        "лише 1 сидінь, потрібно 2",
    ),
]


@pytest.mark.parametrize(("make", "outcome", "words"), BOOKING, ids=[str(i) for i in range(24)])
def test_booking_rule(make: Any, outcome: str, words: str) -> None:
    finding = make()
    assert finding.outcome == outcome, finding
    assert words in finding.message.uk, finding.message.uk
    assert finding.message.en


@pytest.mark.parametrize(("before", "late"), [(121, False), (120, False), (119, True), (5, True)])
def test_a_cancellation_within_the_deadline_is_late(before: int, late: bool) -> None:
    start = datetime(2026, 3, 17, 10, 0, tzinfo=KYIV)
    assert br.is_late(params(), start - timedelta(minutes=before), start) is late
    assert (
        br.is_late(params(cancellation_deadline_hours=0), start - timedelta(minutes=5), start)
        is False
    )


# ------------------------------------------------------------------ delivery check
TARIFF = TransportTariff(
    base_fee=Decimal(200),
    per_km=Decimal(20),
    per_started_15_min_waiting=Decimal(60),
    bill_no_shows=True,
    bill_late_cancellations=False,
)


def ctx(trip: TripDelivery, **overrides: Any) -> DeliveryContext:
    return DeliveryContext(
        municipality=MUNI,
        contract=ContractTerms(
            id=1,
            number="СЗ-1",
            provider_id=3,
            service_code=SERVICE.code,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            tariff=TARIFF,
        ),
        request_id=11,
        applicant=RESIDENT,
        received_on=date(2026, 1, 1),
        assigned_on=date(2026, 1, 1),
        delivered_on=ON,
        delivery=trip,
        params=params(**overrides),
    )


DONE = TripDelivery(booking_id=5, outcome="completed", km=Decimal("12.5"), waiting_minutes=31)
ROW = {
    "request": 11,
    "vehicle.provider": 3,
    "status": "completed",
    "outcome_on": ON,
    "km_milli": 12500,
    "waiting_minutes": 31,
}
CHECKS = [
    (DONE, ROW, "passed", "Поїздка за бронюванням № 5 16.03.2026: виконана"),
    (DONE, None, "failed", "Бронювання № 5 не знайдено"),
    (DONE, {**ROW, "request": 12}, "failed", "належить іншому зверненню"),
    (DONE, {**ROW, "vehicle.provider": 4}, "failed", "не призначене автомобілю надавача"),
    (DONE, {**ROW, "vehicle.provider": None}, "failed", "не призначене автомобілю"),
    (DONE, {**ROW, "status": "cancelled"}, "failed", "має стан «скасована вчасно»"),
    (DONE, {**ROW, "outcome_on": ON - timedelta(days=1)}, "failed", "датоване 15.03.2026"),
    (DONE, {**ROW, "km_milli": 12600}, "failed", "інший пробіг"),
    (
        TripDelivery(booking_id=5, outcome="no_show"),
        {**ROW, "status": "no_show", "km_milli": 0, "waiting_minutes": 0},
        "passed",
        "неявка пасажира",
    ),
]


@pytest.mark.parametrize(
    ("trip", "row", "outcome", "words"), CHECKS, ids=[str(i) for i in range(9)]
)
def test_booking_finding(
    trip: TripDelivery, row: dict[str, Any] | None, outcome: str, words: str
) -> None:
    finding = checks.booking_finding(ctx(trip), row)
    assert finding.outcome == outcome, finding
    assert words in finding.message.uk, finding.message.uk


@pytest.mark.parametrize(
    ("outcome", "allowed", "result", "words"),
    [
        ("completed", False, "failed", "Поїздку без бронювання (booking_id = 0) не оплачують"),
        ("completed", True, "passed", "з журналу перевізника"),
        ("no_show", True, "failed", "лише за бронюванням"),
    ],
)
def test_unbooked_trips_pass_only_where_allowed(
    outcome: Any, allowed: bool, result: str, words: str
) -> None:
    trip = TripDelivery(booking_id=0, outcome=outcome)
    finding = checks.unbooked(ctx(trip, unbooked_trips_allowed=allowed))
    assert finding.outcome == result
    assert words in finding.message.uk
    assert SERVICE.delivery_key is not None
    assert SERVICE.delivery_key(ctx(trip)) is None
    assert SERVICE.delivery_key(ctx(DONE)) == "trip:5"
