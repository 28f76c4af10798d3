"""Amounts in words for acts and invoices: «174000,00 грн. (сто сімдесят чотири тисячі
гривень 00 копійок)»."""

from __future__ import annotations

from decimal import Decimal

from num2words import num2words

from core.money import money


def kopiyky_word(n: int) -> str:
    if 11 <= n % 100 <= 14:
        return "копійок"
    return {1: "копійка", 2: "копійки", 3: "копійки", 4: "копійки"}.get(n % 10, "копійок")


def amount_in_words(amount: Decimal) -> str:
    """Hryvnias in words, kopiyky in digits, as acts write them."""
    value = money(amount)
    hryvnias = Decimal(int(value))
    kop = int((value - hryvnias) * 100)
    # num2words reads an int as kopiyky, so hryvnias go in as a Decimal
    words = num2words(hryvnias, lang="uk", to="currency", currency="UAH").split(",")[0]
    return f"{words} {kop:02d} {kopiyky_word(kop)}"


def amount_with_words(amount: Decimal) -> str:
    value = money(amount)
    digits = f"{value:.2f}".replace(".", ",")
    return f"{digits} грн. ({amount_in_words(value)})"
