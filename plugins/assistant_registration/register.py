"""Writing the register: an entry from an approved request, and its termination.

An entry is made once per approved request (idempotent: a second call returns the same
entry). The pair (person, assistant) may have one active entry; an assistant may assist
at most ``max_persons_per_assistant`` persons at a time (0 = no limit). Both hold under
concurrency: the assistant's identity row is locked while the entry is written, and
partial unique indexes back the checks.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any

import msgspec

from core.sdk import (
    Actor,
    Conflict,
    Invalid,
    NotFound,
    Request,
    audit,
    clock,
    decode,
    write_transaction,
)
from plugins.assistant_registration import guards
from plugins.assistant_registration.entries import SUBJECT, detail, row_of
from plugins.assistant_registration.forms import AssistantForm, form_assistant_key
from plugins.assistant_registration.schemas import EntryOut, TerminateIn
from plugins.assistant_registration.service import CODE
from plugins.assistant_registration.tables import AssistantEntry

E = AssistantEntry
GRANTED = ("approved", "assigned", "closed")


class _Exists(Exception):
    def __init__(self, entry_id: int) -> None:
        self.entry_id = entry_id


def _decided_on(value: Any) -> date:
    if isinstance(value, datetime):
        return value.astimezone(clock.KYIV).date() if value.tzinfo else value.date()
    return clock.today()


async def _existing(request_id: int) -> int | None:
    row = await E.select(E.id).where(E.request == request_id).first()
    return None if row is None else int(row["id"])


async def from_request(
    actor: Actor | None, municipality_id: int, request_id: int
) -> tuple[int, bool]:
    """Make the entry of an approved request: ``(entry id, created)``."""
    req = (
        await Request.select(
            Request.id,
            Request.service_code,
            Request.status,
            Request.citizen,
            Request.form,
            Request.decided_at,
            Request.decided_by,
        )
        .where((Request.id == request_id) & (Request.municipality == municipality_id))
        .first()
    )
    if req is None:
        raise NotFound(f"звернення {request_id} не знайдено / request not found", "request_id")
    if req["service_code"] != CODE:
        raise Invalid(
            "звернення не стосується реєстрації помічника / the request is not about "
            "registering an assistant",
            "request_id",
        )
    found = await _existing(request_id)
    if found is not None:
        return found, False
    if req["status"] not in GRANTED:
        raise Conflict(
            f"звернення у стані «{req['status']}», а не схвалене / the request is "
            f"'{req['status']}', not approved",
            "request_id",
        )
    try:
        form = msgspec.convert(decode(req["form"], {}), AssistantForm)
    except msgspec.ValidationError as exc:
        raise Invalid(
            f"форма звернення пошкоджена / the request's form is broken: {exc}", "form"
        ) from exc
    try:
        entry_id = await write_entry(
            actor,
            municipality_id,
            form,
            person=req["citizen"],
            on=_decided_on(req["decided_at"]),
            request_id=request_id,
            created_by=actor.id if actor else req["decided_by"],
        )
    except _Exists as exists:
        return exists.entry_id, False
    except Exception as exc:  # another process made it between our check and insert
        found = await _existing(request_id) if _unique_violation(exc) else None
        if found is None:
            raise
        return found, False
    return entry_id, True


def _unique_violation(exc: BaseException) -> bool:
    return type(exc).__name__ == "UniqueViolationError" or (
        isinstance(exc, sqlite3.IntegrityError) and "UNIQUE" in str(exc)
    )


async def write_entry(
    actor: Actor | None,
    municipality_id: int,
    form: AssistantForm,
    *,
    person: int,
    on: date,
    request_id: int | None,
    created_by: int | None,
) -> int:
    """Write one entry after the pair and limit checks (under the assistant's lock)."""
    key = form_assistant_key(form)
    async with write_transaction():
        await guards.lock_assistant(municipality_id, key)
        if request_id is not None:
            found = await _existing(request_id)
            if found is not None:  # made meanwhile by the other path (event or endpoint)
                raise _Exists(found)
        await guards.check_pair(municipality_id, person, key, form)
        await guards.check_limit(municipality_id, key, on)
        number = await guards.next_number(municipality_id, on.year)
        entry = E(
            municipality=municipality_id,
            number=number,
            request=request_id,
            person=person,
            assistant_last_name=form.assistant_last_name.strip(),
            assistant_first_name=form.assistant_first_name.strip(),
            assistant_patronymic=form.assistant_patronymic.strip(),
            assistant_birth_date=form.assistant_birth_date,
            assistant_tax_number=form.assistant_tax_number,
            assistant_address=form.assistant_address.strip(),
            assistant_phone=form.assistant_phone.strip(),
            assistant_search_name=" ".join(
                f"{form.assistant_last_name} {form.assistant_first_name} "
                f"{form.assistant_patronymic}".lower().split()
            ),
            assistant_key=key,
            health_reason=form.health_reason.strip(),
            registered_on=on,
            status="active",
            created_by=created_by,
        )
        await entry.save()
        await audit.record(
            actor,
            "assistant_registration.register",
            SUBJECT,
            entry.id,
            {"request_id": request_id, "number": number, "person_id": person},
            municipality_id=municipality_id,
        )
    return int(entry.id)


async def terminate(actor: Actor, entry_id: int, body: TerminateIn) -> EntryOut:
    on = body.terminated_on or clock.today()
    if on > clock.today():
        raise Invalid("дата в майбутньому / the date is in the future", "terminated_on")
    async with write_transaction():
        row = await row_of(actor, entry_id)
        if row["status"] != "active":
            raise Conflict(
                f"запис уже припинено {row['terminated_on']:%d.%m.%Y} / the entry was already "
                "terminated",
                "entry_id",
            )
        if on < row["registered_on"]:
            raise Invalid(
                "дата припинення раніше дати реєстрації / termination before registration",
                "terminated_on",
            )
        done = (
            await E.update(
                {
                    E.status: "terminated",
                    E.terminated_on: on,
                    E.termination_reason: body.reason,
                    E.termination_note: body.note.strip(),
                    E.terminated_by: actor.id,
                }
            )
            .where((E.id == entry_id) & (E.status == "active"))
            .returning(E.id)
        )
        if not done:
            raise Conflict("запис уже припинено / the entry was already terminated", "entry_id")
        await audit.record(
            actor,
            "assistant_registration.terminate",
            SUBJECT,
            entry_id,
            {"reason": body.reason, "terminated_on": on.isoformat()},
        )
    return detail(await row_of(actor, entry_id))
