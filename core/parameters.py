"""Dated parameters: every amount, limit and term the law changes is a series by date.

A plugin ships defaults (``parameters.toml``); a municipality overrides them with rows
of its own. A rule asks for the value in force on a date and the lookup is recorded, so
a decision can show which value (and since when) it used.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec


class ParameterMissing(LookupError):
    """No value of the parameter is in force on the date asked (the API answers 422
    naming the parameter and the date)."""

    def __init__(self, key: str, on: date) -> None:
        super().__init__(f"parameter {key!r} has no value in force on {on}")
        self.key = key
        self.on = on


class UsedParameter(msgspec.Struct, frozen=True):
    key: str
    value: Any
    valid_from: date


class Parameters:
    """Dated series: ``key -> [(valid_from, value), ...]`` with lookup by date."""

    def __init__(self, series: Mapping[str, Sequence[tuple[date, Any]]]) -> None:
        self._series = {k: sorted(v, key=lambda p: p[0]) for k, v in series.items()}
        self.used: dict[str, UsedParameter] = {}

    def fresh(self) -> Parameters:
        """The same series with nothing looked up yet (:attr:`used` empty): the series
        are shared, never changed, so a set built once serves many decisions."""
        copy = Parameters.__new__(Parameters)
        copy._series = self._series
        copy.used = {}
        return copy

    def names(self) -> list[str]:
        return sorted(self._series)

    def series(self, key: str) -> list[tuple[date, Any]]:
        return list(self._series.get(key, ()))

    def at(self, key: str, on: date) -> Any:
        """The value of ``key`` in force on ``on`` (the newest with ``valid_from <= on``)."""
        found: tuple[date, Any] | None = None
        for valid_from, value in self._series.get(key, ()):
            if valid_from <= on:
                found = (valid_from, value)
        if found is None:
            raise ParameterMissing(key, on)
        self.used[key] = UsedParameter(key, found[1], found[0])
        return found[1]

    def decimal(self, key: str, on: date) -> Decimal:
        return Decimal(str(self.at(key, on)))

    def overridden(self, overrides: Mapping[str, Sequence[tuple[date, Any]]]) -> Parameters:
        """A copy where each overridden key's dates replace the defaults from that date on."""
        merged: dict[str, list[tuple[date, Any]]] = {k: list(v) for k, v in self._series.items()}
        for key, points in overrides.items():
            base = merged.get(key, [])
            for valid_from, value in points:
                base = [p for p in base if p[0] != valid_from] + [(valid_from, value)]
            merged[key] = base
        return Parameters(merged)


def load_parameters(path: Path, prefix: str) -> dict[str, list[tuple[date, Any]]]:
    """Read a plugin's ``parameters.toml``.

    Each table is one parameter; its ``values`` is a list of ``{valid_from, value}``.
    Keys are returned as ``<prefix>.<name>``. Decimal-looking strings stay strings so
    that money never passes through float.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[tuple[date, Any]]] = {}
    for name, spec in data.items():
        values = spec.get("values")
        if not isinstance(values, list) or not values:
            raise ValueError(f"{path}: parameter {name!r} needs a non-empty 'values' list")
        points = []
        for item in values:
            valid_from = item.get("valid_from")
            if not isinstance(valid_from, date):
                raise ValueError(f"{path}: parameter {name!r}: valid_from must be a date")
            points.append((valid_from, item["value"]))
        out[f"{prefix}.{name}"] = points
    return out


def coerce_like(example: Any, value: Any, key: str) -> Any:
    """Check a new value of a parameter against the type of its default values.

    Amounts kept as decimal strings stay decimal strings (normalised); whole numbers stay
    whole; flags stay flags. Raises ``ValueError`` naming the parameter otherwise.
    """
    if isinstance(example, bool):
        if isinstance(value, bool):
            return value
        raise ValueError(f"{key}: очікується true/false / expected true or false")
    if isinstance(example, int):
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 0 <= example:
                raise ValueError(f"{key}: від'ємне значення / must not be negative")
            return value
        raise ValueError(f"{key}: очікується ціле число / expected a whole number")
    if isinstance(example, str):
        try:
            Decimal(example)
        except ArithmeticError:
            if isinstance(value, str):
                return value
            raise ValueError(f"{key}: очікується текст / expected text") from None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError(f"{key}: очікується число / expected a number")
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            raise ValueError(f"{key}: «{value}» не число / not a number") from None
        if not number.is_finite():
            raise ValueError(f"{key}: «{value}» не число / not a number")
        if number < 0 <= Decimal(example):
            raise ValueError(f"{key}: від'ємне значення / must not be negative")
        return str(number)
    if type(value) is not type(example):
        kind = type(example).__name__
        raise ValueError(f"{key}: очікується {kind} / expected {kind}")
    return value


#: The core's own dated parameters (``core.<name>``), not tied to a service: shipped in
#: ``core/parameters.toml`` and overridden by a municipality like a plugin's.
CORE_PARAMETERS: dict[str, list[tuple[date, Any]]] = load_parameters(
    Path(__file__).with_name("parameters.toml"), "core"
)
#: How many days back staff may date a request's receipt or its assignment (whole days).
BACKDATE_DAYS = "core.intake_backdate_days"
