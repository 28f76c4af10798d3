"""Money: ``Decimal`` with two places in the domain, integer kopiyky in the database."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def money(value: Decimal | str | int) -> Decimal:
    """Round an amount to kopiyky, half up (the rule for every line of an act)."""
    try:
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount of money: {value!r}") from exc


def to_kopiyky(amount: Decimal) -> int:
    return int(money(amount) * 100)


def from_kopiyky(kopiyky: int) -> Decimal:
    return (Decimal(kopiyky) / 100).quantize(CENT)
