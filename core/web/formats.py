"""Numbers, money and dates as each language writes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

# Ukrainian groups thousands with a (non-breaking) space and uses a decimal comma.
_NBSP = "\u00a0"


def money(amount: Decimal, lang: str) -> str:
    """``1 234,50 грн`` in Ukrainian, ``UAH 1,234.50`` in English."""
    text = f"{amount.quantize(Decimal('0.01')):,.2f}"
    if lang == "en":
        return f"UAH{_NBSP}{text}"
    return text.replace(",", _NBSP).replace(".", ",") + f"{_NBSP}грн"


def day(value: date, lang: str) -> str:
    """``31.12.2026`` in Ukrainian, ``2026-12-31`` in English."""
    return value.isoformat() if lang == "en" else value.strftime("%d.%m.%Y")


def tally(count: int, lang: str, *, exact: bool = True) -> str:
    """A count as a list shows it: ``137``; past the list's bound, where counting stopped,
    ``понад 10 000`` in Ukrainian and ``more than 10,000`` in English."""
    if exact:
        return str(count)
    if lang == "en":
        return f"more than {count:,}"
    return f"понад{_NBSP}{count:,}".replace(",", _NBSP)
