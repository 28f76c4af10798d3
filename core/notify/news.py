"""Writing news into the outbox: the one public way for the core and the plugins to tell a
citizen or a provider of something that happened.

- :func:`notify_citizen` writes a message of a registered kind
  (:func:`core.notify.templates.register`) to a citizen, only when their consent is in
  force (:mod:`core.notify.consent`), by the channel they chose: an e-mail with the
  Ukrainian text, then the English, and the consent's footer; or one short Ukrainian SMS.
- :func:`notify_provider` writes one to a provider (an organisation) at the e-mail
  address of its record; no consent applies (the messages are the contract's business),
  and nothing is written when the record has no address.
- ``once`` (a key, such as ``disability_transport.trip_reminder:42``) makes a message go
  once only: the key is claimed in ``notify_once`` in the same transaction, so a job run
  twice, or two runs at once, write it once. It is claimed only when a message is
  written: a citizen who agrees later still gets it from the next run.

Call them inside the transaction of the event, so the message exists exactly when the
event does (:mod:`core.notify.outbox`).
"""

from __future__ import annotations

from typing import Any

from core import clock
from core.db.notify import NotifyOnce
from core.db.tables import Provider
from core.errors import Invalid
from core.notify import outbox, templates
from core.notify.consent import UNREAD, Consent, Unread, current
from core.notify.templates import Wording
from core.workflow.citizen_accounts import check_email

#: Below every e-mail to a citizen (not reworded: the consent is the law's, not a style).
FOOTER = (
    "\n\nВи отримали цей лист, бо погодилися на повідомлення про свої звернення; "
    "відмовитися можна в кабінеті («Мої дані»). / You get this because you agreed to "
    "news of your requests; opt out in your account (My data).\n"
)
#: Below every e-mail to a provider.
PROVIDER_FOOTER = (
    "\n\nЛист надіслано на адресу електронної пошти, зазначену в картці надавача послуг. / "
    "Sent to the e-mail address on the provider's record.\n"
)


def email_body(text: Wording, footer: str) -> str:
    """An e-mail's text: Ukrainian first, then English."""
    return f"{text.body_uk}\n\n———\n\n{text.body_en}{footer}"


async def _claim(municipality_id: int, key: str) -> int | None:
    """The id of the ``notify_once`` row claimed for ``key``, or None if it was taken
    (by an earlier run, or a parallel one that committed first: on PostgreSQL the insert
    waits for it)."""
    rows = (
        await NotifyOnce.insert(
            NotifyOnce(municipality=municipality_id, key=key, created_at=clock.now())
        )
        .on_conflict(target=NotifyOnce.key, action="DO NOTHING")
        .returning(NotifyOnce.id)
    )
    return int(rows[0]["id"]) if rows else None


async def sent_once(key: str) -> bool:
    """Whether the message of ``key`` was written."""
    return bool(await NotifyOnce.exists().where(NotifyOnce.key == key))


async def _write(
    *,
    municipality_id: int,
    event: str,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    citizen_id: int | None,
    request_id: int | None,
    once: str | None,
) -> int | None:
    claimed = None
    if once is not None:
        claimed = await _claim(municipality_id, once)
        if claimed is None:
            return None
    message_id = await outbox.enqueue(
        municipality_id=municipality_id,
        event=event,
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        citizen_id=citizen_id,
        request_id=request_id,
    )
    if claimed is not None:
        await NotifyOnce.update({NotifyOnce.message: message_id}).where(NotifyOnce.id == claimed)
    return message_id


async def notify_citizen(
    *,
    municipality_id: int,
    citizen_id: int,
    event: str,
    values: dict[str, str],
    request_id: int | None = None,
    once: str | None = None,
) -> int | None:
    """Write the message of ``event`` (a registered kind) with ``values`` for the citizen
    (call inside the event's transaction); its outbox id, or None when the citizen has no
    consent in force or ``once`` was already sent. ``request_id`` lists the message on
    that request's pages."""
    message = await citizen_message(
        municipality_id=municipality_id,
        citizen_id=citizen_id,
        event=event,
        values=values,
        request_id=request_id,
    )
    if message is None:
        return None
    claimed = None
    if once is not None:
        claimed = await _claim(municipality_id, once)
        if claimed is None:
            return None
    message_id = await outbox.enqueue(**message)
    if claimed is not None:
        await NotifyOnce.update({NotifyOnce.message: message_id}).where(NotifyOnce.id == claimed)
    return message_id


async def citizen_message(
    *,
    municipality_id: int,
    citizen_id: int,
    event: str,
    values: dict[str, str],
    request_id: int | None = None,
    consent: Consent | Unread | None = UNREAD,
) -> dict[str, Any] | None:
    """The message :func:`notify_citizen` would write (the arguments of
    :func:`core.notify.outbox.enqueue`), or None when the citizen has no consent in
    force (``consent``: the one in force when the caller read it with the citizen)."""
    if isinstance(consent, Unread):
        consent = await current(citizen_id)
    if consent is None:
        return None
    text = await templates.render(municipality_id, event, values)
    sms = consent.channel == "sms"
    return {
        "municipality_id": municipality_id,
        "event": event,
        "channel": consent.channel,
        "recipient": consent.address,
        # An SMS is paid for by its length: one short message in Ukrainian.
        "subject": "" if sms else f"{text.subject_uk} / {text.subject_en}",
        "body": text.sms_uk if sms else email_body(text, FOOTER),
        "citizen_id": citizen_id,
        "request_id": request_id,
    }


async def provider_email(provider_id: int) -> str | None:
    """The e-mail address on the provider's record, or None (none, or not an address)."""
    row = await Provider.select(Provider.email).where(Provider.id == provider_id).first()
    if row is None or not (row["email"] or "").strip():
        return None
    try:
        return check_email(row["email"])
    except Invalid:
        return None


async def notify_provider(
    *,
    municipality_id: int,
    provider_id: int,
    event: str,
    values: dict[str, str],
    once: str | None = None,
) -> int | None:
    """Write the e-mail of ``event`` with ``values`` to the provider's address (call inside
    the event's transaction); its outbox id, or None when the provider has no address."""
    address = await provider_email(provider_id)
    if address is None:
        return None
    text = await templates.render(municipality_id, event, values)
    return await _write(
        municipality_id=municipality_id,
        event=event,
        channel="email",
        recipient=address,
        subject=f"{text.subject_uk} / {text.subject_en}",
        body=email_body(text, PROVIDER_FOOTER),
        citizen_id=None,
        request_id=None,
        once=once,
    )


def day(value: object) -> str:
    """A date as messages write it (dd.mm.yyyy); "—" for none."""
    strftime = getattr(value, "strftime", None)
    return "—" if strftime is None else str(strftime("%d.%m.%Y"))
