"""Piccolo tables of messages to people (part of the core app): who agreed to be told,
and how. The outbox itself is :class:`core.db.tables.OutboxMessage`."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from core.db.tables import Citizen, Municipality, User


class NotifyConsent(Table):
    """A citizen's consent to be told of their requests, by which channel and where.
    One row per citizen; withdrawing keeps the row with ``withdrawn_at`` (what was agreed
    and when stays on record)."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True)
    citizen = ForeignKey(Citizen, on_delete=OnDelete.cascade, unique=True)
    channel = Varchar(length=16, default="email")
    address = Varchar(length=255, default="")
    #: ``cabinet`` (the person in their cabinet) or ``front_office`` (staff, on paper).
    source = Varchar(length=16, default="cabinet")
    given_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    given_at = Timestamptz()
    withdrawn_at = Timestamptz(null=True, default=None)


class MessageTemplate(Table):
    """A municipality's wording of one kind of message (``event``), in Jinja with the
    kind's variables. Every save is a new row (the newest is in force; the older ones are
    its history); without a row the kind's default wording applies."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True)
    event = Varchar(length=64)
    subject_uk = Varchar(length=255, default="")
    subject_en = Varchar(length=255, default="")
    body_uk = Text(default="")
    body_en = Text(default="")
    sms_uk = Varchar(length=400, default="")
    set_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    set_at = Timestamptz()


class NotifyOnce(Table):
    """A message that goes once only (a trip's reminder, a loan's notice of its due date),
    by its key: written in the same transaction as the message, and unique, so a job run
    twice, or two runs at once, write the message once (:func:`core.notify.news.notify_citizen`
    with ``once``)."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=OnDelete.restrict, index=True)
    key = Varchar(length=160, unique=True)
    #: The outbox row written with it.
    message = Integer(null=True, default=None)
    created_at = Timestamptz()


NOTIFY_TABLES: tuple[type[Table], ...] = (NotifyConsent, MessageTemplate, NotifyOnce)
