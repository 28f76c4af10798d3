"""A municipality's local part of a card, without the database: what the plugin's card
allows of the term, the card it makes (documents marked local, the fee, contacts, the
decision), and a term the card no longer allows left out."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import msgspec
import pytest

from core.errors import Invalid
from core.local_card import LocalPart, check, localised
from core.service import InfoCard, Text
from plugins.funeral_aid.service import CARD

PART = msgspec.convert(
    {
        "contacts": {"office": {"uk": "Каб. 3", "en": "Room 3"}, "phone": "0332 200 300"},
        "extra_documents": [{"name": {"uk": "Довідка", "en": "Certificate"}, "form": "copy"}],
        "term_days": 5,
        "fee": "0",
        "decision": {
            "text": {"uk": "Рішення ради", "en": "Council decision"},
            "number": " 7-а ",
            "adopted_on": "2026-01-15",
        },
    },
    LocalPart,
    strict=False,
)


def with_term(local_term: str, days: int = 10) -> InfoCard:
    return msgspec.structs.replace(CARD, local_term=local_term, term_days=days)


@pytest.mark.parametrize(
    ("local_term", "days", "refused"),
    [
        ("fixed", 10, None),
        ("fixed", 9, "the law sets this service's term (10 days)"),
        ("shorter", 9, None),
        ("shorter", 10, None),
        ("shorter", 11, "may only shorten the term: 10 days at most"),
        ("any", 30, None),
    ],
)
def test_the_card_says_whether_the_term_may_change(
    local_term: str, days: int, refused: str | None
) -> None:
    part = LocalPart(term_days=days)
    if refused is None:
        check(with_term(local_term), part)
        assert localised(with_term(local_term), part).term_days == days
    else:
        with pytest.raises(Invalid, match=re.escape(refused)) as info:
            check(with_term(local_term), part)
        assert info.value.field == "term_days"


def test_the_local_card_adds_to_the_plugins() -> None:
    check(with_term("shorter"), PART)
    card = localised(with_term("shorter"), PART)
    assert card.documents[: len(CARD.documents)] == CARD.documents
    extra = card.documents[-1]
    assert (extra.name, extra.form, extra.local) == (Text("Довідка", "Certificate"), "copy", True)
    assert card.term_days == 5
    assert card.fee is None  # "0": free of charge here
    assert card.contacts is not None
    assert card.contacts.office == Text("Каб. 3", "Room 3")
    assert card.contacts.phone == "0332 200 300"
    assert card.local_decision is not None
    assert card.local_decision.number == "7-а"
    assert card.local_decision.adopted_on == date(2026, 1, 15)
    assert card.refusal_grounds == CARD.refusal_grounds
    assert localised(CARD, LocalPart(fee=Decimal("12.50"))).fee == Decimal("12.50")
    assert localised(CARD, LocalPart()) == CARD


def test_a_term_the_card_no_longer_allows_is_left_out() -> None:
    """A version saved while the card allowed it, read after the plugin's card changed."""
    assert localised(with_term("fixed"), LocalPart(term_days=5)).term_days == 10
    assert localised(with_term("shorter", 4), LocalPart(term_days=5)).term_days == 4


@pytest.mark.parametrize(
    ("part", "field"),
    [
        ({"contacts": {"phone": "12"}}, "contacts.phone"),
        ({"contacts": {"email": "a@b"}}, "contacts.email"),
        ({"contacts": {"web": "ftp://example.org"}}, "contacts.web"),
        ({"contacts": {"office": {"uk": "Каб. 3", "en": "   "}}}, "contacts.office.en"),
        ({"extra_documents": [{"name": {"uk": "ЗАЯВА", "en": "Form"}}]}, "extra_documents[0].name"),
        (
            {
                "extra_documents": [
                    {"name": {"uk": "Довідка", "en": "A"}},
                    {"name": {"uk": "довідка", "en": "B"}},
                ]
            },
            "extra_documents[1].name",
        ),
        ({"fee": "-0.01"}, "fee"),
        (
            {
                "decision": {
                    "text": {"uk": " ", "en": "D"},
                    "number": "1",
                    "adopted_on": "2026-01-01",
                }
            },
            "decision.text.uk",
        ),
    ],
)
def test_a_bad_part_is_refused_naming_the_field(part: dict[str, object], field: str) -> None:
    with pytest.raises(Invalid) as info:
        check(CARD, msgspec.convert(part, LocalPart, strict=False))
    assert info.value.field == field
