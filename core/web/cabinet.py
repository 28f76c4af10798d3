"""The citizen's cabinet: applying online and the citizen's own requests.

Applying online starts from a service card's "Подати заяву онлайн" button: the
service's form generated from its Struct and labels (a visitor who is not signed in is
sent to sign in first and comes back), then a summary of the answers in words with the
documents to add from a phone, then the journal number, the due date and the
application PDF. Everything goes through the use cases, which keep a citizen to their
own records and set the channel ``online``.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Response, get, post
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.actor import Actor
from core.api.access import public, roles
from core.api.deps import PathId
from core.clock import KYIV
from core.db.tables import Citizen
from core.errors import Conflict, DomainError, Forbidden, NotFound
from core.form_fields import FormField, describe
from core.schemas import CommentIn, RequestIn, ScreeningIn
from core.service import Service
from core.web import forms
from core.web.apply import multi_of, read_scans, verdicts_of
from core.web.cabinet_texts import cabinet_texts
from core.web.citizen_form import CATEGORY_WORDS, CITIZEN_LABELS
from core.web.formats import day, money
from core.web.layout import actor_of, page, page_lang
from core.web.notify_pages import consent_panel, deliveries_panel
from core.web.texts import REQUEST_STATUS, ROLE_LABELS, Lang, label, texts
from core.workflow import access_log, citizens, documents, lifecycle
from core.workflow import requests as request_flow
from core.workflow.screening import screen

CITIZEN = roles("citizen")
MINE = "/desk/citizen/requests"
#: What a phone offers for a scanned document: a photo or a PDF.
ACCEPT = "application/pdf,image/jpeg,image/png"


def words(lang: Lang) -> dict[str, str]:
    return {**texts(lang), **cabinet_texts(lang)}


def _value(field: FormField, value: Any, lang: Lang) -> str:
    t = cabinet_texts(lang)
    if value is None or value == "" or value == []:
        return "—"
    if field.kind == "bool":
        return t["yes"] if value else t["no"]
    if field.kind == "date":
        try:
            return day(date.fromisoformat(str(value)), lang)
        except ValueError:
            return str(value)
    chosen = {v: w.get(lang) for v, w in field.choices}
    if field.kind == "choice":
        return chosen.get(str(value), str(value))
    if field.kind == "choices":
        return ", ".join(chosen.get(str(v), str(v)) for v in value) or "—"
    return str(value)


def answers_in_words(
    fields: list[FormField] | tuple[FormField, ...], form: dict[str, Any], lang: Lang
) -> list[tuple[str, str, int]]:
    """(label, answer, depth) of every field, in the form's order, in the reader's
    language: what the summary before sending and the request page show."""
    lines: list[tuple[str, str, int]] = []

    def walk(fs: Any, values: dict[str, Any], depth: int) -> None:
        for field in fs:
            value = values.get(field.name)
            label = field.label.get(lang)
            if field.kind == "group" and isinstance(value, dict):
                lines.append((label, "", depth))
                walk(field.children, value, depth + 1)
            elif field.kind == "rows" and isinstance(value, list):
                lines.append((label, "" if value else "—", depth))
                for i, row in enumerate(value, start=1):
                    lines.append((f"{label} · {i}", "", depth + 1))
                    walk(field.children, row, depth + 2)
            else:
                lines.append((label, _value(field, value, lang), depth))

    walk(fields, form, 0)
    return lines


def _citizen_actor(request: HTMXRequest) -> Actor:
    actor = actor_of(request)
    if actor is None:
        raise RuntimeError("a citizen's page reached without a user")
    if actor.role != "citizen" or actor.citizen_id is None:
        raise Forbidden(
            "заяву онлайн подає лише заявник від свого імені / only an applicant applies "
            "online, for themselves",
            "role",
        )
    return actor


async def _service(request: HTMXRequest, actor: Actor, code: str) -> Service:
    services = await request.app.state.platform.services(actor.municipality_id)
    found: Service | None = next((s for s in services if s.code == code), None)
    if found is None:
        raise NotFound(f"послугу «{code}» не знайдено / service not found", "code")
    return found


def _apply_path(code: str) -> str:
    return f"/services/{code}/apply"


async def _form_page(
    request: HTMXRequest,
    service: Service,
    *,
    multi: dict[str, list[str]],
    errors: dict[str, str],
    status: int = 200,
) -> Template:
    lang = page_lang(request)
    t = words(lang)
    return await page(
        request,
        "desk/cabinet_apply.html",
        title=f"{t['apply_online']}: {service.card.title.get(lang)}",
        context={
            "t": t,
            "fields": describe(service.form, service.labels),
            "values": forms.values_of(multi),
            "errors": errors,
            "action": _apply_path(service.code),
            "card": f"/services/{service.code}?lang={lang}",
        },
        status_code=status,
    )


@get("/services/{code:str}/apply", opt=public(), include_in_schema=False)
async def apply_form(request: HTMXRequest, code: FromPath[str]) -> Response[Any]:
    """The service's form; a visitor not signed in is sent to sign in and back."""
    if actor_of(request) is None:
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect("/sign-in?" + urlencode({"next": back}), status_code=303)
    actor = _citizen_actor(request)
    service = await _service(request, actor, code)
    return await _form_page(request, service, multi={}, errors={})


def _hidden(multi: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(k, v) for k, values in multi.items() if k not in ("_csrf", "do") for v in values]


@post("/services/{code:str}/apply", opt=CITIZEN, include_in_schema=False)
async def apply_review(request: HTMXRequest, code: FromPath[str]) -> Response[Any]:
    """Check the answers; the form again with the errors beside their fields, or the
    summary in words with the documents to add and the button that sends it."""
    actor = _citizen_actor(request)
    service = await _service(request, actor, code)
    multi = multi_of(await request.form())
    return await _review(request, actor, service, multi, errors={})


async def _review(
    request: HTMXRequest,
    actor: Actor,
    service: Service,
    multi: dict[str, list[str]],
    *,
    errors: dict[str, str],
    status: int = 200,
) -> Response[Any]:
    lang = page_lang(request)
    t = words(lang)
    fields = describe(service.form, service.labels)
    answers = forms.parse(fields, multi)
    converted, problems = forms.convert(service.form, answers, lang)
    if converted is None:
        return await _form_page(request, service, multi=multi, errors=problems, status=400)
    body = msgspec.to_builtins(converted)
    platform = request.app.state.platform
    checked = await screen(
        platform,
        actor.municipality_id,
        ScreeningIn(applicant=await _applicant(actor), answers=body),
        history=False,
    )
    mine = [r for r in checked.results if r.service == service.code]
    verdicts = verdicts_of(mine, [service], lang, set(), set())
    return await page(
        request,
        "desk/cabinet_review.html",
        title=f"{t['review_title']}: {service.card.title.get(lang)}",
        context={
            "t": t,
            "lines": answers_in_words(fields, body, lang),
            "hidden": _hidden(multi),
            "verdict": verdicts[0] if verdicts else None,
            "required_documents": [
                (d.name.get(lang), t[f"doc_{d.form}"]) for d in service.card.documents
            ],
            "accept": ACCEPT,
            "errors": errors,
            "edit_action": _apply_path(service.code) + "/edit",
            "send_action": _apply_path(service.code) + "/send",
        },
        status_code=status,
    )


async def _applicant(actor: Actor) -> Any:
    row = (
        await Citizen.select()
        .where((Citizen.id == actor.citizen_id) & (Citizen.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound("запис заявника не знайдено / the applicant's record is missing", "citizen")
    return await citizens.snapshot_with_household(row)


@post("/services/{code:str}/apply/edit", opt=CITIZEN, include_in_schema=False)
async def apply_edit(request: HTMXRequest, code: FromPath[str]) -> Response[Any]:
    """Back from the summary to the form, with every answer kept."""
    actor = _citizen_actor(request)
    service = await _service(request, actor, code)
    multi = multi_of(await request.form())
    return await _form_page(request, service, multi=multi, errors={})


@post("/services/{code:str}/apply/send", opt=CITIZEN, include_in_schema=False)
async def apply_send(request: HTMXRequest, code: FromPath[str]) -> Response[Any]:
    """Send the application with the documents; then its page with the journal number."""
    actor = _citizen_actor(request)
    lang = page_lang(request)
    service = await _service(request, actor, code)
    posted = await request.form()
    multi = multi_of(posted)
    scans, scan_error = await read_scans(posted, lang)
    if scan_error:
        return await _review(
            request, actor, service, multi, errors={"documents": scan_error}, status=400
        )
    fields = describe(service.form, service.labels)
    converted, problems = forms.convert(service.form, forms.parse(fields, multi), lang)
    if converted is None:
        return await _form_page(request, service, multi=multi, errors=problems, status=400)
    assert actor.citizen_id is not None
    try:
        detail = await request_flow.submit(
            request.app.state.platform,
            actor,
            RequestIn(
                service_code=service.code,
                citizen_id=actor.citizen_id,
                form=msgspec.to_builtins(converted),
                channel="online",
            ),
        )
    except DomainError as exc:
        errors = forms.domain_error(exc, lang)
        return await _form_page(request, service, multi=multi, errors=errors, status=400)
    for filename, content in scans:
        await documents.attach(actor, detail.id, filename, "scan", content)
    return Redirect(f"{MINE}/{detail.id}?sent=1", status_code=303)


async def _request_page(
    request: HTMXRequest,
    actor: Actor,
    request_id: int,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    lang = page_lang(request)
    t = words(lang)
    platform = request.app.state.platform
    detail = await request_flow.read(platform, actor, request_id)
    service = platform.host.services.get(detail.service_code)
    title = service.card.title.get(lang) if service else detail.service_code
    # What is missing: the rules that failed or could not be checked, in words.
    missing = [f.message.get(lang) for f in detail.findings if f.outcome in ("failed", "unknown")]
    history = [
        {
            "at": day(e.at.astimezone(KYIV).date(), lang),
            "status": label(REQUEST_STATUS, lang, e.to_status),
            "by": t["by_you"] if e.actor == actor.username else t["by_municipality"],
        }
        for e in detail.history
    ]
    decided = detail.decided_at is not None and detail.status in (
        "approved",
        "refused",
        "assigned",
        "closed",
    )
    lines = (
        answers_in_words(describe(service.form, service.labels), detail.form, lang)
        if service
        else []
    )
    return await page(
        request,
        "desk/cabinet_request.html",
        title=f"{t['journal_number']} {detail.journal_number}",
        context={
            "t": t,
            "sent": request.query_params.get("sent") == "1",
            "withdrawn": request.query_params.get("withdrawn") == "1",
            "r": detail,
            "service": title,
            "status": label(REQUEST_STATUS, lang, detail.status),
            "received_on": day(detail.received_on, lang),
            "due_date": day(detail.due_date, lang),
            "overdue": detail.overdue,
            "missing": missing,
            "history": history,
            "lines": lines,
            "decided": decided,
            "refused": detail.status == "refused",
            "decided_on": day(detail.decided_at.astimezone(KYIV).date(), lang)
            if detail.decided_at
            else "",
            "refusal_text": detail.refusal_text.get(lang) if detail.refusal_text else "",
            "appeal": detail.appeal.get(lang) if detail.appeal else "",
            "amount": money(detail.amount, lang) if detail.amount is not None else "",
            "may_withdraw": "withdrawn" in lifecycle.TRANSITIONS.get(detail.status, frozenset()),
            "withdraw_action": f"{MINE}/{detail.id}/withdraw",
            "application": f"/desk/requests/{detail.id}/application.pdf",
            "letter": f"/desk/requests/{detail.id}/decision.pdf",
            "errors": errors or {},
            "m": await deliveries_panel(actor.municipality_id, detail.id, lang, staff=False),
        },
        status_code=status_code,
    )


@get(f"{MINE}/{{request_id:int}}", opt=CITIZEN, include_in_schema=False)
async def my_request(request: HTMXRequest, request_id: PathId) -> Template:
    """One of the citizen's requests: status in words, due date, history, what is
    missing, the decision and its letter, and withdrawing while it is undecided."""
    return await _request_page(request, _citizen_actor(request), request_id)


@post(f"{MINE}/{{request_id:int}}/withdraw", opt=CITIZEN, include_in_schema=False)
async def withdraw(request: HTMXRequest, request_id: PathId) -> Response[Any]:
    """Withdraw the citizen's own undecided request (the use case checks both)."""
    actor = _citizen_actor(request)
    lang = page_lang(request)
    posted = await request.form()
    comment = posted.get("comment")
    text = comment.strip()[:2000] if isinstance(comment, str) else ""
    try:
        await request_flow.withdraw(
            request.app.state.platform, actor, request_id, CommentIn(comment=text)
        )
    except Conflict as exc:
        return await _request_page(
            request, actor, request_id, errors=forms.domain_error(exc, lang), status_code=409
        )
    return Redirect(f"{MINE}/{request_id}?withdrawn=1", status_code=303)


#: Rows of the access log on one page.
LOG_PAGE = 20


def _action_words(row: access_log.AccessRow, t: dict[str, str]) -> str:
    template = t.get(f"act_{row.action}")
    if template is None:
        return t["act_other"].format(action=row.action)
    return template.format(number=row.journal_number or "").strip()


def _who(row: access_log.AccessRow, lang: Lang, t: dict[str, str]) -> str:
    role = label(ROLE_LABELS, lang, row.role) if row.role else t["system"]
    place = row.office or row.provider
    who = f"{role}, {place}" if place else role
    return f"{row.name} ({who})" if row.name else who


@get("/desk/citizen/data", opt=CITIZEN, include_in_schema=False)
async def my_data(request: HTMXRequest) -> Template:
    """The citizen's own record, their consent to news, and who looked at the record
    (newest first, paged). None is audited: the citizen reading their own data is not a
    read by anyone else."""
    return await data_page(request)


async def data_page(
    request: HTMXRequest,
    *,
    notify_error: dict[str, str] | None = None,
    notify_typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    actor = _citizen_actor(request)
    assert actor.citizen_id is not None
    lang = page_lang(request)
    t = words(lang)
    raw = request.query_params.get("page", "1")
    number = int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1
    me = await citizens.read(actor, actor.citizen_id, audited=False)
    rows, total = await access_log.reads_of_me(actor, page=number, page_size=LOG_PAGE)
    pages = max(1, -(-total // LOG_PAGE))
    categories = ", ".join(
        CATEGORY_WORDS[c][1 if lang == "en" else 0] if c in CATEGORY_WORDS else c
        for c in me.categories
    )
    shown = {
        "last_name": me.last_name,
        "first_name": me.first_name,
        "patronymic": me.patronymic,
        "birth_date": day(me.birth_date, lang) if me.birth_date else "",
        "tax_number": me.tax_number or "",
        "settlement": me.settlement,
        "address": me.address,
        "phone": me.phone,
        "email": me.email,
        "categories": categories,
        "disability_group": str(me.disability_group or ""),
    }
    record = [(CITIZEN_LABELS[k].label.get(lang), v) for k, v in shown.items()]
    return await page(
        request,
        "desk/cabinet_data.html",
        title=t["my_data_title"],
        context={
            "t": t,
            "record": [(k, v or t["none_given"]) for k, v in record],
            "log": [
                {
                    "at": row.at.astimezone(KYIV).strftime("%d.%m.%Y %H:%M"),
                    "who": _who(row, lang, t),
                    "what": _action_words(row, t),
                }
                for row in rows
            ],
            "total": total,
            "page_no": number,
            "pages": pages,
            "newer": f"/desk/citizen/data?page={number - 1}" if number > 1 else "",
            "older": f"/desk/citizen/data?page={number + 1}" if number < pages else "",
            "n": await consent_panel(
                actor.citizen_id,
                lang,
                action="/desk/citizen/data/notifications",
                staff=False,
                fallback_address=me.email,
                fallback_phone=me.phone,
                typed=notify_typed,
                error=notify_error,
                saved=request.query_params.get("notify") == "saved",
            ),
        },
        status_code=status_code,
    )


HANDLERS = [apply_form, apply_review, apply_edit, apply_send, my_request, withdraw, my_data]
