"""A municipality's local card: the parts of a service's information card its admin sets
(contacts, extra documents, the term where the law allows it, the fee, the council's
decision), checked against the plugin's card, and the card they make with it.

Pure: no database. The versions are kept by :mod:`core.workflow.local_cards`; the
platform hands every page and export the local card (:meth:`core.platform.Platform.services`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from core.errors import Invalid
from core.service import InfoCard, LocalContacts, LocalDecision, RequiredDocument, Text
from core.validators import Checked, Money

#: The longest text of a local card, in each language.
TEXT_MAX = 2000
#: The most documents a municipality adds to a card.
DOCUMENTS_MAX = 20
#: The longest term a municipality may set, in days.
TERM_MAX = 365


class LocalText(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A text of the local card, Ukrainian and English."""

    uk: Annotated[str, Meta(min_length=1, max_length=TEXT_MAX)]
    en: Annotated[str, Meta(min_length=1, max_length=TEXT_MAX)]

    def text(self) -> Text:
        return Text(self.uk.strip(), self.en.strip())


class LocalContactsIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Where to ask about the service here; every part may stay empty."""

    office: LocalText | None = None
    phone: Annotated[str, Meta(max_length=32)] = ""
    email: Annotated[str, Meta(max_length=254)] = ""
    web: Annotated[str, Meta(max_length=500)] = ""

    def given(self) -> bool:
        return bool(self.office or self.phone.strip() or self.email.strip() or self.web.strip())


class LocalDocumentIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A document the municipality asks for besides the card's."""

    name: LocalText
    form: Literal["original", "copy", "original_or_copy"] = "original_or_copy"
    note: LocalText | None = None


class LocalDecisionIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The council's or executive committee's decision the local card rests on."""

    text: LocalText
    number: Annotated[str, Meta(min_length=1, max_length=64)]
    adopted_on: date


class LocalPart(Checked, kw_only=True, forbid_unknown_fields=True):
    """What a municipality's admin sets on a service's card. Empty parts keep the
    plugin's card: no contacts, no extra documents, ``term_days`` and ``fee`` ``None``
    (the card's), no decision. A ``fee`` of ``0`` makes the service free here."""

    contacts: LocalContactsIn = msgspec.field(default_factory=LocalContactsIn)
    extra_documents: Annotated[tuple[LocalDocumentIn, ...], Meta(max_length=DOCUMENTS_MAX)] = ()
    term_days: Annotated[int, Meta(ge=1, le=TERM_MAX)] | None = None
    fee: Money | None = None
    decision: LocalDecisionIn | None = None

    def empty(self) -> bool:
        return (
            not self.contacts.given()
            and not self.extra_documents
            and self.term_days is None
            and self.fee is None
            and self.decision is None
        )


def _blank(text: LocalText | None, field: str) -> None:
    if text is None:
        return
    for lang in ("uk", "en"):
        if not getattr(text, lang).strip():
            raise Invalid(
                "текст порожній: заповніть українською та англійською / the text is blank: "
                "fill it in Ukrainian and English",
                f"{field}.{lang}",
            )


def _phone(value: str) -> None:
    digits = sum(ch.isdigit() for ch in value)
    if value.strip() and (digits < 5 or any(ch not in "0123456789+()- " for ch in value)):
        raise Invalid(
            "телефон: цифри, пробіли, +, ( ) і - (щонайменше 5 цифр) / phone: digits, spaces, "
            "+, ( ) and - (at least 5 digits)",
            "contacts.phone",
        )


def _email(value: str) -> None:
    address = value.strip()
    local, _, domain = address.rpartition("@")
    if address and (not local or "." not in domain or any(ch.isspace() for ch in address)):
        raise Invalid(
            "адреса e-mail має вигляд name@example.org / an e-mail address looks like "
            "name@example.org",
            "contacts.email",
        )


def _web(value: str) -> None:
    address = value.strip()
    host = address.partition("://")[2].partition("/")[0]
    if address and (
        not address.startswith(("https://", "http://"))
        or "." not in host
        or any(ch.isspace() for ch in address)
    ):
        raise Invalid(
            "адреса сторінки починається з https:// / a web address starts with https://",
            "contacts.web",
        )


def term_allowed(card: InfoCard, days: int) -> bool:
    """Whether the card lets a municipality set ``days`` as its term."""
    if days == card.term_days or card.local_term == "any":
        return True
    return card.local_term == "shorter" and days < card.term_days


def _term(card: InfoCard, days: int | None) -> None:
    if days is None or term_allowed(card, days):
        return
    if card.local_term == "fixed":
        raise Invalid(
            f"строк розгляду цієї послуги встановлює закон ({card.term_days} дн.); громада "
            f"його не змінює / the law sets this service's term ({card.term_days} days); a "
            "municipality cannot change it",
            "term_days",
        )
    if card.local_term == "shorter" and days > card.term_days:
        raise Invalid(
            f"громада може лише скоротити строк: не більше {card.term_days} дн. / a "
            f"municipality may only shorten the term: {card.term_days} days at most",
            "term_days",
        )


def check(card: InfoCard, part: LocalPart) -> None:
    """Refuse a local part the plugin's ``card`` does not allow, or that is not well
    formed (:class:`core.errors.Invalid` naming the field)."""
    contacts = part.contacts
    _blank(contacts.office, "contacts.office")
    _phone(contacts.phone)
    _email(contacts.email)
    _web(contacts.web)
    names = {d.name.uk.strip().casefold() for d in card.documents}
    for i, document in enumerate(part.extra_documents):
        field = f"extra_documents[{i}]"
        _blank(document.name, f"{field}.name")
        _blank(document.note, f"{field}.note")
        name = document.name.uk.strip().casefold()
        if name in names:
            raise Invalid(
                "такий документ уже є в картці / the card already lists this document",
                f"{field}.name",
            )
        names.add(name)
    _term(card, part.term_days)
    if part.fee is not None and part.fee < 0:
        raise Invalid("вартість не може бути від'ємною / the fee cannot be negative", "fee")
    if part.decision is not None:
        _blank(part.decision.text, "decision.text")
        if not part.decision.number.strip():
            raise Invalid("вкажіть номер рішення / enter the decision's number", "decision.number")


def localised(card: InfoCard, part: LocalPart) -> InfoCard:
    """The plugin's ``card`` with the municipality's ``part``: its documents after the
    card's (marked ``local``), its term (unless the card no longer allows it), fee,
    contacts and decision."""
    contacts = part.contacts
    fee: Decimal | None = card.fee
    if part.fee is not None:
        fee = None if part.fee == 0 else part.fee
    return msgspec.structs.replace(
        card,
        documents=card.documents
        + tuple(
            RequiredDocument(
                name=d.name.text(),
                form=d.form,
                note=d.note.text() if d.note else None,
                local=True,
            )
            for d in part.extra_documents
        ),
        term_days=part.term_days
        if part.term_days and term_allowed(card, part.term_days)
        else card.term_days,
        fee=fee,
        contacts=LocalContacts(
            office=contacts.office.text() if contacts.office else None,
            phone=contacts.phone.strip(),
            email=contacts.email.strip(),
            web=contacts.web.strip(),
        )
        if contacts.given()
        else None,
        local_decision=LocalDecision(
            text=part.decision.text.text(),
            number=part.decision.number.strip(),
            adopted_on=part.decision.adopted_on,
        )
        if part.decision
        else None,
    )
