"""msgspec Structs of the register API: what comes in and what goes out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct

from core.sdk import Checked, RowId, Text

Channel = Literal["application", "patrol_detection"]
Status = Literal["active", "removed"]


class RegisterIn(Checked, kw_only=True, forbid_unknown_fields=True):
    """Take a person on the register: on their application or on detection by a patrol."""

    citizen_id: RowId
    channel: Channel
    has_identity_documents: bool
    registered_address_is_centre: bool = False
    confidential_notes: Annotated[str, Meta(max_length=4000)] = ""
    #: Defaults to today; never in the future.
    registered_on: date | None = None


class RemoveIn(Checked, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(min_length=1, max_length=1000)]
    #: Defaults to today; not before the registration, never in the future.
    removed_on: date | None = None


class EntrySummary(Struct, kw_only=True):
    id: int
    certificate_number: str
    citizen_id: int
    full_name: str
    birth_date: date | None
    registered_on: date
    channel: str
    status: str
    removed_on: date | None


class EntryOut(EntrySummary, kw_only=True):
    """One entry as staff of the register read it, confidential notes included."""

    has_identity_documents: bool
    registered_address_is_centre: bool
    confidential_notes: str
    removal_reason: str
    created_at: datetime


class CertificateOut(Struct, kw_only=True):
    """Data of the certificate of being taken on record (довідка про взяття на облік)."""

    certificate_number: str
    #: The person certified.
    citizen_id: int
    issued_on: date
    municipality: Text
    full_name: str
    birth_date: date | None
    registered_on: date
    registered_address_is_centre: bool
    text: Text
    legal_basis: Text
