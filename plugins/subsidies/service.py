"""The housing and utility subsidy service: card, form, rules, and its billing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from core.sdk import Payee, Service, clock, load_parameters
from plugins.subsidies import billing, cards, checks, labels, rules
from plugins.subsidies.demo import example_form

CODE = billing.SERVICE_CODE
PARAMETERS = load_parameters(Path(__file__).with_name("parameters.toml"), "subsidies")


def _reference_price() -> Decimal:
    points = sorted(PARAMETERS["subsidies.reference_price_month"])
    current = [value for since, value in points if since <= clock.today()]
    return Decimal(str(current[-1] if current else points[0][1]))


SERVICE = Service(
    code=CODE,
    card=cards.CARD,
    form=rules.SubsidyForm,
    labels=labels.FORM,
    rules=rules.RULES,
    payee=Payee.provider,
    parameters=PARAMETERS,
    example_form=example_form,
    unit=billing.UNIT,
    tariff=billing.SubsidyTariff,
    delivery=billing.SubsidyDelivery,
    price=billing.price,
    check_delivery=checks.check_subsidy,
    check_deliveries=checks.check_subsidies,
    delivery_key=billing.delivery_key,
    tariff_from_unit_price=billing.tariff_from_unit_price,
    reference_unit_price=_reference_price(),
)
