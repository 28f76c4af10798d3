"""Piccolo tables of the core. Every row is scoped to one municipality.

Money columns hold integer kopiyky; ``Decimal`` lives only in the domain and the API.
JSON columns hold msgspec-encoded documents (frozen inputs of decisions, findings).
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Bytea,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Municipality(Table):
    id = Serial(primary_key=True)
    slug = Varchar(length=64, unique=True)
    name_uk = Varchar(length=255)
    name_en = Varchar(length=255)
    kind = Varchar(length=16, default="city")  # city | rural
    edrpou = Varchar(length=8, null=True, default=None)
    iban = Varchar(length=34, null=True, default=None)
    address = Text(default="")
    settlements = JSON(default="[]")
    enabled_plugins = JSON(default="[]")
    created_at = Timestamptz(default=TimestamptzNow())


class Office(Table):
    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict)
    name = Varchar(length=255)
    kind = Varchar(length=32)  # front_office | remote_workplace | back_office
    settlement = Varchar(length=128, default="")
    address = Text(default="")
    schedule = Text(default="")
    phone = Varchar(length=32, default="")


class Household(Table):
    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True)
    settlement = Varchar(length=128, default="")
    address = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Citizen(Table):
    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True)
    last_name = Varchar(length=128, index=True)
    first_name = Varchar(length=128)
    patronymic = Varchar(length=128, default="")
    #: Lower-cased full name for case-insensitive search on both engines.
    search_name = Varchar(length=400, default="", index=True)
    birth_date = Date(null=True, default=None, index=True)
    tax_number = Varchar(length=10, null=True, default=None, index=True)
    gender = Varchar(length=1, default="")
    settlement = Varchar(length=128, default="")
    address = Text(default="")
    phone = Varchar(length=32, default="")
    email = Varchar(length=255, default="")
    categories = JSON(default="[]")
    disability_group = SmallInt(null=True, default=None)
    household = ForeignKey(Household, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Provider(Table):
    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True)
    name = Varchar(length=255)
    kind = Varchar(length=32)  # ngo | communal | private | individual | utility
    edrpou = Varchar(length=8, null=True, default=None)
    tax_number = Varchar(length=10, null=True, default=None)
    iban = Varchar(length=34)
    address = Text(default="")
    phone = Varchar(length=32, default="")
    email = Varchar(length=255, default="")
    verified = Boolean(default=False)
    verified_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class User(Table, tablename="hromada_user"):
    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True)
    username = Varchar(length=64, unique=True)
    password_hash = Varchar(length=255)
    full_name = Varchar(length=255, default="")
    role = Varchar(length=16)
    provider = ForeignKey(Provider, null=True, default=None, on_delete=OnDelete.restrict)
    citizen = ForeignKey(Citizen, null=True, default=None, on_delete=OnDelete.restrict)
    office = ForeignKey(Office, null=True, default=None, on_delete=OnDelete.set_null)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    #: Failed sign-ins in a row; reset by a successful one or an admin's unlock.
    failed_logins = Integer(default=0)
    #: While in the future, the account is locked: sign-in is refused without checking
    #: the password (see core.workflow.users).
    locked_until = Timestamptz(null=True, default=None)


class SessionToken(Table):
    id = Serial(primary_key=True)
    token_hash = Varchar(length=64, unique=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    expires_at = Timestamptz()
    created_at = Timestamptz(default=TimestamptzNow())


class NumberSeries(Table):
    """The last number issued in a municipality's series and year: the journal of
    requests (``journal``) and any plugin's register or certificates (``<plugin>.<what>``).
    Unique on (municipality, series, year), see the migration; :mod:`core.numbering`."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict)
    year = Integer()
    last_number = Integer(default=0)
    series = Varchar(length=64, default="")


class Request(Table):
    id = Serial(primary_key=True)
    # Indexed by the composite indexes that begin with it (migration 2026-12-13).
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict)
    journal_number = Varchar(length=32)
    service_code = Varchar(length=128)
    citizen = ForeignKey(Citizen, on_delete=OnDelete.restrict, index=True)
    channel = Varchar(length=16)
    office = ForeignKey(Office, null=True, default=None, on_delete=OnDelete.set_null)
    form = JSON(default="{}")
    applicant_snapshot = JSON(default="{}")
    findings = JSON(default="[]")
    parameters_used = JSON(default="[]")
    eligibility = Varchar(length=16)  # eligible | not_eligible | needs_data
    subject_key = Varchar(length=255, null=True, default=None)
    status = Varchar(length=16)
    submitted_at = Timestamptz(default=TimestamptzNow())
    received_on = Date()
    due_date = Date()
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    refusal_ground = Varchar(length=64, null=True, default=None)
    decision_comment = Text(default="")
    decision_inputs = JSON(default="{}")
    amount_kopiyky = BigInt(null=True, default=None)
    created_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)


class RequestEvent(Table):
    id = Serial(primary_key=True)
    request = ForeignKey(Request, on_delete=OnDelete.restrict, index=True)
    at = Timestamptz(default=TimestamptzNow())
    actor = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    from_status = Varchar(length=16, null=True, default=None)
    to_status = Varchar(length=16)
    comment = Text(default="")


class Document(Table):
    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True)
    request = ForeignKey(Request, null=True, default=None, on_delete=OnDelete.restrict)
    citizen = ForeignKey(Citizen, null=True, default=None, on_delete=OnDelete.restrict)
    kind = Varchar(length=64, default="")
    filename = Varchar(length=255)
    content_type = Varchar(length=128)
    size = BigInt()
    sha256 = Varchar(length=64, index=True)
    uploaded_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    uploaded_at = Timestamptz(default=TimestamptzNow())


class DocumentBlob(Table):
    """Content of attached files, stored once per SHA-256 (the same scan twice is one blob)."""

    id = Serial(primary_key=True)
    sha256 = Varchar(length=64, unique=True)
    content = Bytea()


class AuditLog(Table):
    """Append-only (triggers in the migration refuse UPDATE and DELETE)."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, null=True, default=None, on_delete=OnDelete.restrict)
    at = Timestamptz(default=TimestamptzNow())
    actor = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    actor_role = Varchar(length=16, default="")
    action = Varchar(length=64, index=True)
    subject = Varchar(length=64)
    subject_id = BigInt(null=True, default=None)
    details = JSON(default="{}")
    ip = Varchar(length=64, default="")


class AuditCitizen(Table):
    """Which citizens an audit row names (``details.citizen_ids``; for a read of the audit
    log, whose ``details.audit_ids`` lists the rows shown, the citizens those rows name),
    one row each, so the reads of one citizen's data are found by an index rather than by
    searching the JSON text. Written with the audit row
    (:func:`core.workflow.audit.record`); append-only like the log."""

    id = Serial(primary_key=True)
    audit_id = Integer()
    citizen_id = Integer()


class AccountCode(Table):
    """A one-time code for a citizen's account: ``activate`` (handed over at the front
    office on a printed slip), ``confirm`` (a self-registration's e-mail link; ``payload``
    holds what was typed, the password already hashed) or ``reset`` (a password reset
    link). Only the code's SHA-256 is stored; a code is used once and expires."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True)
    purpose = Varchar(length=16)
    code_hash = Varchar(length=64, unique=True)
    citizen = ForeignKey(Citizen, null=True, default=None, on_delete=OnDelete.cascade)
    user = ForeignKey(User, null=True, default=None, on_delete=OnDelete.cascade)
    payload = JSON(default="{}")
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class UserIdentity(Table):
    """An account's identity at another sign-in provider (the issuer of an OpenID
    Connect ID token and its subject), linked by a sign-in method's plugin."""

    id = Serial(primary_key=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    issuer = Varchar(length=255)
    subject = Varchar(length=255)
    linked_at = Timestamptz(default=TimestamptzNow())


class OutboxMessage(Table):
    """A message to send, written in the same transaction as the event it tells of, and
    delivered after the commit by :mod:`core.notify.outbox` (claimed once, retried with
    backoff, its status kept)."""

    id = Serial(primary_key=True)
    # Indexed with the request and id, as a request's messages are read (migration 2026-12-13).
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict)
    event = Varchar(length=64)
    channel = Varchar(length=16)
    recipient = Varchar(length=255)
    subject = Varchar(length=255, default="")
    body = Text(default="")
    citizen = ForeignKey(Citizen, null=True, default=None, on_delete=OnDelete.set_null)
    request = ForeignKey(Request, null=True, default=None, on_delete=OnDelete.set_null)
    #: pending → sending → sent, or back to pending with a later ``next_attempt_at``,
    #: or failed after the last attempt.
    status = Varchar(length=16, default="pending")  # indexed first in ix_outbox_due
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    last_error = Text(default="")
    sent_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class QueueBooking(Table):
    """A visit booked online: an office, a service group (its letter) and a slot. The
    visitor gets a short ``code`` to check in at the kiosk and a cancel link whose token
    is stored only as SHA-256; ``reminder_message`` is the outbox row of the reminder
    (withdrawn when the visit is cancelled). See :mod:`core.workflow.visit_queue`."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True)
    office = ForeignKey(Office, on_delete=OnDelete.restrict, index=True)
    group_letter = Varchar(length=2)
    slot_start = Timestamptz(index=True)
    name = Varchar(length=255)
    email = Varchar(length=255)
    phone = Varchar(length=32, default="")
    code = Varchar(length=8, index=True)
    token_hash = Varchar(length=64, unique=True)
    #: booked → checked_in, or cancelled.
    status = Varchar(length=16, default="booked")
    reminder_message = Integer(null=True, default=None)
    created_at = Timestamptz()
    cancelled_at = Timestamptz(null=True, default=None)
    checked_in_at = Timestamptz(null=True, default=None)


class QueueTicket(Table):
    """A ticket of an office's electronic queue: ``number`` (``A-017``) counts per office,
    group and day. waiting → called (again on a recall) → serving → done, or called →
    no_show. The seconds waited (issued → first call) and served (start → done) are
    kept for the reports."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True)
    office = ForeignKey(Office, on_delete=OnDelete.restrict, index=True)
    group_letter = Varchar(length=2)
    day = Date(index=True)
    number = Varchar(length=16)
    status = Varchar(length=16, default="waiting", index=True)
    booking = ForeignKey(QueueBooking, null=True, default=None, on_delete=OnDelete.set_null)
    #: The booked slot's start: from then on the ticket is called before walk-ins.
    slot_start = Timestamptz(null=True, default=None)
    issued_at = Timestamptz()
    called_at = Timestamptz(null=True, default=None)
    calls = Integer(default=0)
    desk = Integer(null=True, default=None)
    served_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    serving_started_at = Timestamptz(null=True, default=None)
    done_at = Timestamptz(null=True, default=None)
    wait_seconds = Integer(null=True, default=None)
    service_seconds = Integer(null=True, default=None)
    citizen = ForeignKey(Citizen, null=True, default=None, on_delete=OnDelete.set_null)
    #: The short code printed on the ticket, to rate the visit at the kiosk once served.
    rating_code = Varchar(length=8, default="")


class QueueTicketRequest(Table):
    """A request made while a ticket was being served (unique pair, see the migration)."""

    id = Serial(primary_key=True)
    ticket = ForeignKey(QueueTicket, on_delete=OnDelete.cascade, index=True)
    request = ForeignKey(Request, on_delete=OnDelete.restrict, index=True)


class ParameterValue(Table):
    """A municipality's override of a dated parameter (value as JSON)."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True)
    key = Varchar(length=128)
    valid_from = Date()
    value = JSON()
    note = Text(default="")
    set_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    set_at = Timestamptz(default=TimestamptzNow())


CORE_TABLES: tuple[type[Table], ...] = (
    Municipality,
    Office,
    Household,
    Citizen,
    Provider,
    User,
    SessionToken,
    NumberSeries,
    Request,
    RequestEvent,
    Document,
    DocumentBlob,
    AuditLog,
    AuditCitizen,
    ParameterValue,
    AccountCode,
    UserIdentity,
    OutboxMessage,
    QueueBooking,
    QueueTicket,
    QueueTicketRequest,
)
