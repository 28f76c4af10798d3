"""What was sent about a request or to a citizen, for the pages: each message with its
delivery state, newest first."""

from __future__ import annotations

from datetime import datetime

import msgspec

from core.db.tables import OutboxMessage


class Delivery(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    event: str
    recipient: str
    subject: str
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    last_error: str


_COLUMNS = (
    OutboxMessage.id,
    OutboxMessage.event,
    OutboxMessage.recipient,
    OutboxMessage.subject,
    OutboxMessage.status,
    OutboxMessage.attempts,
    OutboxMessage.created_at,
    OutboxMessage.sent_at,
    OutboxMessage.last_error,
)


async def of_request(municipality_id: int, request_id: int, limit: int = 50) -> list[Delivery]:
    rows = (
        await OutboxMessage.select(*_COLUMNS)
        .where(
            (OutboxMessage.request == request_id) & (OutboxMessage.municipality == municipality_id)
        )
        .order_by(OutboxMessage.id, ascending=False)
        .limit(limit)
    )
    return [msgspec.convert(r, Delivery) for r in rows]
