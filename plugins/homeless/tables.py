"""Piccolo tables of the homeless-support plugin: the register of homeless persons.

The register is kept by the municipality's accounting centre (центр обліку бездомних
осіб, art. 6 of Law No. 2623-IV). Constraints Piccolo cannot express (one active entry
per citizen, certificate numbers unique per municipality) are created by hand in the
second migration. Certificate numbers come from the core's number series
(``homeless.certificate``).
"""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.sdk import Citizen, Municipality, User

R = OnDelete.restrict


class HomelessPerson(Table, tablename="homeless_person"):
    """One entry of the register: a person taken on record, and (later) removed."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, null=False, index=True)
    citizen = ForeignKey(Citizen, on_delete=R, null=False, index=True)
    #: "БО-2026-00017": unique per municipality (hand-written index).
    certificate_number = Varchar(length=32)
    registered_on = Date()
    channel = Varchar(length=16)  # application | patrol_detection
    has_identity_documents = Boolean(default=False)
    registered_address_is_centre = Boolean(default=False)
    #: Seen only by staff of the register; never sent to providers.
    confidential_notes = Text(default="")
    status = Varchar(length=16, default="active")  # active | removed
    removed_on = Date(null=True, default=None)
    removal_reason = Text(default="")
    created_by = ForeignKey(User, null=True, default=None, on_delete=R)
    removed_by = ForeignKey(User, null=True, default=None, on_delete=R)
    created_at = Timestamptz(default=TimestamptzNow())


HOMELESS_TABLES: tuple[type[Table], ...] = (HomelessPerson,)
