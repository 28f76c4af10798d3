"""Piccolo tables of satisfaction and quality (part of the core app): the municipality's
survey questions, invitations to a survey and their answers, complaints and appeals, and
deliveries refused by the checks. See :mod:`core.workflow.quality` and ``docs/quality.md``.
"""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
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
from piccolo.table import Table

from core.db.market import Assignment, Contract
from core.db.tables import Citizen, Municipality, Office, Provider, QueueTicket, Request, User

R = OnDelete.restrict


class SurveyQuestion(Table):
    """A question the municipality asks, rated 1–5: of a decision (``kind`` ``decision``)
    or of a delivered service (``delivery``). A retired question keeps its answers."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    kind = Varchar(length=16)  # decision | delivery
    position = Integer(default=0)
    text_uk = Varchar(length=255)
    text_en = Varchar(length=255)
    active = Boolean(default=True)


class SurveyInvitation(Table):
    """An invitation to one survey: after a decision (``request``), at the end of an
    assignment (``assignment``, with its ``provider``), or after a visit to an office
    (``ticket``, answered at its kiosk). The link's token is stored only as SHA-256. An
    anonymous answer clears ``citizen``, ``request``, ``assignment`` and ``ticket`` here:
    only what is reported (service, office, provider) stays."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    kind = Varchar(length=16)  # decision | delivery | visit
    citizen = ForeignKey(Citizen, null=True, default=None, on_delete=OnDelete.set_null)
    request = ForeignKey(Request, null=True, default=None, on_delete=OnDelete.set_null)
    assignment = ForeignKey(Assignment, null=True, default=None, on_delete=OnDelete.set_null)
    service_code = Varchar(length=128)
    office = ForeignKey(Office, null=True, default=None, on_delete=OnDelete.set_null)
    provider = ForeignKey(Provider, null=True, default=None, on_delete=R)
    #: The queue ticket of a visit (``kind`` ``visit``), answered at the office's kiosk
    #: with the code printed on it; one invitation per ticket (a unique index).
    ticket = ForeignKey(QueueTicket, null=True, default=None, on_delete=OnDelete.set_null)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    answered_at = Timestamptz(null=True, default=None)


class SurveyAnswer(Table):
    """The one answer to an invitation (``invitation`` is unique: a second answer is
    refused by the database). ``citizen`` is empty when the person answered anonymously."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    invitation = ForeignKey(SurveyInvitation, on_delete=R, unique=True)
    kind = Varchar(length=16)
    citizen = ForeignKey(Citizen, null=True, default=None, on_delete=OnDelete.set_null)
    anonymous = Boolean(default=False)
    #: ``cabinet``, ``link`` (from the e-mail) or ``kiosk``.
    channel = Varchar(length=16)
    service_code = Varchar(length=128, index=True)
    office = ForeignKey(Office, null=True, default=None, on_delete=OnDelete.set_null)
    provider = ForeignKey(Provider, null=True, default=None, on_delete=R)
    comment = Text(default="")
    answered_at = Timestamptz()


class SurveyRating(Table):
    """One question's 1–5 rating in an answer."""

    id = Serial(primary_key=True)
    answer = ForeignKey(SurveyAnswer, on_delete=OnDelete.cascade, index=True)
    question = ForeignKey(SurveyQuestion, on_delete=R)
    rating = SmallInt()


class Complaint(Table):
    """A complaint or an appeal (скарга, оскарження) against a decision (``request``) or a
    provider: filed by the citizen in the cabinet or recorded by staff from paper. It is
    due within ``due_on`` (``core.complaint_term_days`` after receipt) and ends with an
    outcome: ``upheld``, ``partly``, ``rejected`` or ``withdrawn``."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    about = Varchar(length=16)  # decision | provider
    request = ForeignKey(Request, null=True, default=None, on_delete=R)
    provider = ForeignKey(Provider, null=True, default=None, on_delete=R)
    citizen = ForeignKey(Citizen, null=True, default=None, on_delete=R)
    author = Varchar(length=255, default="")
    text = Text()
    channel = Varchar(length=16)  # cabinet | paper
    received_on = Date()
    due_on = Date(index=True)
    status = Varchar(length=16, default="open", index=True)  # open | closed
    outcome = Varchar(length=16, default="")
    outcome_text = Text(default="")
    recorded_by = ForeignKey(User, null=True, default=None, on_delete=R)
    created_at = Timestamptz()
    closed_at = Timestamptz(null=True, default=None)
    closed_by = ForeignKey(User, null=True, default=None, on_delete=R)


class DeliveryRefusal(Table):
    """A delivery the checks refused (its date or the service's own rules): kept for the
    provider's quality, though the delivery itself was never recorded."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, index=True)
    provider = ForeignKey(Provider, on_delete=R, index=True)
    contract = ForeignKey(Contract, on_delete=R)
    request = ForeignKey(Request, on_delete=R)
    rules = Text(default="")
    refused_at = Timestamptz()


QUALITY_TABLES: tuple[type[Table], ...] = (
    SurveyQuestion,
    SurveyInvitation,
    SurveyAnswer,
    SurveyRating,
    Complaint,
    DeliveryRefusal,
)
