"""The back office: the work queue, a request's page, the decision and its letter.

The queue's filters (status, service, office, overdue, page) live in the address; it is
ordered by due date, so the overdue requests lead, and they are marked. A request's
page shows the applicant as frozen at submission beside the record today, the answers
under their labels, the documents (viewed inline, downloaded under their real names),
the findings and the history; a caseworker approves, or refuses citing a ground from the
card in words, with the appeal procedure shown. Everything goes through the use cases.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Response, get, post
from litestar.params import QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core import clock
from core.actor import Actor
from core.api.access import roles
from core.api.deps import PathId
from core.clock import KYIV
from core.db import paging
from core.db.paging import CURSOR_MAX
from core.db.tables import Office
from core.errors import Conflict, DomainError, Invalid
from core.form_fields import describe
from core.paperwork.applications import answer_lines
from core.schemas import DecisionIn, RequestDetail
from core.web import forms, panels
from core.web.formats import day, money, tally
from core.web.layout import page, page_lang, signed_in
from core.web.notify_pages import deliveries_panel
from core.web.texts import REQUEST_STATUS, Lang, label, texts
from core.workflow import citizens, documents
from core.workflow import documents_missing as missing_flow
from core.workflow import requests as request_flow
from core.workflow.market import assignments, contracts
from core.workflow.market.assignments import AssignIn

QUEUE = roles("admin", "caseworker", "auditor", "intake")
DECIDE = roles("admin", "caseworker")
PAGE_SIZE = 25
STATUSES = ("submitted", "approved", "assigned", "refused", "withdrawn", "closed")


@get("/desk/requests", opt=QUEUE, include_in_schema=False)
async def work_queue(
    request: HTMXRequest,
    status: Annotated[str, QueryParameter(max_length=20)] = "submitted",
    service: Annotated[str, QueryParameter(max_length=128)] = "",
    office: Annotated[str, QueryParameter(max_length=12)] = "",
    overdue: Annotated[str, QueryParameter(max_length=5)] = "",
    page_number: Annotated[int, QueryParameter(name="page", ge=1, le=100_000)] = 1,
    after: Annotated[str, QueryParameter(max_length=CURSOR_MAX)] = "",
) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    platform = request.app.state.platform
    errors: dict[str, str] = {}
    services = await panels.service_options(platform, actor, lang)
    if status and status not in STATUSES:
        errors["status"] = t["field_choice"]
    if service and service not in {o.value for o in services}:
        errors["service"] = t["unknown_service"]
    offices = (
        await Office.select(Office.id, Office.name)
        .where(Office.municipality == actor.municipality_id)
        .order_by(Office.name)
    )
    office_id = int(office) if office.isdigit() else None
    if office and (office_id is None or office_id not in {o["id"] for o in offices}):
        errors["office"] = t["field_choice"]
    rows: list[panels.RequestRow] = []
    total, exact, next_after = 0, True, None
    if not errors:
        try:
            listed = await request_flow.listing(
                actor,
                status=status or None,
                service=service or None,
                overdue=True if overdue == "1" else None,
                office_id=office_id,
                citizen_id=None,
                page=1 if after else page_number,
                page_size=PAGE_SIZE,
                after=after or None,
                by_due_date=True,
            )
        except Invalid:
            errors["page"] = t["page_link_broken"]
        else:
            rows = [panels.request_row(platform, r, lang) for r in listed.items]
            total, exact, next_after = listed.total, listed.total_exact, listed.next_after
    counts = await panels.request_counts(actor, service or None, lang) if not errors else []
    keep = {"status": status, "service": service, "office": office, "overdue": overdue}

    def href(**changes: Any) -> str:
        # an empty status is "every status", not the default (submitted): it stays
        query = {
            k: v for k, v in {**keep, **changes}.items() if v not in ("", None) or k == "status"
        }
        return "/desk/requests?" + urlencode(query)

    # Pages by number while they stay near the start; further on, after the last row.
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE if exact else 0
    next_href = ""
    if next_after is not None:
        by_number = not after and page_number * PAGE_SIZE < paging.OFFSET_LIMIT
        next_href = href(page=page_number + 1) if by_number else href(after=next_after)
    prev_href = ""
    if after:
        prev_href = href()
    elif page_number > 1:
        prev_href = href(page=page_number - 1)
    context = {
        "rows": rows,
        "total": total,
        "counts": counts,
        "errors": errors,
        "status": status,
        "statuses": [(s, label(REQUEST_STATUS, lang, s)) for s in STATUSES],
        "service": service,
        "services": services,
        "office": office,
        "offices": offices,
        "overdue": overdue == "1",
        "found": tally(total, lang, exact=exact),
        "page_number": 0 if after else page_number,
        "pages": pages,
        "prev_href": prev_href,
        "prev_is_first": bool(after),
        "first_href": href(),
        "next_href": next_href,
        "status_href": {key: href(status=key, page=None) for key in STATUSES},
    }
    return await page(
        request,
        "desk/work_queue.html",
        title=t["work_queue"],
        context=context,
        status_code=400 if errors else 200,
    )


def _refusal_grounds(platform: Any, detail: RequestDetail, lang: Lang) -> list[tuple[str, str]]:
    service = platform.host.services.get(detail.service_code)
    if service is None:
        return []
    return [(g.code, g.text.get(lang)) for g in service.card.refusal_grounds]


async def _request_page(
    request: HTMXRequest,
    request_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    platform = request.app.state.platform
    detail = await request_flow.read(platform, actor, request_id)
    # The municipality's local card: its extra documents may be missing too.
    service = await platform.local_service(actor.municipality_id, detail.service_code)
    a = detail.applicant
    frozen = {
        "name": " ".join(p for p in (a.last_name, a.first_name, a.patronymic) if p),
        "birth_date": day(a.birth_date, lang) if a.birth_date else "—",
        "tax_number": a.tax_number or "—",
        "address": ", ".join(p for p in (a.settlement, a.address) if p) or "—",
        "household_size": a.household_size or "—",
    }
    today_row = await citizens.read(actor, detail.citizen_id, audited=False)
    today = {
        "name": " ".join(
            p for p in (today_row.last_name, today_row.first_name, today_row.patronymic) if p
        ),
        "birth_date": day(today_row.birth_date, lang) if today_row.birth_date else "—",
        "tax_number": today_row.tax_number or "—",
        "address": ", ".join(p for p in (today_row.settlement, today_row.address) if p) or "—",
        "household_size": "",
    }
    answers = (
        answer_lines(describe(service.form, service.labels), detail.form, lang)
        if service is not None
        else [(k, str(v)) for k, v in detail.form.items()]
    )
    docs = await documents.listing(actor, request_id)
    grounds = _refusal_grounds(platform, detail, lang)
    can_assign = (
        actor.role in ("admin", "caseworker")
        and detail.status in ("approved", "assigned")
        and service is not None
        and service.payee == "provider"
    )
    choices = await _contracts_with_room(actor, detail, lang) if can_assign else []
    context = {
        "detail": detail,
        "service": service.card.title.get(lang) if service else detail.service_code,
        "status_words": label(REQUEST_STATUS, lang, detail.status),
        "verdict_words": t.get(f"verdict_{detail.eligibility}", detail.eligibility),
        "received_on": day(detail.received_on, lang),
        "due_date": day(detail.due_date, lang),
        "amount": money(detail.amount, lang) if detail.amount is not None else "",
        "frozen": frozen,
        "today": today,
        "changed": {k for k in frozen if k != "household_size" and frozen[k] != today[k]},
        "answers": answers,
        "documents": docs,
        "findings": [
            (f.outcome, f.message.get(lang)) for f in detail.findings if f.outcome != "not_checked"
        ],
        "history": [
            {
                "at": e.at.astimezone(KYIV).strftime("%d.%m.%Y %H:%M"),
                "actor": e.actor or "—",
                "to": label(REQUEST_STATUS, lang, e.to_status),
                "comment": e.comment,
            }
            for e in detail.history
        ],
        "can_decide": actor.role in ("admin", "caseworker") and detail.status == "submitted",
        "grounds": grounds,
        "appeal": service.card.appeal.get(lang) if service else "",
        "refusal_text": detail.refusal_text.get(lang) if detail.refusal_text else "",
        "decided": detail.status in ("approved", "refused", "assigned", "closed"),
        "errors": errors or {},
        "values": values or {},
        "decided_notice": request.query_params.get("decided") == "1" and not errors,
        "assigned_notice": request.query_params.get("assigned") == "1" and not errors,
        "asked_notice": request.query_params.get("asked") == "1" and not errors,
        "card_documents": [d.name.uk for d in service.card.documents] if service else [],
        "card_document_words": (
            {d.name.uk: d.name.get(lang) for d in service.card.documents} if service else {}
        ),
        "can_assign": can_assign,
        "contracts": choices,
        "m": await deliveries_panel(actor.municipality_id, detail.id, lang, staff=True),
    }
    return await page(
        request,
        "desk/request_page.html",
        title=f"{t['request']} {detail.journal_number}",
        context=context,
        status_code=status,
    )


async def _contracts_with_room(
    actor: Actor, detail: RequestDetail, lang: Lang
) -> list[tuple[int, str]]:
    """The service's contracts in force with room left (places, money) and serving the
    applicant's settlement, as choices in words."""
    t = texts(lang)
    today = clock.today()
    settlement = detail.applicant.settlement or ""
    out = []
    for c in await contracts.listing(actor, "active", detail.service_code):
        if c.period_end < today or c.remaining_money <= 0:
            continue
        if c.capacity and c.active_assignments >= c.capacity:
            continue
        if c.area and settlement not in c.area:
            continue
        places = (
            t["places_left"].format(left=c.capacity - c.active_assignments, of=c.capacity)
            if c.capacity
            else t["places_unlimited"]
        )
        words = (
            f"№ {c.number} · {c.provider_name} · {places} · "
            f"{t['remaining']}: {money(c.remaining_money, lang)} · "
            f"{t['period']}: {day(c.period_start, lang)}–{day(c.period_end, lang)}"
        )
        out.append((c.id, words))
    return out


@get("/desk/requests/{request_id:int}", opt=QUEUE, include_in_schema=False)
async def request_page(request: HTMXRequest, request_id: PathId) -> Template:
    return await _request_page(request, request_id)


@post("/desk/requests/{request_id:int}/decision", opt=DECIDE, include_in_schema=False)
async def decide(request: HTMXRequest, request_id: PathId) -> Response[Any]:
    """Approve or refuse; a refusal needs a ground from the card. On a problem the page
    comes back with the message beside the field and the choices kept."""
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    posted = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    decision = posted.get("decision", "")
    ground = posted.get("refusal_ground", "") or None
    comment = posted.get("comment", "")
    errors: dict[str, str] = {}
    if decision not in ("approve", "refuse"):
        errors["decision"] = t["choose_decision"]
    elif decision == "refuse" and not ground:
        errors["refusal_ground"] = t["choose_ground"]
    if len(comment) > 2000:
        errors["comment"] = t["too_long"]
    if errors:
        return await _request_page(request, request_id, errors=errors, values=posted, status=400)
    body = msgspec.convert(
        {
            "decision": decision,
            "refusal_ground": ground if decision == "refuse" else None,
            "comment": comment,
        },
        DecisionIn,
    )
    platform = request.app.state.platform
    try:
        await request_flow.decide(platform, actor, request_id, body)
    except DomainError as exc:
        return await _request_page(
            request,
            request_id,
            errors=forms.domain_error(exc, lang),
            values=posted,
            status=409 if isinstance(exc, Conflict) else 400,
        )
    return Redirect(f"/desk/requests/{request_id}?decided=1", status_code=303)


@post("/desk/requests/{request_id:int}/assign", opt=DECIDE, include_in_schema=False)
async def assign(request: HTMXRequest, request_id: PathId) -> Response[Any]:
    """Assign an approved request to a provider's contract chosen from those with room."""
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    posted = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    raw = posted.get("contract_id", "")
    comment = posted.get("assign_comment", "")
    errors: dict[str, str] = {}
    if not raw.isdigit() or not 1 <= int(raw) <= 2_147_483_647:
        errors["contract_id"] = t["choose_contract"]
    if len(comment) > 2000:
        errors["assign_comment"] = t["too_long"]
    if not errors:
        try:
            await assignments.assign(
                actor, request_id, AssignIn(contract_id=int(raw), comment=comment)
            )
        except DomainError as exc:
            errors = forms.domain_error(exc, lang)
            if "contract_id" not in errors and "form" in errors:
                errors["contract_id"] = errors.pop("form")
    if errors:
        return await _request_page(request, request_id, errors=errors, values=posted, status=400)
    return Redirect(f"/desk/requests/{request_id}?assigned=1", status_code=303)


@get("/desk/documents/{document_id:int}", opt=QUEUE, include_in_schema=False)
async def view_document(
    request: HTMXRequest,
    document_id: PathId,
    download: Annotated[str, QueryParameter(max_length=1)] = "",
) -> Response[bytes]:
    """A document inline in the browser (PDF, JPEG, PNG are safe to show: the type was
    recognised from the bytes), or as a download under its real name."""
    actor = signed_in(request)
    doc, content = await documents.content(actor, document_id)
    disposition = documents.content_disposition(doc.filename)
    if download != "1":
        disposition = disposition.replace("attachment", "inline", 1)
    return Response(
        content,
        media_type=doc.content_type,
        headers={
            "Content-Disposition": disposition,
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; "
            "object-src 'self'; plugin-types application/pdf; frame-ancestors 'self'",
        },
    )


@post("/desk/requests/{request_id:int}/documents-missing", opt=DECIDE, include_in_schema=False)
async def documents_missing(request: HTMXRequest, request_id: PathId) -> Response[Any]:
    """Tell the applicant which of the card's documents are missing (the request stays
    submitted); on a problem the page comes back with the message beside the field."""
    actor = signed_in(request)
    lang = page_lang(request)
    form = await request.form()
    ticked = [v for v in form.getall("missing_documents", []) if isinstance(v, str)]
    comment = form.get("missing_comment", "")
    comment = comment if isinstance(comment, str) else ""
    values = {"missing_comment": comment, "missing_documents": "\n".join(ticked)}
    if len(comment) > 2000 or len(ticked) > 50:
        errors = {"missing_documents": texts(lang)["too_long"]}
        return await _request_page(request, request_id, errors=errors, values=values, status=400)
    try:
        await missing_flow.ask(request.app.state.platform, actor, request_id, ticked, comment)
    except DomainError as exc:
        # Whatever field the use case names, the message stands beside the ticks.
        said = forms.domain_error(exc, lang)
        errors = {"missing_documents": next(iter(said.values()), "")}
        return await _request_page(
            request,
            request_id,
            errors=errors,
            values=values,
            status=409 if isinstance(exc, Conflict) else 400,
        )
    return Redirect(f"/desk/requests/{request_id}?asked=1", status_code=303)


HANDLERS = [work_queue, request_page, decide, assign, documents_missing, view_document]
