"""Asking the applicant for the documents a submitted request lacks.

Before the decision, a caseworker names the documents of the service's card that are
missing (and, in a comment, anything else): the request stays submitted, its history
gets the entry, and the applicant who agreed to news is told which documents to bring,
in the same transaction (:func:`core.notify.request_news.request_moved`)."""

from __future__ import annotations

from core.actor import Actor
from core.db.engine import write_transaction
from core.db.tables import Request, RequestEvent
from core.errors import Conflict, Invalid, NotFound
from core.events import Event
from core.notify import request_news
from core.platform import Platform
from core.workflow import audit

#: The request's status while documents may be asked for (and the one it keeps).
OPEN = "submitted"


async def ask(
    platform: Platform, actor: Actor, request_id: int, documents: list[str], comment: str
) -> str:
    """Record that ``documents`` (names from the card) are missing, with ``comment``, and
    tell the applicant; returns the text written in the history."""
    row = (
        await Request.select(Request.id, Request.status, Request.service_code)
        .where((Request.id == request_id) & (Request.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound(f"звернення {request_id} не знайдено / request not found", "request_id")
    if row["status"] != OPEN:
        raise Conflict(
            "документи запитують лише до рішення / documents are asked for before the decision",
            "request_id",
        )
    # The municipality's local card: its own extra documents may be missing too.
    service = await platform.local_service(actor.municipality_id, row["service_code"])
    known = [d.name.uk for d in service.card.documents] if service is not None else []
    unknown = [d for d in documents if d not in known]
    if unknown:
        raise Invalid(f"такого документа немає в картці / not on the card: {unknown}", "documents")
    comment = comment.strip()
    if not documents and not comment:
        raise Invalid(
            "позначте документи, яких бракує, або опишіть їх / tick the documents missing "
            "or describe them",
            "documents",
        )
    listed = "; ".join([*documents, *([comment] if comment else [])])
    text = f"Бракує документів / Documents missing: {listed}"
    async with write_transaction():
        await RequestEvent(
            request=request_id, actor=actor.id, from_status=OPEN, to_status=OPEN, comment=text
        ).save()
        await audit.record(
            actor,
            "request.documents_missing",
            "request",
            request_id,
            {"documents": documents, "comment": comment},
        )
        await request_news.request_moved(
            request_id=request_id,
            status="documents_missing",
            service_title=service.card.title if service is not None else None,
            documents=listed,
        )
    await platform.emit(  # after the commit: plugins hear of it, the message goes out
        Event(
            kind="request.documents_missing",
            municipality_id=actor.municipality_id,
            subject="request",
            subject_id=request_id,
            data={"service": row["service_code"], "documents": documents},
        )
    )
    return text
