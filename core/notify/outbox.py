"""The outbox: messages written in the same transaction as the event they tell of, and
delivered after the commit.

- :func:`enqueue` adds a message inside the caller's transaction: if the event rolls
  back, no message exists; if it commits, the message waits to be sent.
- :func:`deliver_due` sends what is due. A message is **claimed** first (one UPDATE from
  ``pending`` to ``sending``, which only one process can win), so two processes never
  send it both. A refusal or a network error puts it back to ``pending`` with a backoff
  that doubles from a minute, until ``outbox_attempts`` is reached (``failed``).
- A process that dies between the claim and the status leaves the message ``sending``;
  after :data:`STUCK` it is handed out again. That is the one case where a message can
  go twice (the server may have taken it before the crash): at least once, never lost.

The web process delivers right after each commit (:func:`kick`) and every minute
(:func:`run_forever`, started with the application); ``hromada outbox`` delivers from the
command line.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from datetime import datetime, timedelta
from typing import Any

from core import clock
from core.config import Settings
from core.db import built_once
from core.db.tables import OutboxMessage
from core.notify import email, sms

log = logging.getLogger("hromada.outbox")

#: How long a claimed message may stay ``sending`` before it is handed out again.
STUCK = timedelta(minutes=10)
#: The first retry's delay; each later one doubles it.
FIRST_RETRY = timedelta(minutes=1)
CHANNELS = ("email", "sms")
#: Stands for the site's public address in a message's body until it is sent (the
#: ``public_url`` of the sending process's settings).
SITE = "[[site]]"
#: Whether this task wrote a message since the last :func:`kick_if_written`.
_written: contextvars.ContextVar[bool] = contextvars.ContextVar("outbox_written", default=False)


def message(
    *,
    municipality_id: int,
    event: str,
    recipient: str,
    subject: str,
    body: str,
    channel: str = "email",
    citizen_id: int | None = None,
    request_id: int | None = None,
    not_before: datetime | None = None,
) -> dict[str, Any]:
    """The values of an outbox row for :func:`enqueue` (or a caller writing the row
    itself, as the submission does with its journal number: then call :func:`written`)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    now = clock.now()
    return {
        "municipality": municipality_id,
        "event": event,
        "channel": channel,
        "recipient": recipient,
        "subject": subject,
        "body": body,
        "citizen": citizen_id,
        "request": request_id,
        "next_attempt_at": not_before or now,
        "created_at": now,
    }


def written() -> None:
    """Note that this task wrote a message (see :func:`kick_if_written`)."""
    _written.set(True)


async def enqueue(
    *,
    municipality_id: int,
    event: str,
    recipient: str,
    subject: str,
    body: str,
    channel: str = "email",
    citizen_id: int | None = None,
    request_id: int | None = None,
    not_before: datetime | None = None,
) -> int:
    """Add a message to send (inside the caller's transaction); ``not_before`` holds it
    back until then (a reminder the day before a visit)."""
    values = message(
        municipality_id=municipality_id,
        event=event,
        recipient=recipient,
        subject=subject,
        body=body,
        channel=channel,
        citizen_id=citizen_id,
        request_id=request_id,
        not_before=not_before,
    )
    row = await built_once.insert(OutboxMessage, **values)
    written()
    return int(row["id"])


async def cancel(message_id: int) -> bool:
    """Withdraw a message not yet sent (a reminder of a cancelled visit); True if it was
    still waiting."""
    rows = (
        await OutboxMessage.update({OutboxMessage.status: "cancelled"})
        .where((OutboxMessage.id == message_id) & (OutboxMessage.status == "pending"))
        .returning(OutboxMessage.id)
    )
    return bool(rows)


async def _claim(message_id: int) -> bool:
    now = clock.now()
    won = (
        await OutboxMessage.update(
            {
                OutboxMessage.status: "sending",
                OutboxMessage.attempts: OutboxMessage.attempts + 1,
                OutboxMessage.next_attempt_at: now + STUCK,
            }
        )
        .where(
            (OutboxMessage.id == message_id)
            & (OutboxMessage.status == "pending")
            & (OutboxMessage.next_attempt_at <= now)
        )
        .returning(OutboxMessage.id)
    )
    return bool(won)


async def _release_stuck() -> None:
    await OutboxMessage.update({OutboxMessage.status: "pending"}).where(
        (OutboxMessage.status == "sending") & (OutboxMessage.next_attempt_at <= clock.now())
    )


async def _send(settings: Settings, row: dict[str, Any]) -> None:
    body = row["body"].replace(SITE, settings.public_url.rstrip("/"))
    if row["channel"] == "sms":
        await sms.gateway(settings).send(row["recipient"], body)
        return
    mail = email.message(settings, to=row["recipient"], subject=row["subject"], body=body)
    await email.send(settings, mail, name=f"{row['id']:08d}-{row['event']}")


async def deliver_due(settings: Settings, *, limit: int = 100) -> int:
    """Send the messages that are due; returns how many went."""
    await _release_stuck()
    due = (
        await OutboxMessage.select(
            OutboxMessage.id,
            OutboxMessage.event,
            OutboxMessage.channel,
            OutboxMessage.recipient,
            OutboxMessage.subject,
            OutboxMessage.body,
            OutboxMessage.attempts,
        )
        .where((OutboxMessage.status == "pending") & (OutboxMessage.next_attempt_at <= clock.now()))
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    sent = 0
    for row in due:
        if not await _claim(row["id"]):
            continue
        attempt = row["attempts"] + 1
        try:
            await _send(settings, row)
        except Exception as exc:  # a refusal or a network error: retry later
            failed = attempt >= settings.outbox_attempts
            log.warning("outbox message %s, attempt %s: %s", row["id"], attempt, exc)
            await OutboxMessage.update(
                {
                    OutboxMessage.status: "failed" if failed else "pending",
                    OutboxMessage.next_attempt_at: clock.now() + FIRST_RETRY * 2 ** (attempt - 1),
                    OutboxMessage.last_error: f"{type(exc).__name__}: {exc}"[:1000],
                }
            ).where(OutboxMessage.id == row["id"])
            continue
        await OutboxMessage.update(
            {
                OutboxMessage.status: "sent",
                OutboxMessage.sent_at: clock.now(),
                OutboxMessage.last_error: "",
            }
        ).where(OutboxMessage.id == row["id"])
        sent += 1
    return sent


_running: set[asyncio.Task[int]] = set()


def kick(settings: Settings) -> None:
    """Deliver what is due now, in the background of this process (after a commit)."""
    task = asyncio.get_running_loop().create_task(deliver_due(settings))
    _running.add(task)
    task.add_done_callback(_running.discard)


def kick_if_written(settings: Settings) -> None:
    """:func:`kick`, if this task wrote a message (after the event's commit)."""
    if _written.get():
        _written.set(False)
        kick(settings)


async def settle() -> None:
    """Wait for the deliveries :func:`kick` started (tests, shutdown)."""
    while _running:
        await asyncio.gather(*list(_running), return_exceptions=True)


async def run_forever(settings: Settings, every_seconds: float = 60.0) -> None:
    """Deliver due messages every minute until cancelled (retries need a clock)."""
    while True:
        try:
            await deliver_due(settings)
        except Exception:
            log.exception("outbox delivery")
        await asyncio.sleep(every_seconds)
