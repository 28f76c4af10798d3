"""Satisfaction and quality: surveys after a decision and after a service is delivered,
complaints and appeals, and the reports on them.

- An **invitation** is written inside the transaction that decides a request
  (:func:`invite_after_decision`) or closes it with its assignments (one per assignment,
  :func:`invite_after_close`); an e-mail with the survey's link goes through the outbox
  only when the citizen's consent is in force. The link's token is stored as SHA-256.
- An **answer** claims its invitation with one UPDATE (unused and unexpired only) and the
  answer's ``invitation`` column is unique: one answer per invitation, whatever races.
  An anonymous answer keeps no citizen and clears the invitation's links to the person.
- A **complaint** (скарга, оскарження) against a decision or a provider is due within
  ``core.complaint_term_days`` (30: the Law of Ukraine "On citizens' appeals", art. 20)
  and ends with an outcome.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import msgspec

from core import clock
from core.actor import Actor
from core.db.engine import write_transaction
from core.db.market import Assignment, Delivery, Invoice
from core.db.quality import (
    Complaint,
    DeliveryRefusal,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyRating,
)
from core.db.tables import Office, Provider, Request
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.notify import outbox
from core.notify.consent import current
from core.platform import core_parameters
from core.service import Text
from core.workflow import audit

KINDS = ("decision", "delivery", "visit")
#: How long an invitation may be answered.
SURVEY_DAYS = 30
#: The term of a complaint (a dated parameter; 30 days by the law on citizens' appeals).
COMPLAINT_TERM = "core.complaint_term_days"
#: A delivery is "on time" when it is recorded at most this many days after the day it
#: was delivered.
ON_TIME_DAYS = 5
OUTCOMES = ("upheld", "partly", "rejected", "withdrawn")
CHANNELS = ("cabinet", "link", "kiosk")

#: The questions a municipality starts with (its admin changes them).
DEFAULT_QUESTIONS: dict[str, tuple[Text, ...]] = {
    "decision": (
        Text(
            "Наскільки зрозуміло вам пояснили рішення?", "How clearly was the decision explained?"
        ),
        Text("Наскільки швидко?", "How fast?"),
        Text("Наскільки ввічливо?", "How courteous?"),
    ),
    "delivery": (
        Text("Якість послуги", "Quality of the service"),
        Text("Чи вчасно?", "On time?"),
    ),
    "visit": (Text("Як вас обслужили в офісі?", "How were you served at the office?"),),
}


class Question(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    position: int
    text: Text
    active: bool


class Invitation(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    municipality_id: int
    kind: str
    citizen_id: int | None
    request_id: int | None
    service_code: str
    provider_id: int | None
    created_at: datetime
    expires_at: datetime
    answered_at: datetime | None

    @property
    def state(self) -> str:
        """``open``, ``used`` or ``expired``."""
        if self.answered_at is not None:
            return "used"
        return "expired" if self.expires_at <= clock.now() else "open"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- questions -------------------------------------------------------------------------


async def questions(municipality_id: int, kind: str, *, retired: bool = False) -> list[Question]:
    """The municipality's questions of ``kind`` in order (the defaults are written on
    first use)."""
    if kind not in KINDS:
        raise Invalid(f"kind {kind!r}", "kind")
    where: Any = (SurveyQuestion.municipality == municipality_id) & (SurveyQuestion.kind == kind)
    if not await SurveyQuestion.exists().where(where):
        for n, text in enumerate(DEFAULT_QUESTIONS[kind], start=1):
            await SurveyQuestion(
                municipality=municipality_id,
                kind=kind,
                position=n,
                text_uk=text.uk,
                text_en=text.en,
            ).save()
    if not retired:
        where = where & (SurveyQuestion.active == True)  # noqa: E712
    rows = await SurveyQuestion.select().where(where).order_by(SurveyQuestion.position)
    return [
        Question(
            id=r["id"],
            kind=r["kind"],
            position=r["position"],
            text=Text(r["text_uk"], r["text_en"]),
            active=r["active"],
        )
        for r in rows
    ]


def _admin(actor: Actor) -> None:
    if actor.role != "admin":
        raise Forbidden("лише адміністратор / admin only", "role")


async def add_question(actor: Actor, kind: str, text: Text) -> int:
    _admin(actor)
    if not text.uk.strip() or not text.en.strip():
        raise Invalid("потрібен текст українською та англійською / text in both languages", "text")
    existing = await questions(actor.municipality_id, kind, retired=True)
    row = SurveyQuestion(
        municipality=actor.municipality_id,
        kind=kind,
        position=max((q.position for q in existing), default=0) + 1,
        text_uk=text.uk.strip()[:255],
        text_en=text.en.strip()[:255],
    )
    await row.save()
    await audit.record(actor, "survey.question_add", "survey_question", int(row.id), {"kind": kind})
    return int(row.id)


async def retire_question(actor: Actor, question_id: int) -> None:
    _admin(actor)
    done = (
        await SurveyQuestion.update({SurveyQuestion.active: False})
        .where(
            (SurveyQuestion.id == question_id)
            & (SurveyQuestion.municipality == actor.municipality_id)
        )
        .returning(SurveyQuestion.id)
    )
    if not done:
        raise NotFound("питання не знайдено / question not found", "question_id")
    await audit.record(actor, "survey.question_retire", "survey_question", question_id, {})


# --- invitations -----------------------------------------------------------------------


async def _invite(
    *,
    municipality_id: int,
    kind: str,
    citizen_id: int,
    request_id: int,
    journal_number: str,
    service_code: str,
    office_id: int | None,
    assignment_id: int | None = None,
    provider_id: int | None = None,
    what: Text | None = None,
) -> tuple[int, str]:
    token = secrets.token_urlsafe(24)
    now = clock.now()
    row = SurveyInvitation(
        municipality=municipality_id,
        kind=kind,
        citizen=citizen_id,
        request=request_id,
        assignment=assignment_id,
        service_code=service_code,
        office=office_id,
        provider=provider_id,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + timedelta(days=SURVEY_DAYS),
    )
    await row.save()
    consent = await current(citizen_id)
    if consent is not None:
        link = f"{outbox.SITE}/survey/{token}"
        about_uk = f" ({what.uk})" if what else ""
        about_en = f" ({what.en})" if what else ""
        if kind == "decision":
            uk = f"Рішення за вашим зверненням № {journal_number}{about_uk} ухвалено."
            en = f"Your request No. {journal_number}{about_en} has been decided."
        else:
            uk = f"Послугу за вашим зверненням № {journal_number}{about_uk} надано."
            en = f"The service of your request No. {journal_number}{about_en} has been delivered."
        body = (
            f"{uk}\nОцініть, будь ласка, як усе пройшло — це 1 хвилина, можна анонімно: "
            f"{link}\n\n———\n\n{en}\nPlease rate how it went — one minute, anonymously if "
            f"you wish: {link}\n\nПосилання діє {SURVEY_DAYS} днів. / The link works for "
            f"{SURVEY_DAYS} days.\n"
        )
        sms = consent.channel == "sms"
        await outbox.enqueue(
            municipality_id=municipality_id,
            event=f"survey.{kind}",
            channel=consent.channel,
            recipient=consent.address,
            subject="" if sms else f"Оцініть послугу / Rate the service ({journal_number})",
            # An SMS is paid for by its length: one Ukrainian line with the link.
            body=f"{uk} Оцініть, будь ласка: {link}" if sms else body,
            citizen_id=citizen_id,
            request_id=request_id,
        )
    return int(row.id), token


async def invite_after_decision(request_id: int, what: Text | None = None) -> int | None:
    """The invitation to rate a decision (call inside the deciding transaction)."""
    row = (
        await Request.select(
            Request.municipality,
            Request.citizen,
            Request.journal_number,
            Request.service_code,
            Request.office,
        )
        .where(Request.id == request_id)
        .first()
    )
    if row is None:
        return None
    made, _ = await _invite(
        municipality_id=row["municipality"],
        kind="decision",
        citizen_id=row["citizen"],
        request_id=request_id,
        journal_number=row["journal_number"],
        service_code=row["service_code"],
        office_id=row["office"],
        what=what,
    )
    return made


async def invite_after_close(request_id: int, assignment_ids: list[int]) -> list[int]:
    """One invitation per assignment ended with the request (inside that transaction)."""
    if not assignment_ids:
        return []
    rows = await Assignment.select(
        Assignment.id,
        Assignment.municipality,
        Assignment.contract.provider,
        Assignment.request.citizen,
        Assignment.request.journal_number,
        Assignment.request.service_code,
        Assignment.request.office,
    ).where(Assignment.id.is_in(assignment_ids) & (Assignment.request == request_id))
    made = []
    for r in rows:
        invitation, _ = await _invite(
            municipality_id=r["municipality"],
            kind="delivery",
            citizen_id=r["request.citizen"],
            request_id=request_id,
            journal_number=r["request.journal_number"],
            service_code=r["request.service_code"],
            office_id=r["request.office"],
            assignment_id=r["id"],
            provider_id=r["contract.provider"],
        )
        made.append(invitation)
    return made


def _invitation(row: dict[str, Any]) -> Invitation:
    return Invitation(
        id=row["id"],
        municipality_id=row["municipality"],
        kind=row["kind"],
        citizen_id=row["citizen"],
        request_id=row["request"],
        service_code=row["service_code"],
        provider_id=row["provider"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        answered_at=row["answered_at"],
    )


async def by_token(token: str) -> Invitation | None:
    if not token or len(token) > 128:
        return None
    row = (
        await SurveyInvitation.select()
        .where(SurveyInvitation.token_hash == hash_token(token))
        .first()
    )
    return None if row is None else _invitation(row)


async def of_citizen(actor: Actor, invitation_id: int) -> Invitation:
    """The signed-in citizen's own invitation (another's is not found)."""
    row = (
        await SurveyInvitation.select()
        .where(
            (SurveyInvitation.id == invitation_id)
            & (SurveyInvitation.citizen == actor.citizen_id)
            & (SurveyInvitation.municipality == actor.municipality_id)
        )
        .first()
    )
    if row is None or actor.citizen_id is None:
        raise NotFound("запрошення не знайдено / invitation not found", "invitation_id")
    return _invitation(row)


class OpenInvitation(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    journal_number: str
    service_code: str
    provider: str
    expires_on: date


async def open_for(actor: Actor) -> list[OpenInvitation]:
    """The citizen's invitations still to answer, newest first."""
    if actor.citizen_id is None:
        return []
    rows = await (
        SurveyInvitation.select(
            SurveyInvitation.id,
            SurveyInvitation.kind,
            SurveyInvitation.service_code,
            SurveyInvitation.expires_at,
            SurveyInvitation.request.journal_number,
            SurveyInvitation.provider.name,
        )
        .where(
            (SurveyInvitation.citizen == actor.citizen_id)
            & (SurveyInvitation.municipality == actor.municipality_id)
            & SurveyInvitation.answered_at.is_null()
            & (SurveyInvitation.expires_at > clock.now())
        )
        .order_by(SurveyInvitation.id, ascending=False)
    )
    return [
        OpenInvitation(
            id=r["id"],
            kind=r["kind"],
            journal_number=r["request.journal_number"] or "",
            service_code=r["service_code"],
            provider=r["provider.name"] or "",
            expires_on=r["expires_at"].astimezone(clock.KYIV).date(),
        )
        for r in rows
    ]


async def answer(
    invitation: Invitation,
    ratings: dict[int, int],
    *,
    comment: str,
    anonymous: bool,
    channel: str,
) -> int:
    """Record the one answer to ``invitation``: a 1–5 rating of each of its questions and a
    comment. A used or expired invitation is a Conflict."""
    if channel not in CHANNELS:
        raise Invalid(f"channel {channel!r}", "channel")
    asked = await questions(invitation.municipality_id, invitation.kind)
    missing = [q for q in asked if q.id not in ratings]
    if missing:
        raise Invalid("оцініть кожне питання / rate every question", f"q{missing[0].id}")
    if any(not 1 <= ratings[q.id] <= 5 for q in asked):
        raise Invalid("оцінка від 1 до 5 / a rating from 1 to 5", "rating")
    now = clock.now()
    async with write_transaction():
        claimed = (
            await SurveyInvitation.update({SurveyInvitation.answered_at: now})
            .where(
                (SurveyInvitation.id == invitation.id)
                & SurveyInvitation.answered_at.is_null()
                & (SurveyInvitation.expires_at > now)
            )
            .returning(SurveyInvitation.office)
        )
        if not claimed:
            raise Conflict(
                "на це запрошення вже відповіли або його строк минув / this invitation was "
                "already answered or has expired",
                "invitation",
            )
        row = SurveyAnswer(
            municipality=invitation.municipality_id,
            invitation=invitation.id,
            kind=invitation.kind,
            citizen=None if anonymous else invitation.citizen_id,
            anonymous=anonymous,
            channel=channel,
            service_code=invitation.service_code,
            office=claimed[0]["office"],
            provider=invitation.provider_id,
            comment=comment.strip()[:2000],
            answered_at=now,
        )
        await row.save()
        for q in asked:
            await SurveyRating(answer=row.id, question=q.id, rating=ratings[q.id]).save()
        if anonymous:
            await SurveyInvitation.update(
                {
                    SurveyInvitation.citizen: None,
                    SurveyInvitation.request: None,
                    SurveyInvitation.assignment: None,
                    SurveyInvitation.ticket: None,
                }
            ).where(SurveyInvitation.id == invitation.id)
    return int(row.id)


# --- the satisfaction report -----------------------------------------------------------


class Satisfaction(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    name: str
    answers: int
    ratings: int
    average: Decimal | None


def _avg(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_GROUP = {
    "service": "a.service_code",
    "office": "a.office",
    "provider": "a.provider",
    "question": "r.question",
}


async def satisfaction(
    municipality_id: int, by: str, *, kind: str | None = None
) -> list[tuple[str, int, int, Decimal | None]]:
    """(key, answers, ratings, average rating) per service, office, provider or question,
    counted and averaged by the database; the key "" gathers answers without one (a
    request made online has no office)."""
    column = _GROUP[by]
    extra = " AND a.kind = {}" if kind else ""
    args: list[Any] = [municipality_id, *([kind] if kind else [])]
    rows = await SurveyAnswer.raw(
        f"SELECT {column} AS k, COUNT(DISTINCT a.id) AS answers, COUNT(r.id) AS ratings, "
        "AVG(r.rating * 1.0) AS average FROM survey_answer a "
        "JOIN survey_rating r ON r.answer = a.id "
        f"WHERE a.municipality = {{}}{extra} GROUP BY {column} ORDER BY {column}",
        *args,
    )
    return [
        ("" if r["k"] is None else str(r["k"]), r["answers"], r["ratings"], _avg(r["average"]))
        for r in rows
    ]


async def comments(municipality_id: int, limit: int = 20) -> list[dict[str, Any]]:
    """The latest answers' comments (never who wrote them)."""
    rows = await (
        SurveyAnswer.select(
            SurveyAnswer.answered_at, SurveyAnswer.service_code, SurveyAnswer.comment
        )
        .where((SurveyAnswer.municipality == municipality_id) & (SurveyAnswer.comment != ""))
        .order_by(SurveyAnswer.id, ascending=False)
        .limit(limit)
    )
    return list(rows)


async def names(municipality_id: int) -> tuple[dict[str, str], dict[str, str], dict[str, Text]]:
    """Offices' and providers' names, and questions' texts, by id (as text)."""
    offices = await Office.select(Office.id, Office.name).where(
        Office.municipality == municipality_id
    )
    providers = await Provider.select(Provider.id, Provider.name).where(
        Provider.municipality == municipality_id
    )
    asked = await SurveyQuestion.select().where(SurveyQuestion.municipality == municipality_id)
    return (
        {str(o["id"]): o["name"] for o in offices},
        {str(p["id"]): p["name"] for p in providers},
        {str(q["id"]): Text(q["text_uk"], q["text_en"]) for q in asked},
    )


# --- complaints ------------------------------------------------------------------------


class ComplaintOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    about: str
    request_id: int | None
    journal_number: str
    provider_id: int | None
    provider: str
    author: str
    text: str
    channel: str
    received_on: date
    due_on: date
    status: str
    outcome: str
    outcome_text: str
    overdue: bool


async def term_of(municipality_id: int, received_on: date) -> date:
    """The day a complaint received on ``received_on`` is due."""
    days = int((await core_parameters(municipality_id)).at(COMPLAINT_TERM, received_on))
    return received_on + timedelta(days=days)


async def file(
    actor: Actor,
    *,
    about: str,
    text: str,
    request_id: int | None = None,
    provider_id: int | None = None,
    received_on: date | None = None,
    author: str = "",
) -> int:
    """A complaint: a citizen's own from the cabinet (about their request's decision or
    a provider that served them), or one staff record from paper."""
    text = text.strip()
    if not 10 <= len(text) <= 5000:
        raise Invalid(
            "опишіть суть скарги (від 10 символів) / describe it (10+ characters)", "text"
        )
    if about not in ("decision", "provider"):
        raise Invalid("про рішення або про надавача / about a decision or a provider", "about")
    citizen_id: int | None = None
    if actor.role == "citizen":
        citizen_id = actor.citizen_id
        channel, received_on = "cabinet", clock.today()
    elif actor.role in ("admin", "intake", "caseworker"):
        channel = "paper"
        received_on = received_on or clock.today()
        if received_on > clock.today():
            raise Invalid("дата в майбутньому / a date in the future", "received_on")
    else:
        raise Forbidden("скаргу подає заявник або приймає працівник / not for this role", "role")
    if about == "decision":
        if request_id is None:
            raise Invalid("оберіть звернення / choose the request", "about")
        req = (
            await Request.select(Request.citizen, Request.decided_at)
            .where((Request.id == request_id) & (Request.municipality == actor.municipality_id))
            .first()
        )
        if req is None or (citizen_id is not None and req["citizen"] != citizen_id):
            raise NotFound("звернення не знайдено / request not found", "about")
        citizen_id = citizen_id or req["citizen"]
        provider_id = None
    else:
        if provider_id is None:
            raise Invalid("оберіть надавача / choose the provider", "about")
        if citizen_id is not None and provider_id not in {p for p, _ in await providers_of(actor)}:
            raise NotFound("надавача не знайдено / provider not found", "about")
        if not await Provider.exists().where(
            (Provider.id == provider_id) & (Provider.municipality == actor.municipality_id)
        ):
            raise NotFound("надавача не знайдено / provider not found", "about")
        request_id = None
    row = Complaint(
        municipality=actor.municipality_id,
        about=about,
        request=request_id,
        provider=provider_id,
        citizen=citizen_id,
        author=author.strip()[:255],
        text=text,
        channel=channel,
        received_on=received_on,
        due_on=await term_of(actor.municipality_id, received_on),
        recorded_by=actor.id,
        created_at=clock.now(),
    )
    await row.save()
    await audit.record(
        actor,
        "complaint.file",
        "complaint",
        int(row.id),
        {"about": about, "channel": channel, "citizen_ids": [citizen_id] if citizen_id else []},
    )
    return int(row.id)


async def providers_of(actor: Actor) -> list[tuple[int, str]]:
    """The providers that served the citizen (by their requests' assignments)."""
    rows = await Assignment.select(
        Assignment.contract.provider, Assignment.contract._.provider._.name
    ).where(
        (Assignment.request.citizen == actor.citizen_id)
        & (Assignment.municipality == actor.municipality_id)
    )
    seen: dict[int, str] = {}
    for r in rows:
        seen[r["contract.provider"]] = r["contract.provider.name"]
    return sorted(seen.items(), key=lambda p: p[1])


async def close_complaint(actor: Actor, complaint_id: int, outcome: str, text: str) -> None:
    _admin(actor)
    if outcome not in OUTCOMES:
        raise Invalid("оберіть результат / choose the outcome", "outcome")
    done = (
        await Complaint.update(
            {
                Complaint.status: "closed",
                Complaint.outcome: outcome,
                Complaint.outcome_text: text.strip()[:5000],
                Complaint.closed_at: clock.now(),
                Complaint.closed_by: actor.id,
            }
        )
        .where(
            (Complaint.id == complaint_id)
            & (Complaint.municipality == actor.municipality_id)
            & (Complaint.status == "open")
        )
        .returning(Complaint.id)
    )
    if not done:
        raise Conflict("скаргу вже розглянуто або не знайдено / already closed", "complaint")
    await audit.record(actor, "complaint.close", "complaint", complaint_id, {"outcome": outcome})


async def complaints(
    municipality_id: int, *, citizen_id: int | None = None, provider_id: int | None = None
) -> list[ComplaintOut]:
    """Complaints, the overdue first (open and past their term), then the open by term,
    then the closed, newest first."""
    where: Any = Complaint.municipality == municipality_id
    if citizen_id is not None:
        where = where & (Complaint.citizen == citizen_id)
    if provider_id is not None:
        where = where & (Complaint.provider == provider_id)
    rows = await Complaint.select(
        *Complaint.all_columns(),
        Complaint.request.journal_number,
        Complaint.provider.name,
    ).where(where)
    today = clock.today()
    out = [
        ComplaintOut(
            id=r["id"],
            about=r["about"],
            request_id=r["request"],
            journal_number=r["request.journal_number"] or "",
            provider_id=r["provider"],
            provider=r["provider.name"] or "",
            author=r["author"],
            text=r["text"],
            channel=r["channel"],
            received_on=r["received_on"],
            due_on=r["due_on"],
            status=r["status"],
            outcome=r["outcome"],
            outcome_text=r["outcome_text"],
            overdue=r["status"] == "open" and r["due_on"] < today,
        )
        for r in rows
    ]

    def order(c: ComplaintOut) -> tuple[int, int, int]:
        if c.status == "open":
            return (0 if c.overdue else 1, c.due_on.toordinal(), c.id)
        return (2, -c.received_on.toordinal(), -c.id)

    return sorted(out, key=order)


# --- providers' quality ----------------------------------------------------------------


class ProviderQuality(msgspec.Struct, frozen=True, kw_only=True):
    provider_id: int
    name: str
    answers: int
    average: Decimal | None
    complaints: int
    rejected_invoices: int
    refused_deliveries: int
    deliveries: int
    on_time: int

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.deliveries:
            return None
        return (Decimal(100) * self.on_time / self.deliveries).quantize(Decimal("0.1"))


async def note_refusal(
    municipality_id: int, provider_id: int, contract_id: int, request_id: int, rules: list[str]
) -> None:
    """Keep a delivery the checks refused (outside the refused work's transaction)."""
    await DeliveryRefusal(
        municipality=municipality_id,
        provider=provider_id,
        contract=contract_id,
        request=request_id,
        rules=", ".join(rules)[:2000],
        refused_at=clock.now(),
    ).save()


def _count_by(rows: list[dict[str, Any]], key: str) -> dict[int, int]:
    return {int(r[key]): int(r["n"]) for r in rows if r[key] is not None}


async def provider_quality(
    municipality_id: int, provider_id: int | None = None
) -> list[ProviderQuality]:
    """Each provider's ratings, complaints, rejected invoices, refused deliveries and
    on-time rate (deliveries recorded at most :data:`ON_TIME_DAYS` after the day)."""
    where: Any = Provider.municipality == municipality_id
    if provider_id is not None:
        where = where & (Provider.id == provider_id)
    providers = (
        await Provider.select(Provider.id, Provider.name).where(where).order_by(Provider.name)
    )
    rated = {
        int(k): (answers, avg)
        for k, answers, _, avg in await satisfaction(municipality_id, "provider")
        if k
    }
    complaints_n = _count_by(
        await Complaint.raw(
            "SELECT provider, COUNT(*) AS n FROM complaint WHERE municipality = {} "
            "AND provider IS NOT NULL GROUP BY provider",
            municipality_id,
        ),
        "provider",
    )
    rejected = _count_by(
        await Invoice.raw(
            "SELECT provider, COUNT(*) AS n FROM invoice WHERE municipality = {} "
            "AND status = 'rejected' GROUP BY provider",
            municipality_id,
        ),
        "provider",
    )
    refused = _count_by(
        await DeliveryRefusal.raw(
            "SELECT provider, COUNT(*) AS n FROM delivery_refusal WHERE municipality = {} "
            "GROUP BY provider",
            municipality_id,
        ),
        "provider",
    )
    recorded = await Delivery.select(
        Delivery.provider, Delivery.delivered_on, Delivery.recorded_at
    ).where((Delivery.municipality == municipality_id) & (Delivery.status == "recorded"))
    total: dict[int, int] = defaultdict(int)
    in_time: dict[int, int] = defaultdict(int)
    for d in recorded:
        total[d["provider"]] += 1
        day = d["recorded_at"].astimezone(clock.KYIV).date()
        if (day - d["delivered_on"]).days <= ON_TIME_DAYS:
            in_time[d["provider"]] += 1
    return [
        ProviderQuality(
            provider_id=p["id"],
            name=p["name"],
            answers=rated.get(p["id"], (0, None))[0],
            average=rated.get(p["id"], (0, None))[1],
            complaints=complaints_n.get(p["id"], 0),
            rejected_invoices=rejected.get(p["id"], 0),
            refused_deliveries=refused.get(p["id"], 0),
            deliveries=total.get(p["id"], 0),
            on_time=in_time.get(p["id"], 0),
        )
        for p in providers
    ]
