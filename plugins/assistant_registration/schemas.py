"""msgspec Structs of the register API: what comes in and what goes out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct

from core.sdk import Checked, Text

Status = Literal["active", "terminated"]
Reason = Literal[
    "person_request",
    "assistant_request",
    "person_death",
    "person_declared_incapable",
    "assistant_lost_capacity",
]

REASONS: dict[str, Text] = {
    "person_request": Text("за заявою особи", "at the person's request"),
    "assistant_request": Text("за заявою помічника", "at the assistant's request"),
    "person_death": Text("у зв'язку зі смертю особи", "on the person's death"),
    "person_declared_incapable": Text(
        "у зв'язку з визнанням особи недієздатною", "the person was declared incapable"
    ),
    "assistant_lost_capacity": Text(
        "у зв'язку з втратою помічником дієздатності", "the assistant lost capacity"
    ),
}


class TerminateIn(Checked, kw_only=True, forbid_unknown_fields=True):
    reason: Reason
    #: Defaults to today; not before the registration, never in the future.
    terminated_on: date | None = None
    note: Annotated[str, Meta(max_length=1000)] = ""


class EntrySummary(Struct, kw_only=True):
    id: int
    number: str
    request_id: int | None
    person_id: int
    person_name: str
    assistant_name: str
    assistant_birth_date: date
    registered_on: date
    status: str
    terminated_on: date | None


class EntryOut(EntrySummary, kw_only=True):
    """One entry of the register, with the assistant's details and the history fields."""

    person_birth_date: date | None
    person_tax_number: str | None
    assistant_tax_number: str | None
    assistant_address: str
    assistant_phone: str
    health_reason: str
    termination_reason: str
    termination_reason_text: Text | None
    termination_note: str
    created_at: datetime
