"""What providers record and how it is priced: one unit price per contract and service.

Each service is counted in its own unit (a bed-night, a meal portion, a shower or a
laundry load, a completed documents case, a consultation, a patrol contact, a referral);
an amount is the unit price times the quantity, rounded half up to kopiyky.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from core.sdk import DeliveryContext, PositiveMoney, Pricing, Text, money
from plugins.homeless.forms import DocumentKind

ONE = Decimal(1)


class UnitTariff(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The contract's price of one unit of the service, UAH."""

    unit_price: PositiveMoney

    def __post_init__(self) -> None:
        if not self.unit_price.is_finite() or self.unit_price <= 0:
            raise ValueError("unit_price: ціна має бути більшою за нуль / must be above zero")


def tariff_from_unit_price(unit_price: Decimal) -> UnitTariff:
    return UnitTariff(unit_price=unit_price)


Short = Annotated[str, Meta(min_length=1, max_length=255)]


class NightStayDelivery(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    #: The night's date (the evening the person was admitted).
    night: date
    bed: Annotated[str, Meta(max_length=32)] = ""


class HotMealDelivery(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    portions: Annotated[int, Meta(ge=1, le=3)]
    meal: Literal["breakfast", "lunch", "dinner"]


class HygieneDelivery(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    kind: Literal["shower", "laundry"]


class DocumentsDelivery(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A completed case: the document was issued or restored (an opened case is not billed)."""

    document: DocumentKind
    reference: Annotated[str, Meta(max_length=64)] = ""


class LegalConsultationDelivery(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True
):
    topic: Short
    minutes: Annotated[int, Meta(ge=1, le=480)]


class PatrolContactDelivery(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    place: Short
    outcome: Annotated[str, Meta(min_length=1, max_length=500)]


class RehabilitationReferralDelivery(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True
):
    institution: Short


def price_per_unit(tariff: UnitTariff, delivery: msgspec.Struct) -> Pricing:
    """One unit per delivery: a bed-night, a shower, a case, a consultation…"""
    return Pricing(quantity=ONE, amount=money(tariff.unit_price))


def price_meal(tariff: UnitTariff, delivery: HotMealDelivery) -> Pricing:
    quantity = Decimal(delivery.portions)
    return Pricing(quantity=quantity, amount=money(tariff.unit_price * quantity))


def night_key(ctx: DeliveryContext) -> str:
    """One bed-night per person per night, whichever provider records it."""
    return f"night:{ctx.applicant.citizen_id}:{ctx.delivery.night.isoformat()}"


UNITS: dict[str, Text] = {
    "night_stay": Text("ліжко-ніч", "bed-night"),
    "hot_meal": Text("порція", "portion"),
    "hygiene": Text("послуга", "service"),
    "documents": Text("справа", "case"),
    "legal_consultation": Text("консультація", "consultation"),
    "patrol_contact": Text("контакт", "contact"),
    "rehabilitation_referral": Text("направлення", "referral"),
}
