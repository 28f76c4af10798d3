"""Piccolo tables of the plugin: the register of assistants of capable persons.

Constraints Piccolo cannot express are created by hand in the second migration: entry
numbers unique per municipality, one register entry per request, one active entry per
pair (person, assistant), one assistant row per municipality and assistant identity.
Entry numbers come from the core's number series (``assistant_registration.entry``).
"""

from __future__ import annotations

from piccolo.columns import (
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.sdk import Citizen, Municipality, Request, User

R = OnDelete.restrict


class AssistantEntry(Table, tablename="assistant_registration_entry"):
    """One registration of an assistant for a person; terminated entries stay."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, null=False, index=True)
    #: "ПМ-2026-0007", unique per municipality.
    number = Varchar(length=32)
    #: The approved request the entry comes from (none for entries made by hand).
    request = ForeignKey(Request, on_delete=R, null=True, default=None)
    person = ForeignKey(Citizen, on_delete=R, null=False, index=True)
    assistant_last_name = Varchar(length=128)
    assistant_first_name = Varchar(length=128)
    assistant_patronymic = Varchar(length=128, default="")
    assistant_birth_date = Date()
    assistant_tax_number = Varchar(length=10, null=True, default=None)
    assistant_address = Text(default="")
    assistant_phone = Varchar(length=32, default="")
    #: Lower-cased full name of the assistant, for search on both engines.
    assistant_search_name = Varchar(length=400, default="")
    #: "tax:<РНОКПП>" or "name:<full name>|<birth date>".
    assistant_key = Varchar(length=255)
    health_reason = Text(default="")
    registered_on = Date()
    status = Varchar(length=16, default="active")  # active | terminated
    terminated_on = Date(null=True, default=None)
    termination_reason = Varchar(length=32, default="")
    termination_note = Text(default="")
    created_by = ForeignKey(User, null=True, default=None, on_delete=R)
    terminated_by = ForeignKey(User, null=True, default=None, on_delete=R)
    created_at = Timestamptz(default=TimestamptzNow())


class AssistantIdentity(Table, tablename="assistant_registration_assistant"):
    """One row per assistant and municipality: locked while a registration of that
    assistant is written, so the persons-per-assistant limit holds under concurrency."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, null=False)
    assistant_key = Varchar(length=255)
    registrations = Integer(default=0)


TABLES: tuple[type[Table], ...] = (AssistantEntry, AssistantIdentity)
