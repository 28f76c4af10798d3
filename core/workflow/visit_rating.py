"""Rating a visit at the office's kiosk: the queue ticket carries a short code printed on
it; when the ticket is served (``done``) a survey invitation of kind ``visit`` is written
for it in the same transaction (:func:`invite_after_visit`); at the kiosk the visitor
types the code and answers it — 1–5 and a comment, always anonymous, once per ticket
(the survey's own rule: the invitation is claimed by one UPDATE and its answer is
unique). The answer counts in the quality report under the ticket's office.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from core import clock
from core.db.quality import SurveyInvitation
from core.db.tables import QueueTicket, QueueTicketRequest
from core.errors import Conflict, NotFound
from core.workflow import quality
from core.workflow.quality import hash_token

#: Letters and digits that cannot be mistaken for one another on paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
#: How long after the visit it may be rated.
RATE_DAYS = 7


def new_code() -> str:
    """A code to print on a new ticket (random; a repeat in the same office is harmless
    for any ticket not served, and a served one is found by office and code)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def clean(code: str) -> str:
    """What the visitor typed, as the code is stored (upper case, no spaces or dashes)."""
    return "".join(ch for ch in code.upper() if ch.isalnum())[:LENGTH]


async def invite_after_visit(ticket_id: int) -> int | None:
    """The invitation to rate the visit of a ticket just served (call inside the
    transaction that marks it done). The service is that of the first request made
    during the visit, or none. No e-mail: it is answered at the kiosk."""
    ticket = (
        await QueueTicket.select(QueueTicket.municipality, QueueTicket.office)
        .where(QueueTicket.id == ticket_id)
        .first()
    )
    if ticket is None:
        return None
    made = (
        await QueueTicketRequest.select(QueueTicketRequest.request.service_code)
        .where(QueueTicketRequest.ticket == ticket_id)
        .order_by(QueueTicketRequest.id)
        .first()
    )
    now = clock.now()
    row = SurveyInvitation(
        municipality=ticket["municipality"],
        kind="visit",
        ticket=ticket_id,
        service_code=(made or {}).get("request.service_code") or "",
        office=ticket["office"],
        # Never sent: the visit is rated by the code on the ticket, not by a link.
        token_hash=hash_token(secrets.token_urlsafe(24)),
        created_at=now,
        expires_at=now + timedelta(days=RATE_DAYS),
    )
    await row.save()
    return int(row.id)


async def invitation_of(office_id: int, code: str) -> quality.Invitation:
    """The open invitation of the ticket of ``office_id`` with ``code``: NotFound for an
    unknown code, Conflict when the visit is not over yet or was already rated."""
    wanted = clean(code)
    if len(wanted) != LENGTH:
        raise NotFound("код не знайдено / code not found", "code")
    ticket = (
        await QueueTicket.select(QueueTicket.id, QueueTicket.status)
        .where(
            (QueueTicket.office == office_id)
            & (QueueTicket.rating_code == wanted)
            & (QueueTicket.day >= clock.today() - timedelta(days=RATE_DAYS))
        )
        .order_by(QueueTicket.id, ascending=False)
        .first()
    )
    if ticket is None:
        raise NotFound("код не знайдено / code not found", "code")
    row = await SurveyInvitation.select().where(SurveyInvitation.ticket == ticket["id"]).first()
    if row is None:
        if ticket["status"] != "done":
            raise Conflict(
                "візит ще не завершено: оцініть його після обслуговування / the visit is not "
                "over yet: rate it once you have been served",
                "code",
            )
        raise Conflict("цей візит уже оцінено / this visit was already rated", "code")
    invitation = quality._invitation(row)
    if invitation.state == "used":
        raise Conflict("цей візит уже оцінено / this visit was already rated", "code")
    if invitation.state == "expired":
        raise Conflict("строк оцінки минув / the time to rate has passed", "code")
    return invitation


async def rate(office_id: int, code: str, ratings: dict[int, int], comment: str) -> int:
    """Answer the visit's invitation, anonymously, from the kiosk."""
    invitation = await invitation_of(office_id, code)
    return await quality.answer(
        invitation, ratings, comment=comment, anonymous=True, channel="kiosk"
    )
