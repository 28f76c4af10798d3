"""The rental point's service: card, form, rules, unit, tariff and deliveries.

The rental point is run by a provider under a contract (``Payee.provider``), paid per
item-day on loan and a cleaning fee per return (see :mod:`plugins.rental_aids.billing`);
the person pays nothing. Deliveries are checked against the loans (``checks``).
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from core.sdk import Parameters, Payee, Service, clock, load_parameters
from plugins.rental_aids import billing, cards, checks, forms, labels, rules
from plugins.rental_aids.days import month_of

PLUGIN = "rental_aids"
CODE = f"{PLUGIN}.loan"
PARAMETERS = load_parameters(Path(__file__).with_name("parameters.toml"), PLUGIN)


def reference_price(on: date | None = None) -> Decimal:
    """The reference item-day price in force (an ASSUMPTION in parameters.toml)."""
    return Parameters(PARAMETERS).decimal(f"{PLUGIN}.reference_price_item_day", on or clock.today())


def example_delivery(rng: random.Random, day: date) -> billing.RentalDelivery:
    """A well-formed delivery of the day's month.

    A generic delivery cannot name a real loan of the request it is recorded against, so
    the check refuses it. The demo never records it: ``prepare_demo`` makes the loans,
    bills them (real deliveries) and uses up the demo citizens' medical conclusions, so
    the core demo's own requests of this service are not eligible and get no deliveries.
    """
    return billing.RentalDelivery(
        loan_id=rng.randint(1, 1000), kind="item_days", days=day.day, month=month_of(day)
    )


SERVICE = Service(
    code=CODE,
    card=cards.CARD,
    form=forms.LoanForm,
    labels=labels.FORM,
    rules=rules.RULES,
    payee=Payee.provider,
    parameters=PARAMETERS,
    subject_key=forms.subject_key,
    example_form=forms.example_form,
    unit=billing.UNIT,
    tariff=billing.RentalTariff,
    delivery=billing.RentalDelivery,
    delivery_labels=labels.DELIVERY,
    price=billing.price,
    check_delivery=checks.check_delivery,
    delivery_key=billing.delivery_key,
    tariff_from_unit_price=billing.tariff_from_unit_price,
    reference_unit_price=reference_price(),
    example_delivery=example_delivery,
)
