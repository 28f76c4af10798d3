"""News to the applicant when their request moves: received, documents missing,
decided, withdrawn, a provider assigned. Written into the outbox inside the transaction
that moves the request, only for a citizen whose consent is in force
(:mod:`core.notify.consent`), by the channel they chose, in the municipality's wording
(:mod:`core.notify.templates`), through :func:`core.notify.news.notify_citizen`.
"""

from __future__ import annotations

from typing import Any

from core.db.tables import Request
from core.notify import news, outbox, templates
from core.notify.consent import UNREAD, Consent, Unread
from core.notify.templates import MessageKind, Wording
from core.service import Text

#: The variables of a request's news, with the preview's sample values.
VARIABLES = {
    "number": "2026-000123",
    "service": "Допомога на поховання",
    "service_en": "Funeral aid",
    "due": "15.12.2026",
    "provider": "БФ «Надія»",
    "documents": "Свідоцтво про смерть; Довідка про склад сім'ї",
    "link": "https://hromada.example/desk/citizen/requests/123",
}
_WHAT_UK = "Ваше звернення № {{ number }} ({{ service }})"
_WHAT_EN = "Your request No. {{ number }} ({{ service_en }})"
_SUBJECT = Text("Звернення № {{ number }}", "Request No. {{ number }}")
_DETAILS = Text(
    "\n\nДеталі в особистому кабінеті: {{ link }}", "\n\nDetails in your account: {{ link }}"
)


def _kind(status: str, title: Text, uk: str, en: str, sms: str) -> MessageKind:
    return MessageKind(
        event=f"request.{status}",
        title=title,
        variables=VARIABLES,
        default=Wording(
            subject_uk=_SUBJECT.uk,
            subject_en=_SUBJECT.en,
            body_uk=f"{_WHAT_UK} {uk}{_DETAILS.uk}",
            body_en=f"{_WHAT_EN} {en}{_DETAILS.en}",
            sms_uk=f"Звернення {{{{ number }}}} {sms} {{{{ link }}}}",
        ),
    )


KINDS = (
    _kind(
        "submitted",
        Text("Звернення прийнято", "Request received"),
        "прийнято до розгляду. Рішення — до {{ due }}.",
        "has been received. The decision is due by {{ due }}.",
        "прийнято. Рішення до {{ due }}.",
    ),
    _kind(
        "approved",
        Text("Рішення: надати", "Decision: granted"),
        "розглянуто: рішення — надати послугу.",
        "has been decided: the service is granted.",
        "розглянуто: надати послугу.",
    ),
    _kind(
        "refused",
        Text("Рішення: відмовити", "Decision: refused"),
        "розглянуто: рішення — відмовити. Підстава і як оскаржити — у листі-рішенні.",
        "has been decided: refused. The ground and how to appeal are in the decision letter.",
        "розглянуто: відмовити. Підстава — у кабінеті.",
    ),
    _kind(
        "documents_missing",
        Text("Бракує документів", "Documents missing"),
        "потребує документів, яких бракує: {{ documents }}. Принесіть їх до центру надання "
        "адміністративних послуг або передайте через особистий кабінет.",
        "needs documents that are missing: {{ documents }}. Bring them to the service "
        "centre or hand them in through your account.",
        "бракує документів: {{ documents }}.",
    ),
    _kind(
        "withdrawn",
        Text("Звернення відкликано", "Request withdrawn"),
        "відкликано.",
        "has been withdrawn.",
        "відкликано.",
    ),
    _kind(
        "assigned",
        Text("Передано надавачу", "Passed to a provider"),
        "передано надавачу послуги: {{ provider }}. Він зв'яжеться з вами.",
        "has been passed to the provider: {{ provider }}. They will contact you.",
        "передано надавачу: {{ provider }}.",
    ),
)
for _k in KINDS:
    templates.register(_k)

#: Below every e-mail of news (kept here for those who read it from this module).
FOOTER = news.FOOTER


async def request_moved(
    *,
    request_id: int,
    status: str,
    service_title: Text | None = None,
    extra: str = "",
    documents: str = "",
    known: dict[str, Any] | None = None,
) -> int | None:
    """Write the news of ``status`` for the request's applicant into the outbox (call
    inside the transaction that moved it); the message's id, or None when the status
    tells nothing or the applicant has not agreed. ``extra`` is the provider's name,
    ``documents`` the documents missing (``documents_missing``). ``known``: the request's
    ``municipality``, ``citizen``, ``journal_number`` and ``due_date`` when the caller
    has them (it has just written them), else they are read."""
    message = await news_of(
        request_id=request_id,
        status=status,
        service_title=service_title,
        extra=extra,
        documents=documents,
        known=known,
    )
    return None if message is None else await outbox.enqueue(**message)


async def news_of(
    *,
    request_id: int,
    status: str,
    service_title: Text | None = None,
    extra: str = "",
    documents: str = "",
    known: dict[str, Any] | None = None,
    consent: Consent | Unread | None = UNREAD,
) -> dict[str, Any] | None:
    """The message :func:`request_moved` writes (the arguments of
    :func:`core.notify.outbox.enqueue`), or None: for a caller that writes it itself
    (``consent``: the applicant's consent in force, when the caller read it)."""
    event = f"request.{status}"
    if event not in {k.event for k in KINDS}:
        return None
    row = known or (
        await Request.select(
            Request.municipality, Request.citizen, Request.journal_number, Request.due_date
        )
        .where(Request.id == request_id)
        .first()
    )
    if row is None:
        return None
    return await news.citizen_message(
        municipality_id=int(row["municipality"]),
        citizen_id=int(row["citizen"]),
        event=event,
        values={
            "number": row["journal_number"],
            "service": service_title.uk if service_title else "—",
            "service_en": service_title.en if service_title else "—",
            "due": news.day(row["due_date"]),
            "provider": extra,
            "documents": documents,
            "link": f"{outbox.SITE}/desk/citizen/requests/{request_id}",
        },
        request_id=request_id,
        consent=consent,
    )
