"""The append-only audit log: reads of personal data and every decision."""

from __future__ import annotations

from typing import Any

import msgspec

from core.actor import Actor
from core.db.tables import AuditLog


async def record(
    actor: Actor | None,
    action: str,
    subject: str,
    subject_id: int | None,
    details: dict[str, Any] | None = None,
    municipality_id: int | None = None,
) -> None:
    await AuditLog.insert(
        AuditLog(
            municipality=municipality_id if actor is None else actor.municipality_id,
            actor=None if actor is None else actor.id,
            actor_role="" if actor is None else actor.role,
            action=action,
            subject=subject,
            subject_id=subject_id,
            details=msgspec.json.encode(details or {}).decode(),
            ip="" if actor is None else actor.ip,
        )
    )
