"""Checks of input: Ukrainian identifiers (python-stdnum: РНОКПП, ЄДРПОУ, IBAN), and the
bounds of dates, months and money every body and query parameter is held to."""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date, datetime
from decimal import Decimal
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec
from msgspec import Meta
from stdnum import iban as _iban
from stdnum.exceptions import ValidationError
from stdnum.ua import edrpou as _edrpou
from stdnum.ua import rntrc as _rntrc

from core import clock
from core.errors import DomainError, Invalid
from core.money import CENT


def tax_number(value: str, field: str = "tax_number") -> str:
    """Validate an individual tax number (РНОКПП, 10 digits with a check digit)."""
    try:
        return str(_rntrc.validate(value))
    except ValidationError as exc:
        raise Invalid(f"РНОКПП «{value}» недійсний / tax number is invalid ({exc})", field) from exc


def edrpou(value: str, field: str = "edrpou") -> str:
    """Validate a legal entity code (ЄДРПОУ, 8 digits with a check digit)."""
    try:
        return str(_edrpou.validate(value))
    except ValidationError as exc:
        raise Invalid(f"ЄДРПОУ «{value}» недійсний / EDRPOU is invalid ({exc})", field) from exc


@functools.lru_cache(maxsize=4096)
def _checked_iban(value: str) -> str:
    """python-stdnum's IBAN check (the country's format, mod 97), the compact form kept
    for each value that passed: the accounts of a municipality's payees recur, and the
    check reads the country's format from stdnum's registry each time."""
    return str(_iban.validate(value))


def iban(value: str, field: str = "iban") -> str:
    """Validate a Ukrainian IBAN (29 characters, mod-97 check)."""
    try:
        compact = _checked_iban(value)
    except ValidationError as exc:
        raise Invalid(f"IBAN «{value}» недійсний / IBAN is invalid ({exc})", field) from exc
    if not compact.startswith("UA") or len(compact) != 29:
        raise Invalid(
            f"IBAN «{value}» не український / not a Ukrainian IBAN (UA + 27 characters)", field
        )
    return compact


def ukrainian_iban(value: str, field: str = "iban") -> str:
    """A Ukrainian IBAN compacted, for a form Struct's ``__post_init__``: a
    ``ValueError`` whose message starts with ``field:`` otherwise (decoding answers it as
    a 400 naming the field)."""
    try:
        compact = _checked_iban(value)
    except ValidationError as exc:
        raise ValueError(f"{field}: IBAN недійсний / invalid IBAN ({exc})") from exc
    if not compact.startswith("UA") or len(compact) != 29:
        raise ValueError(f"{field}: потрібен український IBAN / a Ukrainian IBAN is required")
    return compact


# --- Bounds of dates, months and money --------------------------------------------------
#
# Every date, month and amount that comes in (a body, a query parameter, a plugin's form or
# tariff) is checked against these bounds, defined here and nowhere else; docs/api.md
# ("Bounds of input") states them. A value outside them is a 422 naming the field.

#: The earliest date accepted anywhere (a birth date, a period, a parameter's start).
DATE_MIN = date(1900, 1, 1)
#: How many years ahead of today a date may lie: up to 31 December of that year.
YEARS_AHEAD = 100
#: The largest amount of money: twelve digits of hryvni and two of kopiyky.
MONEY_MAX = Decimal("999999999999.99")
#: The largest other decimal number (a quantity, an area, kilometres).
NUMBER_MAX = Decimal("1000000000000")


class OutOfRange(DomainError):
    """A value of the right type outside the bounds (a date, a month, an amount)."""

    status_code = 422


def date_max() -> date:
    """The latest date accepted: 31 December, ``YEARS_AHEAD`` years after today."""
    return date(clock.today().year + YEARS_AHEAD, 12, 31)


def _window() -> str:
    return f"{DATE_MIN.isoformat()} … {date_max().isoformat()}"


def checked_date(value: date, field: str) -> date:
    """A date inside ``DATE_MIN`` … ``date_max()``."""
    if not DATE_MIN <= value <= date_max():
        raise OutOfRange(
            f"{field}: дата {value.isoformat()} поза межами {_window()} / "
            f"the date {value.isoformat()} is outside {_window()}",
            field,
        )
    return value


_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
#: A month as ``YYYY-MM`` (what the pattern admits; the calendar and the date window are
#: checked by :func:`month_bounds`).
MONTH_PATTERN = r"^[0-9]{4}-[0-9]{2}$"


def month_bounds(text: str, field: str = "period") -> tuple[date, date]:
    """First and last day of a ``YYYY-MM`` month inside the date window.

    Not of the form ``YYYY-MM``: 400; month 00 or 13, or outside the window: 422."""
    match = _MONTH.match(text) if isinstance(text, str) else None
    if match is None:
        raise Invalid(f"{field}: місяць має вигляд РРРР-ММ / must be YYYY-MM, got {text!r}", field)
    year, number = int(match.group(1)), int(match.group(2))
    if not 1 <= number <= 12:
        raise OutOfRange(
            f"{field}: місяця {number:02d} не буває / there is no month {number:02d} ({text})",
            field,
        )
    first = date(max(year, 1), number, 1)
    last = date(max(year, 1), number, calendar.monthrange(max(year, 1), number)[1])
    if year < DATE_MIN.year or last > date_max():
        raise OutOfRange(
            f"{field}: місяць {text} поза межами {_window()} / the month {text} is outside "
            f"{_window()}",
            field,
        )
    return first, last


def _number(value: Decimal, field: str, most: Decimal, what_uk: str, what_en: str) -> None:
    if not value.is_finite():
        raise OutOfRange(f"{field}: {what_uk} не число / {what_en} is not a number", field)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        raise OutOfRange(
            f"{field}: {what_uk} без експоненти (не {value}) / write {what_en} without an "
            f"exponent (not {value})",
            field,
        )
    if abs(value) > most:
        raise OutOfRange(f"{field}: {what_uk} більше {most} / {what_en} above {most}", field)


def checked_money(value: Decimal, field: str, *, positive: bool = False) -> Decimal:
    """An amount of money: finite, without an exponent, at most two decimal places, not
    above ``MONEY_MAX`` (nor below ``-MONEY_MAX``); with ``positive``, above zero (checked
    on the amount as given, so ``0.001`` is refused for its places, never rounded to 0)."""
    _number(value, field, MONEY_MAX, "сума", "the amount")
    if value != value.quantize(CENT):
        raise OutOfRange(
            f"{field}: сума {value} має більше двох знаків після коми / the amount {value} "
            "has more than two decimal places",
            field,
        )
    if positive and value <= 0:
        raise OutOfRange(
            f"{field}: сума має бути більшою за нуль / the amount must be above zero", field
        )
    return value.quantize(CENT)


def checked_number(value: Decimal, field: str) -> Decimal:
    """Any other decimal number: finite, without an exponent, within ``NUMBER_MAX``."""
    _number(value, field, NUMBER_MAX, "число", "the number")
    return value


class _Bound:
    """A marker in ``Annotated[...]`` that :class:`Checked` acts on."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"<bound {self.kind}>"


MONEY = _Bound("money")
POSITIVE_MONEY = _Bound("positive_money")
MONTH = _Bound("month")

#: An amount of money in a body: a decimal string or number, two places at most,
#: within ``MONEY_MAX`` (refused with a 422 naming the field otherwise).
Money = Annotated[
    Decimal,
    MONEY,
    Meta(
        description="Сума, гривні з копійками / an amount in UAH, at most 2 decimal places, "
        "up to 999999999999.99",
        examples=["3209.00"],
    ),
]
#: An amount of money above zero.
PositiveMoney = Annotated[
    Decimal,
    POSITIVE_MONEY,
    Meta(
        description="Сума більша за нуль / an amount above zero in UAH, at most 2 decimal "
        "places, up to 999999999999.99",
        examples=["3209.00"],
    ),
]
#: A month ``YYYY-MM`` inside the date window.
Month = Annotated[str, MONTH, Meta(pattern=MONTH_PATTERN, examples=["2026-11"])]


def _kinds(annotation: Any) -> tuple[str, ...]:
    """The checks a field's annotation asks for: a marker, or ``date`` / ``Decimal``."""
    found: list[str] = []
    if get_origin(annotation) is Annotated:
        marks = [m.kind for m in annotation.__metadata__ if isinstance(m, _Bound)]
        if marks:
            return tuple(marks)
        return _kinds(get_args(annotation)[0])
    if annotation is datetime:
        return ("datetime",)
    if annotation is date:
        return ("date",)
    if annotation is Decimal:
        return ("number",)
    if get_origin(annotation) in (Union, UnionType):
        for arg in get_args(annotation):
            found.extend(_kinds(arg))
    return tuple(dict.fromkeys(found))


_CHECKS: dict[type, list[tuple[str, tuple[str, ...]]]] = {}


def _checks_of(cls: type) -> list[tuple[str, tuple[str, ...]]]:
    checks = _CHECKS.get(cls)
    if checks is None:
        checks = [(f.name, kinds) for f in msgspec.structs.fields(cls) if (kinds := _kinds(f.type))]
        _CHECKS[cls] = checks
    return checks


def _check_value(value: Any, kinds: tuple[str, ...], field: str) -> None:
    if isinstance(value, datetime):
        if "datetime" in kinds:
            checked_date(value.date(), field)
    elif isinstance(value, date) and "date" in kinds:
        checked_date(value, field)
    elif isinstance(value, str) and "month" in kinds:
        month_bounds(value, field)
    elif isinstance(value, Decimal):
        if "money" in kinds or "positive_money" in kinds:
            checked_money(value, field, positive="positive_money" in kinds)
        elif "number" in kinds:
            checked_number(value, field)


def check_tree(value: Any, path: str) -> None:
    """Check every Struct inside ``value``: every ``date`` (and the day of every
    ``datetime``) against the date window, every ``Money`` / ``PositiveMoney`` / ``Month``
    as such, every other ``Decimal`` as a number; the error names the field by its whole
    path (``form.members[0].birth_date``). For request bodies (:class:`Checked`) and what
    plugins hand over (forms, tariffs, delivery data)."""
    if isinstance(value, msgspec.Struct):
        for name, kinds in _checks_of(type(value)):
            _check_value(getattr(value, name), kinds, f"{path}.{name}" if path else name)
        for name in value.__struct_fields__:
            child = getattr(value, name)
            if isinstance(child, msgspec.Struct | list | tuple | dict):
                check_tree(child, f"{path}.{name}" if path else name)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            if isinstance(item, msgspec.Struct | list | tuple | dict):
                check_tree(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, msgspec.Struct | list | tuple | dict):
                check_tree(item, f"{path}.{key}")


class Checked(msgspec.Struct):
    """Base of every request body with dates, months or money: decoding it checks them
    and those of every Struct inside it (:func:`check_tree`), so the Structs of a body need
    not derive from it themselves. A subclass with its own ``__post_init__`` calls this
    one."""

    def __post_init__(self) -> None:
        check_tree(self, "")
