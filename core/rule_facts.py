"""What a rule asks for as it goes: a form answer or a household fact it cannot do without.

A rule reaching an answer the caller has not given stops with :class:`AnswerMissing`; the
core turns it into an ``unknown`` finding and reports exactly that name as missing. Plugin
authors import these names from :mod:`core.service`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, overload

import msgspec

#: The household facts a rule may read, by the name they are missing under: (uk, en).
FACTS: dict[str, tuple[str, str]] = {
    "household.size": ("Кількість осіб у домогосподарстві", "People in the household"),
    "household.lives_alone": ("Чи проживає особа сама", "Whether the person lives alone"),
    "household.birth_dates": (
        "Дати народження членів домогосподарства",
        "Birth dates of the household members",
    ),
    "household.ages": ("Вік членів домогосподарства", "Ages of the household members"),
}


class AnswerMissing(Exception):
    """Raised by :meth:`RuleContext.answer` and :meth:`HouseholdFacts.need` when the rule
    reaches a form field or a fact nobody has given; ``field`` is its name (a form field,
    or ``household.<fact>``)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class HouseholdRecord(msgspec.Struct, frozen=True, kw_only=True):
    """The applicant's recorded household, frozen with the applicant: one birth date per
    member, the applicant included (``None`` for a member whose birth date is unknown)."""

    birth_dates: tuple[date | None, ...]


def age_on(born: date, on: date) -> int:
    """Full years from ``born`` to ``on``."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class HouseholdFacts(msgspec.Struct, frozen=True, kw_only=True):
    """The household facts a rule reads (``ctx.household``); each is ``None`` when no
    household is recorded for the applicant."""

    #: How many people live in the household, the applicant included.
    size: int | None = None
    #: Whether the applicant is the household's only member.
    lives_alone: bool | None = None
    #: The members' birth dates, the applicant included.
    birth_dates: tuple[date | None, ...] | None = None
    #: The members' ages in full years on ``ctx.on`` (``None`` for an unknown birth date).
    ages: tuple[int | None, ...] | None = None

    @classmethod
    def of(cls, record: HouseholdRecord | None, on: date) -> HouseholdFacts:
        if record is None:
            return cls()
        dates = record.birth_dates
        return cls(
            size=len(dates),
            lives_alone=len(dates) == 1,
            birth_dates=dates,
            ages=tuple(None if d is None else age_on(d, on) for d in dates),
        )

    @overload
    def need(self, fact: Literal["size"]) -> int: ...
    @overload
    def need(self, fact: Literal["lives_alone"]) -> bool: ...
    @overload
    def need(self, fact: Literal["birth_dates"]) -> tuple[date, ...]: ...
    @overload
    def need(self, fact: Literal["ages"]) -> tuple[int, ...]: ...

    def need(self, fact: str) -> Any:
        """The fact, or :class:`AnswerMissing` (``household.<fact>``) when it is not known;
        ``birth_dates`` and ``ages`` count as unknown while any member's is."""
        if fact not in ("size", "lives_alone", "birth_dates", "ages"):
            raise AttributeError(f"no household fact {fact!r}")
        value = getattr(self, fact)
        if value is None or (isinstance(value, tuple) and None in value):
            raise AnswerMissing(f"household.{fact}")
        return value


def answer_of(form: Any, field: str) -> Any:
    """The form's ``field``, or :class:`AnswerMissing` while it is unanswered (``UNSET``)."""
    if field not in getattr(form, "__struct_fields__", ()):
        raise AttributeError(f"the form has no field {field!r}")
    value = getattr(form, field)
    if value is msgspec.UNSET:
        raise AnswerMissing(field)
    return value
