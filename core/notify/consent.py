"""A citizen's consent to be told of their requests: no consent, no message.

The person gives or withdraws it in their cabinet; the front office records one given on
paper. Every change is audited (``citizen.notify_consent``) with what was agreed.
"""

from __future__ import annotations

from typing import Any

import msgspec

from core import clock
from core.actor import Actor
from core.db import built_once
from core.db.notify import NotifyConsent
from core.errors import Forbidden, Invalid
from core.notify.sms import normalise_phone
from core.workflow import audit
from core.workflow.citizen_accounts import check_email

CHANNELS = ("email", "sms")


class Consent(msgspec.Struct, frozen=True, kw_only=True):
    channel: str
    address: str
    source: str
    given_at: str


class Unread:
    """The consent not read yet (its reader reads it): not the same as none in force."""


UNREAD = Unread()

#: The consent in force of the citizen in a ``SELECT … FROM "citizen"``: its columns as
#: ``consent_*`` and the join that finds it (one row per citizen, kept when withdrawn).
_COLUMNS = (
    ', "notify_consent"."channel" AS "consent_channel"'
    ', "notify_consent"."address" AS "consent_address"'
    ', "notify_consent"."source" AS "consent_source"'
    ', "notify_consent"."given_at" AS "consent_given_at"'
)
_JOIN = (
    ' LEFT JOIN "notify_consent" ON "notify_consent"."citizen" = "citizen"."id"'
    ' AND "notify_consent"."withdrawn_at" IS NULL'
)


def with_citizen(select_from_citizen: str) -> str:
    """``select_from_citizen`` (``SELECT … FROM "citizen"``, before its ``WHERE``) reading
    the citizen's consent in force as well, for :func:`of_row`: one statement, not two."""
    head, sep, tail = select_from_citizen.partition(' FROM "citizen"')
    assert sep, select_from_citizen
    return f"{head}{_COLUMNS}{sep}{_JOIN}{tail}"


def of_row(row: dict[str, Any]) -> Consent | None:
    """The consent in force read with the citizen (:func:`with_citizen`), or None."""
    if row.get("consent_channel") is None:
        return None
    return Consent(
        channel=row["consent_channel"],
        address=row["consent_address"],
        source=row["consent_source"],
        given_at=row["consent_given_at"].isoformat(),
    )


async def current(citizen_id: int) -> Consent | None:
    """The consent in force, or None."""
    row = await built_once.first_where(
        NotifyConsent,
        '"notify_consent"."citizen" = {} AND "notify_consent"."withdrawn_at" IS NULL',
        citizen_id,
    )
    if row is None:
        return None
    return Consent(
        channel=row["channel"],
        address=row["address"],
        source=row["source"],
        given_at=row["given_at"].isoformat(),
    )


async def record(
    actor: Actor, citizen_id: int, *, agree: bool, address: str, channel: str = "email"
) -> Consent | None:
    """Give (with the address) or withdraw the consent of ``citizen_id``: the citizen
    themselves, or staff of their municipality recording a paper consent."""
    if actor.role == "citizen" and actor.citizen_id != citizen_id:
        raise Forbidden("лише власна згода / only your own consent", "citizen_id")
    if channel not in CHANNELS:
        raise Forbidden(f"канал {channel!r} не підтримується / unsupported channel", "channel")
    now = clock.now()
    source = "cabinet" if actor.role == "citizen" else "front_office"
    if not agree:
        await NotifyConsent.update({NotifyConsent.withdrawn_at: now}).where(
            (NotifyConsent.citizen == citizen_id) & NotifyConsent.withdrawn_at.is_null()
        )
        await audit.record(
            actor,
            "citizen.notify_consent",
            "citizen",
            citizen_id,
            {"agree": False, "citizen_ids": [citizen_id]},
        )
        return None
    if channel == "sms":
        phone = normalise_phone(address)
        if phone is None:
            raise Invalid("вкажіть мобільний номер / enter a mobile number", "notify_phone")
        clean = phone
    else:
        clean = check_email(address)
    values: dict[Any, Any] = {
        NotifyConsent.channel: channel,
        NotifyConsent.address: clean,
        NotifyConsent.source: source,
        NotifyConsent.given_by: actor.id,
        NotifyConsent.given_at: now,
        NotifyConsent.withdrawn_at: None,
    }
    updated = (
        await NotifyConsent.update(values)
        .where(NotifyConsent.citizen == citizen_id)
        .returning(NotifyConsent.id)
    )
    if not updated:
        await NotifyConsent(
            municipality=actor.municipality_id,
            citizen=citizen_id,
            channel=channel,
            address=clean,
            source=source,
            given_by=actor.id,
            given_at=now,
        ).save()
    await audit.record(
        actor,
        "citizen.notify_consent",
        "citizen",
        citizen_id,
        {"agree": True, "channel": channel, "source": source, "citizen_ids": [citizen_id]},
    )
    return Consent(channel=channel, address=clean, source=source, given_at=now.isoformat())
