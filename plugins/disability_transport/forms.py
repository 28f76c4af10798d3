"""The registration form of the social taxi: the person's mobility, once; each trip is
then a booking (see :mod:`plugins.disability_transport.bookings`)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Literal

import msgspec

from core.sdk import Applicant

Wheelchair = Literal["manual", "electric", "none"]
Impairment = Literal["musculoskeletal", "visual", "intellectual"]
MAX_PENSION = Decimal(1_000_000)


class RegistrationForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Who travels and what the carrier must know about their mobility."""

    wheelchair: Wheelchair
    uses_crutches_or_cane: bool = False
    #: The disability group (I, II or III); ``None`` when none is established.
    disability_group: Literal[1, 2, 3] | None
    impairments: list[Impairment] = msgspec.field(default_factory=list)
    child_with_disability: bool = False
    needs_companion: bool = False
    family_has_car: bool = False
    #: The monthly pension (or other income), UAH; read only where an income cap applies.
    monthly_pension: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        p = self.monthly_pension
        if not p.is_finite() or p < 0 or p > MAX_PENSION:
            raise ValueError("monthly_pension: сума від 0 / an amount from 0")


def example_registration(rng: random.Random, applicant: Applicant, on: date) -> RegistrationForm:
    """A realistic eligible registration: a wheelchair user of group I or II."""
    wheelchair: Wheelchair = rng.choice(["manual", "manual", "electric"])
    return RegistrationForm(
        wheelchair=wheelchair,
        uses_crutches_or_cane=False,
        disability_group=rng.choice([1, 2]),
        impairments=["musculoskeletal"],
        needs_companion=rng.random() < 0.4,
        monthly_pension=Decimal(rng.choice(["2950.00", "3600.00", "4100.00"])),
    )
