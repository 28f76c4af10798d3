"""Who looked at my data: the audit log as one citizen sees it.

A citizen reads the rows about themself — those naming them (``details.citizen_ids``, or
for a read of the audit log the rows it showed), found through the indexed
``audit_citizen`` side table (see :mod:`core.workflow.audit`), and those whose subject
is their own record — newest first, a page at a time. Their own actions are left out
(the list is of what others did), and so is reading this list: it writes no audit row.
Each row says when, which role and which office or provider; the staff member's name
only where the municipality chose to show it (the dated parameter
``access_log_staff_names``), never the IP.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from core.actor import Actor
from core.clock import today
from core.db.tables import AuditCitizen, AuditLog, Request
from core.errors import Forbidden
from core.platform import core_parameters, decode

#: The municipality's choice to name staff in the list (a dated core parameter).
STAFF_NAMES = "core.access_log_staff_names"
#: The most rows one page shows.
MAX_PAGE = 100


class AccessRow(msgspec.Struct, kw_only=True):
    id: int
    at: datetime
    action: str
    subject: str
    subject_id: int | None
    role: str
    office: str | None
    provider: str | None
    #: The journal number when the row is about one of the citizen's requests.
    journal_number: str | None = None
    #: The page or API route read (``GET /api/requests/31``), when recorded.
    route: str | None = None
    #: The staff member's name, where the municipality shows names.
    name: str | None = None


def _where(actor: Actor) -> Any:
    if actor.role != "citizen" or actor.citizen_id is None:
        raise Forbidden(
            "лише заявник бачить, хто переглядав його дані / only the applicant sees who "
            "looked at their data",
            "role",
        )
    mine = actor.citizen_id
    named = AuditCitizen.select(AuditCitizen.audit_id).where(AuditCitizen.citizen_id == mine)
    about = (AuditLog.subject == "citizen") & (AuditLog.subject_id == mine)
    others = AuditLog.actor.is_null() | (AuditLog.actor != actor.id)
    return (
        (AuditLog.municipality == actor.municipality_id)
        & others
        & (AuditLog.id.is_in(named) | about)
    )


async def reads_of_me(actor: Actor, *, page: int, page_size: int) -> tuple[list[AccessRow], int]:
    """One page of the rows about the signed-in citizen, newest first, and how many there
    are in all."""
    where = _where(actor)
    size = max(1, min(page_size, MAX_PAGE))
    show_names = bool((await core_parameters(actor.municipality_id)).at(STAFF_NAMES, today()))
    total = await AuditLog.count().where(where)
    rows = (
        await AuditLog.select(
            AuditLog.id,
            AuditLog.at,
            AuditLog.action,
            AuditLog.subject,
            AuditLog.subject_id,
            AuditLog.actor_role,
            AuditLog.details,
            AuditLog.actor._.office._.name,
            AuditLog.actor._.provider._.name,
            AuditLog.actor._.full_name,
        )
        .where(where)
        .order_by(AuditLog.id, ascending=False)
        .limit(size)
        .offset((max(page, 1) - 1) * size)
    )
    request_ids = sorted(
        {r["subject_id"] for r in rows if r["subject"] == "request" and r["subject_id"]}
    )
    numbers: dict[int, str] = {}
    if request_ids:
        found = await Request.select(Request.id, Request.journal_number).where(
            Request.id.is_in(request_ids)
            & (Request.municipality == actor.municipality_id)
            & (Request.citizen == actor.citizen_id)
        )
        numbers = {f["id"]: f["journal_number"] for f in found}
    out = []
    for r in rows:
        details = decode(r["details"], {})
        route = details.get("route") if isinstance(details, dict) else None
        out.append(
            AccessRow(
                id=r["id"],
                at=r["at"],
                action=r["action"],
                subject=r["subject"],
                subject_id=r["subject_id"],
                role=r["actor_role"],
                office=r["actor.office.name"],
                provider=r["actor.provider.name"],
                journal_number=numbers.get(r["subject_id"]) if r["subject"] == "request" else None,
                route=route if isinstance(route, str) else None,
                name=(r["actor.full_name"] or None)
                if show_names and r["actor_role"] not in ("citizen", "")
                else None,
            )
        )
    return out, total
