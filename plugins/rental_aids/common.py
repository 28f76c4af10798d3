"""Helpers the rental point's use cases share: who sees what, and small lookups."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.sdk import Actor, Invalid, from_kopiyky, to_kopiyky

PLUGIN = "rental_aids"
#: The largest amount of money taken in (UAH), far above any rehabilitation aid.
MOST_UAH = Decimal("100000000")


def full_name(row: dict[str, Any], prefix: str = "") -> str:
    parts = (row[f"{prefix}last_name"], row[f"{prefix}first_name"], row[f"{prefix}patronymic"])
    return " ".join(p for p in parts if p)


def own_provider(actor: Actor) -> int | None:
    """The provider a provider's user is limited to (``None`` for staff)."""
    return actor.provider_id if actor.role == "provider" else None


def amount_kop(value: Decimal, field: str) -> int:
    """An amount of money given in UAH (≥ 0, at most 2 decimals) as kopiyky; else a 400
    naming the field."""
    if not value.is_finite() or value < 0 or value > MOST_UAH:
        raise Invalid(
            f"сума має бути від 0 до {MOST_UAH} грн / {field} must be an amount from 0 to "
            f"{MOST_UAH} UAH",
            field,
        )
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and value != value.quantize(Decimal("0.01")):
        raise Invalid(
            f"не більше двох знаків після коми / {field}: at most 2 decimals (kopiyky)", field
        )
    return to_kopiyky(value)


def money_or_none(kop: int | None) -> Decimal | None:
    """Kopiyky from the database as UAH, keeping "unknown" (None)."""
    return None if kop is None else from_kopiyky(kop)
