"""The application (заява) and the receipt (розписка) of a request as PDFs to print.

Both are built from the request as submitted: the applicant as frozen at submission, the
answers under the service's Ukrainian labels, the documents attached. Reading them reads
the request (audited by the use case).
"""

from __future__ import annotations

from typing import Any

from litestar import Response, get
from litestar.plugins.htmx import HTMXRequest

from core.api.access import roles
from core.api.deps import PathId
from core.clock import KYIV
from core.db.tables import Office as OfficeRow
from core.errors import Conflict
from core.form_fields import describe
from core.paperwork.applications import (
    Decision,
    Office,
    Papers,
    answer_lines,
    application_pdf,
    decision_pdf,
    receipt_pdf,
)
from core.service import LocalContacts
from core.web.formats import money
from core.web.layout import actor_of
from core.workflow import documents
from core.workflow import requests as request_flow

PAPERS = roles("admin", "intake", "caseworker")
#: The application and the decision letter: the citizen too, of their own request only
#: (:func:`core.workflow.requests.read` answers 404 for anyone else's).
OWN_PAPERS = roles("admin", "intake", "caseworker", "citizen")


async def _papers(request: HTMXRequest, request_id: int) -> tuple[Papers, Any]:
    actor = actor_of(request)
    if actor is None:  # the access guard lets no anonymous request reach a desk page
        raise RuntimeError("desk page reached without a user")
    platform = request.app.state.platform
    detail = await request_flow.read(platform, actor, request_id)
    service = await platform.local_service(actor.municipality_id, detail.service_code)
    muni = await platform.municipality(id=actor.municipality_id)
    office = Office()
    if detail.office_id is not None:
        row = await OfficeRow.select().where(OfficeRow.id == detail.office_id).first()
        if row is not None:
            office = Office(
                name=row["name"],
                address=row["address"],
                phone=row["phone"],
                schedule=row["schedule"],
            )
    a = detail.applicant
    name = " ".join(p for p in (a.last_name, a.first_name, a.patronymic) if p)
    docs = await documents.listing(actor, request_id)
    answers = (
        answer_lines(describe(service.form, service.labels), detail.form, "uk") if service else []
    )
    papers = Papers(
        municipality=muni.name.uk,
        office=office,
        journal_number=detail.journal_number,
        received_on=detail.received_on,
        due_date=detail.due_date,
        service=service.card.title.uk if service else detail.service_code,
        applicant=name or detail.applicant_name,
        birth_date=a.birth_date,
        tax_number=a.tax_number,
        address=", ".join(p for p in (a.settlement, a.address) if p),
        phone="",
        documents=[d.filename for d in docs],
        staff=_staff(actor, detail.channel),
        answers=answers,
        contacts=_contacts(service.card.contacts if service else None),
    )
    return papers, detail


def _contacts(contacts: LocalContacts | None) -> str:
    """The local card's contacts in one line, as the receipt prints them."""
    if contacts is None:
        return ""
    parts = [
        contacts.office.uk if contacts.office else "",
        f"тел. {contacts.phone}" if contacts.phone else "",
        contacts.email,
        contacts.web,
    ]
    return ", ".join(p for p in parts if p)


def _staff(actor: Any, channel: str) -> str:
    """Who took the application, as printed: a citizen's copy names no member of staff."""
    if actor.role == "citizen":
        return "подано онлайн" if channel == "online" else ""
    return str(actor.full_name or actor.username)


def _pdf(content: bytes, name: str) -> Response[Any]:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@get("/desk/requests/{request_id:int}/application.pdf", opt=OWN_PAPERS, include_in_schema=False)
async def application(request: HTMXRequest, request_id: PathId) -> Response[Any]:
    papers, detail = await _papers(request, request_id)
    return _pdf(application_pdf(papers), f"zaiava-{detail.journal_number}.pdf")


@get("/desk/requests/{request_id:int}/receipt.pdf", opt=PAPERS, include_in_schema=False)
async def receipt(request: HTMXRequest, request_id: PathId) -> Response[Any]:
    papers, detail = await _papers(request, request_id)
    return _pdf(receipt_pdf(papers), f"rozpyska-{detail.journal_number}.pdf")


@get("/desk/requests/{request_id:int}/decision.pdf", opt=OWN_PAPERS, include_in_schema=False)
async def decision(request: HTMXRequest, request_id: PathId) -> Response[Any]:
    """The decision letter of a decided request (409 while it is undecided)."""
    papers, detail = await _papers(request, request_id)
    if detail.decided_at is None:
        raise Conflict("рішення ще не прийнято / the request is not decided yet", "status")
    decider = next(
        (e.actor for e in reversed(detail.history) if e.to_status in ("approved", "refused")),
        None,
    )
    letter = Decision(
        approved=detail.status != "refused",
        decided_on=detail.decided_at.astimezone(KYIV).date(),
        decided_by=decider or "",
        ground=detail.refusal_text.uk if detail.refusal_text else "",
        appeal=detail.appeal.uk if detail.appeal else "",
        comment=detail.decision_comment,
        amount=money(detail.amount, "uk") if detail.amount is not None else "",
    )
    return _pdf(decision_pdf(papers, letter), f"rishennia-{detail.journal_number}.pdf")


HANDLERS = [application, receipt, decision]
