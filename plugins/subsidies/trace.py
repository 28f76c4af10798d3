"""The explanation a calculation carries: every input, parameter and intermediate figure."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import msgspec

from core.sdk import Parameters, Text

P = "subsidies."


class UsedValue(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    value: Any
    valid_from: date
    #: The date the value was looked up for.
    on: date


class Step(msgspec.Struct, frozen=True, kw_only=True):
    """One figure of the calculation: what it is, how it was got, its value."""

    code: str
    label: Text
    formula: str
    value: str


class Lookup:
    """Reads dated parameters and remembers each value used (with its valid_from)."""

    def __init__(self, params: Parameters) -> None:
        self.params = params
        self.used: list[UsedValue] = []

    def raw(self, name: str, on: date) -> Any:
        key = P + name
        value = self.params.at(key, on)
        found = self.params.used[key]
        entry = UsedValue(key=key, value=value, valid_from=found.valid_from, on=on)
        if entry not in self.used:
            self.used.append(entry)
        return value

    def dec(self, name: str, on: date) -> Decimal:
        return Decimal(str(self.raw(name, on)))

    def int(self, name: str, on: date) -> int:
        return int(self.raw(name, on))


class Steps:
    def __init__(self) -> None:
        self.items: list[Step] = []

    def add(self, code: str, uk: str, en: str, formula: str, value: Any) -> None:
        self.items.append(Step(code=code, label=Text(uk, en), formula=formula, value=fmt(value)))


def q(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def fmt(value: Any) -> str:
    if isinstance(value, Decimal):
        exp = value.as_tuple().exponent
        if isinstance(exp, int) and exp < -4:
            return str(q(value, "0.0001"))
        return str(value)
    return str(value)
