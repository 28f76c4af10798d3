"""The seven homeless-support services: card, form, rules, unit, tariff and deliveries.

All are paid to providers under the social order (``Payee.provider``) at a unit price
fixed in each contract (:class:`UnitTariff`); the person pays nothing. Deliveries are
checked against the register of homeless persons (see :mod:`plugins.homeless.checks`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec

from core.sdk import FieldLabel, InfoCard, Payee, Rule, Service, clock, load_parameters
from plugins.homeless import billing, cards, checks, demo, forms, labels, rules

PLUGIN = "homeless"
_TOML = Path(__file__).with_name("parameters.toml")
PARAMETERS = load_parameters(_TOML, PLUGIN)


def _carriers() -> dict[str, list[str]]:
    """Which services carry each parameter (the ``services`` list of each TOML table)."""
    data = tomllib.loads(_TOML.read_text(encoding="utf-8"))
    return {f"{PLUGIN}.{name}": list(spec.get("services", ())) for name, spec in data.items()}


_CARRIERS = _carriers()


def parameters_of(name: str) -> dict[str, list[tuple[date, Any]]]:
    """The dated parameters a service (by short name) carries."""
    return {key: PARAMETERS[key] for key, names in _CARRIERS.items() if name in names}


def _reference_price(name: str) -> Decimal | None:
    """Today's reference price of the service's unit (an ASSUMPTION in parameters.toml)."""
    for key, points in parameters_of(name).items():
        if key.startswith(f"{PLUGIN}.reference_price"):
            current = [value for since, value in sorted(points) if since <= clock.today()]
            return Decimal(str(current[-1] if current else points[0][1]))
    return None


def _service(
    name: str,
    *,
    card: InfoCard,
    form: type[msgspec.Struct],
    form_labels: dict[str, FieldLabel],
    delivery: type[msgspec.Struct],
    delivery_labels: dict[str, FieldLabel],
    example: Callable[..., msgspec.Struct],
    extra_rules: tuple[Rule, ...] = (),
    price: Callable[[Any, Any], Any] = billing.price_per_unit,
    check: checks.DeliveryCheck = checks.check_register_only,
    key: Callable[[Any], str | None] | None = None,
) -> Service:
    return Service(
        code=f"{PLUGIN}.{name}",
        card=card,
        form=form,
        labels=form_labels,
        rules=(*rules.COMMON, *extra_rules),
        payee=Payee.provider,
        parameters=parameters_of(name),
        example_form=example,
        unit=billing.UNITS[name],
        tariff=billing.UnitTariff,
        delivery=delivery,
        delivery_labels=delivery_labels,
        price=price,
        check_delivery=check,
        delivery_key=key,
        tariff_from_unit_price=billing.tariff_from_unit_price,
        reference_unit_price=_reference_price(name),
        example_delivery=demo.example_delivery(name),
    )


NIGHT_STAY = _service(
    "night_stay",
    card=cards.NIGHT_STAY,
    form=forms.NightStayForm,
    form_labels=labels.NIGHT_STAY,
    delivery=billing.NightStayDelivery,
    delivery_labels=labels.NIGHT_STAY_DELIVERY,
    example=forms.example_night_stay,
    extra_rules=(rules.shelter_settlement,),
    check=checks.check_night_stay,
    key=billing.night_key,
)
HOT_MEAL = _service(
    "hot_meal",
    card=cards.HOT_MEAL,
    form=forms.HotMealForm,
    form_labels=labels.HOT_MEAL,
    delivery=billing.HotMealDelivery,
    delivery_labels=labels.HOT_MEAL_DELIVERY,
    example=forms.example_hot_meal,
    price=billing.price_meal,
    check=checks.check_hot_meal,
)
HYGIENE = _service(
    "hygiene",
    card=cards.HYGIENE,
    form=forms.HygieneForm,
    form_labels=labels.HYGIENE,
    delivery=billing.HygieneDelivery,
    delivery_labels=labels.HYGIENE_DELIVERY,
    example=forms.example_hygiene,
    extra_rules=(rules.hygiene_choice,),
)
DOCUMENTS = _service(
    "documents",
    card=cards.DOCUMENTS_HELP,
    form=forms.DocumentsForm,
    form_labels=labels.DOCUMENTS,
    delivery=billing.DocumentsDelivery,
    delivery_labels=labels.DOCUMENTS_DELIVERY,
    example=forms.example_documents,
)
LEGAL_CONSULTATION = _service(
    "legal_consultation",
    card=cards.LEGAL_CONSULTATION,
    form=forms.LegalConsultationForm,
    form_labels=labels.LEGAL_CONSULTATION,
    delivery=billing.LegalConsultationDelivery,
    delivery_labels=labels.LEGAL_CONSULTATION_DELIVERY,
    example=forms.example_legal_consultation,
    check=checks.check_legal_consultation,
)
PATROL_CONTACT = _service(
    "patrol_contact",
    card=cards.PATROL_CONTACT,
    form=forms.PatrolContactForm,
    form_labels=labels.PATROL_CONTACT,
    delivery=billing.PatrolContactDelivery,
    delivery_labels=labels.PATROL_CONTACT_DELIVERY,
    example=forms.example_patrol_contact,
    extra_rules=(rules.consent,),
)
REHABILITATION_REFERRAL = _service(
    "rehabilitation_referral",
    card=cards.REHABILITATION_REFERRAL,
    form=forms.RehabilitationReferralForm,
    form_labels=labels.REHABILITATION_REFERRAL,
    delivery=billing.RehabilitationReferralDelivery,
    delivery_labels=labels.REHABILITATION_REFERRAL_DELIVERY,
    example=forms.example_rehabilitation_referral,
    extra_rules=(rules.consent,),
)

SERVICES: tuple[Service, ...] = (
    NIGHT_STAY,
    HOT_MEAL,
    HYGIENE,
    DOCUMENTS,
    LEGAL_CONSULTATION,
    PATROL_CONTACT,
    REHABILITATION_REFERRAL,
)
