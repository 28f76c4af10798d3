"""The ``on_event`` path: an approved request becomes a register entry by itself.

Hooks are synchronous and the core calls ``on_event`` from inside its running event loop
(after the decision commits), so the handler cannot await the database. It schedules a
task on that loop, in a fresh context (never inside a caller's transaction), and keeps a
reference until the task ends. The task is best effort: a refusal (the assistant's
limit reached, the pair already active) or a process stopping before the task runs is
logged, and staff make (or see the refusal of) the entry with the idempotent endpoint
``POST /api/ext/assistant_registration/register/from-request/{request_id}``.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging

from core.sdk import Actor, DomainError, Event, Request
from plugins.assistant_registration.register import from_request
from plugins.assistant_registration.service import CODE

log = logging.getLogger("hromada.plugins.assistant_registration")

#: Tasks scheduled and not finished yet (a reference keeps them from being collected).
PENDING: set[asyncio.Task[None]] = set()


def handle(event: Event) -> None:
    if event.kind != "request.decided" or event.data.get("service") != CODE:
        return
    if event.data.get("status") != "approved":
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no loop: nothing to schedule on; staff use the endpoint
        log.warning("request %s approved outside an event loop: no entry made", event.subject_id)
        return
    task = loop.create_task(
        register_approved(event.municipality_id, event.subject_id),
        context=contextvars.Context(),
    )
    PENDING.add(task)
    task.add_done_callback(PENDING.discard)


async def _decider(municipality_id: int, request_id: int) -> Actor | None:
    """The staff member who approved the request, for the audit record."""
    row = (
        await Request.select(
            Request.decided_by.id.as_alias("id"),
            Request.decided_by.username.as_alias("username"),
            Request.decided_by.role.as_alias("role"),
        )
        .where((Request.id == request_id) & (Request.municipality == municipality_id))
        .first()
    )
    if row is None or row["id"] is None:
        return None
    return Actor(
        id=row["id"],
        username=row["username"] or "",
        full_name="",
        role=row["role"] or "",
        municipality_id=municipality_id,
        municipality_slug="",
    )


async def register_approved(municipality_id: int, request_id: int) -> None:
    try:
        actor = await _decider(municipality_id, request_id)
        entry_id, created = await from_request(actor, municipality_id, request_id)
    except DomainError as exc:
        log.warning("request %s: no register entry: %s", request_id, exc.message)
    except Exception:
        log.exception("request %s: the register entry could not be made", request_id)
    else:
        if created:
            log.info("request %s: register entry %s made", request_id, entry_id)


async def drain() -> None:
    """Wait for every scheduled registration (tests, and a clean shutdown)."""
    while PENDING:
        await asyncio.gather(*list(PENDING), return_exceptions=True)


__all__ = ["PENDING", "drain", "handle", "register_approved"]
