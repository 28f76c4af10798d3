"""A municipality's local cards: its admin sets the local parts of an enabled service's
information card (:mod:`core.local_card`). Every save is a new version (who, when,
what), audited; the newest is in force, and the earlier ones stay to be read."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import msgspec

from core import clock
from core.actor import Actor
from core.db.cards import LocalCard
from core.db.engine import write_transaction
from core.local_card import LocalPart, check
from core.platform import Platform, decode
from core.service import Service
from core.workflow import audit

#: How many earlier versions a view lists.
HISTORY = 50


class Version(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    set_at: datetime
    #: Who saved it: the user's full name, or their user name.
    set_by: str
    part: LocalPart


class LocalCardOut(msgspec.Struct, kw_only=True):
    """The local card of one service: what the plugin's card says of the parts a
    municipality may change, the local part in force, and its versions, newest first."""

    service_code: str
    #: Whether the municipality may change the term: ``fixed``, ``shorter`` or ``any``.
    local_term: str
    #: The plugin's term and its kind (``calendar`` / ``working`` days).
    card_term_days: int
    term_kind: str
    #: The plugin's fee (``None``: free of charge).
    card_fee: Decimal | None
    in_force: LocalPart
    history: list[Version]


def changed_parts(part: LocalPart) -> list[str]:
    """The parts a version sets, for the audit log."""
    found = []
    if part.contacts.given():
        found.append("contacts")
    if part.extra_documents:
        found.append("extra_documents")
    if part.term_days is not None:
        found.append("term_days")
    if part.fee is not None:
        found.append("fee")
    if part.decision is not None:
        found.append("decision")
    return found


async def plugin_service(platform: Platform, actor: Actor, code: str) -> Service:
    """The service as its plugin gives it (enabled in the actor's municipality, or a 404
    naming ``service_code``)."""
    await platform.service(actor.municipality_id, code)
    return platform.host.services[code]


async def history(municipality_id: int, code: str, limit: int = HISTORY) -> list[Version]:
    rows = (
        await LocalCard.select(
            LocalCard.id,
            LocalCard.set_at,
            LocalCard.part,
            LocalCard.set_by._.full_name,
            LocalCard.set_by._.username,
        )
        .where((LocalCard.municipality == municipality_id) & (LocalCard.service_code == code))
        .order_by(LocalCard.id, ascending=False)
        .limit(limit)
    )
    return [
        Version(
            id=r["id"],
            set_at=r["set_at"],
            set_by=r["set_by.full_name"] or r["set_by.username"] or "",
            part=msgspec.convert(decode(r["part"], {}), LocalPart, strict=False),
        )
        for r in rows
    ]


async def view(platform: Platform, actor: Actor, code: str) -> LocalCardOut:
    card = (await plugin_service(platform, actor, code)).card
    versions = await history(actor.municipality_id, code)
    return LocalCardOut(
        service_code=code,
        local_term=card.local_term,
        card_term_days=card.term_days,
        term_kind=card.term_kind,
        card_fee=card.fee,
        in_force=versions[0].part if versions else LocalPart(),
        history=versions,
    )


async def save(platform: Platform, actor: Actor, code: str, part: LocalPart) -> LocalCardOut:
    """Keep ``part`` as the new version of the service's local card (checked against the
    plugin's card first); an empty part restores the plugin's card."""
    service = await plugin_service(platform, actor, code)
    check(service.card, part)
    async with write_transaction():
        row = LocalCard(
            municipality=actor.municipality_id,
            service_code=code,
            part=msgspec.json.encode(part).decode(),
            set_by=actor.id,
            set_at=clock.now(),
        )
        await row.save()
        await audit.record(
            actor,
            "local_card.save",
            "local_card",
            row.id,
            {"service_code": code, "parts": changed_parts(part)},
        )
    platform.forget()
    return await view(platform, actor, code)
