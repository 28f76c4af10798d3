"""E-mails to the applicant when their request moves: received, decided, withdrawn, a
provider assigned. Written into the outbox inside the transaction that moves the
request, and only for a citizen whose consent is in force (:mod:`core.notify.consent`).
"""

from __future__ import annotations

from datetime import date

from core.db.tables import Request
from core.notify import outbox
from core.notify.consent import current
from core.service import Text

#: What each status tells the applicant (uk, en); ``{extra}`` adds a detail.
NEWS: dict[str, Text] = {
    "submitted": Text(
        "прийнято до розгляду. Рішення — до {due}.",
        "has been received. The decision is due by {due}.",
    ),
    "approved": Text(
        "розглянуто: рішення — надати послугу.{extra}",
        "has been decided: the service is granted.{extra}",
    ),
    "refused": Text(
        "розглянуто: рішення — відмовити. Підстава і як оскаржити — у листі-рішенні.",
        "has been decided: refused. The ground and how to appeal are in the decision letter.",
    ),
    "withdrawn": Text("відкликано.", "has been withdrawn."),
    "assigned": Text(
        "передано надавачу послуги: {extra}. Він зв'яжеться з вами.",
        "has been passed to the provider: {extra}. They will contact you.",
    ),
}


def _day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


async def request_moved(
    *, request_id: int, status: str, service_title: Text | None = None, extra: str = ""
) -> int | None:
    """Write the e-mail of ``status`` for the request's applicant into the outbox (call
    inside the transaction that moved it); the message's id, or None when the status
    tells nothing or the applicant has not agreed."""
    news = NEWS.get(status)
    if news is None:
        return None
    row = (
        await Request.select(
            Request.municipality, Request.citizen, Request.journal_number, Request.due_date
        )
        .where(Request.id == request_id)
        .first()
    )
    if row is None:
        return None
    consent = await current(int(row["citizen"]))
    if consent is None:
        return None
    number = row["journal_number"]
    link = f"{outbox.SITE}/desk/citizen/requests/{request_id}"
    due = _day(row["due_date"]) if row["due_date"] else "—"
    detail = f" {extra}" if extra and status == "approved" else extra
    what_uk = f" ({service_title.uk})" if service_title else ""
    what_en = f" ({service_title.en})" if service_title else ""
    uk = f"Ваше звернення № {number}{what_uk} " + news.uk.format(due=due, extra=detail)
    en = f"Your request No. {number}{what_en} " + news.en.format(due=due, extra=detail)
    body = (
        f"{uk}\n\nДеталі в особистому кабінеті: {link}\n\n———\n\n{en}\n\n"
        f"Details in your personal account: {link}\n\n"
        "Ви отримали цей лист, бо погодилися на повідомлення про свої звернення; "
        "відмовитися можна в кабінеті («Мої дані»). / You get this because you agreed to "
        "news of your requests; opt out in your account (My data).\n"
    )
    if consent.channel == "sms":
        # One short message in Ukrainian: an SMS is paid for by its length.
        return await outbox.enqueue(
            municipality_id=int(row["municipality"]),
            event=f"request.{status}",
            channel="sms",
            recipient=consent.address,
            subject="",
            body=f"Звернення {number} " + news.uk.format(due=due, extra=detail) + f" {link}",
            citizen_id=int(row["citizen"]),
            request_id=request_id,
        )
    return await outbox.enqueue(
        municipality_id=int(row["municipality"]),
        event=f"request.{status}",
        recipient=consent.address,
        subject=f"Звернення № {number} / Request No. {number}",
        body=body,
        citizen_id=int(row["citizen"]),
        request_id=request_id,
    )
