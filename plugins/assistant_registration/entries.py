"""Reading the register: one entry (audited), and search by person or assistant.

A citizen sees only the entries where they are the person; staff and auditors see every
entry of their municipality. Terminated entries stay readable: the register keeps its
history.
"""

from __future__ import annotations

from typing import Any

import msgspec

from core.sdk import Actor, NotFound, Page, audit, contains
from plugins.assistant_registration.schemas import REASONS, EntryOut, EntrySummary, Status
from plugins.assistant_registration.tables import AssistantEntry

E = AssistantEntry
SUBJECT = "assistant_registration_entry"

COLUMNS = (
    E.id,
    E.number,
    E.request,
    E.person,
    E.person.last_name.as_alias("p_last"),
    E.person.first_name.as_alias("p_first"),
    E.person.patronymic.as_alias("p_patronymic"),
    E.assistant_last_name,
    E.assistant_first_name,
    E.assistant_patronymic,
    E.assistant_birth_date,
    E.registered_on,
    E.status,
    E.terminated_on,
)
DETAIL = (
    *COLUMNS,
    E.person.birth_date.as_alias("p_birth_date"),
    E.person.tax_number.as_alias("p_tax_number"),
    E.assistant_tax_number,
    E.assistant_address,
    E.assistant_phone,
    E.health_reason,
    E.termination_reason,
    E.termination_note,
    E.created_at,
)


def _join(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def person_name(row: dict[str, Any]) -> str:
    return _join(row["p_last"], row["p_first"], row["p_patronymic"])


def assistant_name(row: dict[str, Any]) -> str:
    return _join(
        row["assistant_last_name"], row["assistant_first_name"], row["assistant_patronymic"]
    )


def summary(row: dict[str, Any]) -> EntrySummary:
    return EntrySummary(
        id=row["id"],
        number=row["number"],
        request_id=row["request"],
        person_id=row["person"],
        person_name=person_name(row),
        assistant_name=assistant_name(row),
        assistant_birth_date=row["assistant_birth_date"],
        registered_on=row["registered_on"],
        status=row["status"],
        terminated_on=row["terminated_on"],
    )


def detail(row: dict[str, Any]) -> EntryOut:
    reason = row["termination_reason"]
    return EntryOut(
        **msgspec.structs.asdict(summary(row)),
        person_birth_date=row["p_birth_date"],
        person_tax_number=row["p_tax_number"],
        assistant_tax_number=row["assistant_tax_number"],
        assistant_address=row["assistant_address"],
        assistant_phone=row["assistant_phone"],
        health_reason=row["health_reason"],
        termination_reason=reason,
        termination_reason_text=REASONS.get(reason),
        termination_note=row["termination_note"],
        created_at=row["created_at"],
    )


async def row_of(actor: Actor, entry_id: int) -> dict[str, Any]:
    """The entry as ``actor`` may see it; 404 for other municipalities and other people."""
    row = (
        await E.select(*DETAIL)
        .where((E.id == entry_id) & (E.municipality == actor.municipality_id))
        .first()
    )
    if row is None or (actor.role == "citizen" and row["person"] != actor.citizen_id):
        raise NotFound(f"запис {entry_id} не знайдено / register entry not found", "entry_id")
    return row


async def read(actor: Actor, entry_id: int) -> EntryOut:
    row = await row_of(actor, entry_id)
    await audit.read(actor, "assistant_registration.read", SUBJECT, entry_id)
    return detail(row)


def _matches(text: str | None, name_col: Any, tax_col: Any) -> Any:
    """A name fragment (case-insensitive) or an exact tax number."""
    value = " ".join((text or "").split()).lower()
    if not value:
        return None
    if value.isdigit():
        return tax_col == value
    return contains(name_col, value)


async def search(
    actor: Actor,
    *,
    person: str | None,
    assistant: str | None,
    person_id: int | None,
    request_id: int | None,
    number: str | None,
    status: Status | None,
    page: int,
    page_size: int,
) -> Page[EntrySummary]:
    where: Any = E.municipality == actor.municipality_id
    if actor.role == "citizen":
        where = where & (E.person == actor.citizen_id)
    for cond in (
        _matches(person, E.person.search_name, E.person.tax_number),
        _matches(assistant, E.assistant_search_name, E.assistant_tax_number),
    ):
        if cond is not None:
            where = where & cond
    if person_id is not None:
        where = where & (E.person == person_id)
    if request_id is not None:
        where = where & (E.request == request_id)
    if number and number.strip():
        where = where & contains(E.number, number.strip().upper())
    if status:
        where = where & (E.status == status)
    total = await E.count().where(where)
    rows = (
        await E.select(*COLUMNS)
        .where(where)
        .order_by(E.registered_on, ascending=False)
        .order_by(E.id, ascending=False)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    await audit.read(
        actor,
        "assistant_registration.search",
        SUBJECT,
        None,
        {
            "person": person,
            "assistant": assistant,
            "person_id": person_id,
            "request_id": request_id,
            "number": number,
            "status": status,
            "found": total,
            "ids": [r["id"] for r in rows],
        },
    )
    return Page(items=[summary(r) for r in rows], total=total, page=page, page_size=page_size)
