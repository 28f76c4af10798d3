"""The social taxi registration: card, form, rules, and how a carrier is paid per trip.

The registration is one request; once approved and assigned to a carrier's contract, each
trip is a booking (:mod:`plugins.disability_transport.bookings`) and each completed trip,
no-show or late cancellation becomes one billable delivery.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from core.sdk import Parameters, Payee, Service, clock, load_parameters
from plugins.disability_transport import (
    billing,
    cards,
    checks,
    demo_delivery,
    forms,
    labels,
    rules,
)

PLUGIN = "disability_transport"
CODE = f"{PLUGIN}.registration"
PARAMETERS = load_parameters(Path(__file__).with_name("parameters.toml"), PLUGIN)


def _reference_price() -> Decimal:
    return Parameters(PARAMETERS).decimal(f"{PLUGIN}.reference_price_trip", clock.today())


SERVICE = Service(
    code=CODE,
    card=cards.CARD,
    form=forms.RegistrationForm,
    labels=labels.FORM,
    rules=rules.RULES,
    payee=Payee.provider,
    parameters=PARAMETERS,
    example_form=forms.example_registration,
    unit=billing.UNIT,
    tariff=billing.TransportTariff,
    delivery=billing.TripDelivery,
    delivery_labels=labels.DELIVERY,
    price=billing.price_trip,
    check_delivery=checks.check_trip,
    delivery_key=billing.trip_key,
    tariff_from_unit_price=billing.tariff_from_unit_price,
    tariff_parts=billing.PARTS,
    tariff_from_prices=billing.tariff_from_prices,
    reference_unit_price=_reference_price(),
    reference_prices={
        billing.TRIP: _reference_price(),
        billing.KM: billing.REFERENCE_PER_KM,
        billing.WAITING: billing.REFERENCE_PER_WAITING,
    },
    example_delivery=demo_delivery.example_delivery,
)
