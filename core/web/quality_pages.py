"""Satisfaction and quality pages.

- ``/survey/{token}``: the survey from an e-mail's link, without signing in;
  ``/desk/citizen/surveys/{id}``: the same survey from the cabinet. A 1–5 radio group per
  question with a word for each number, a comment, "answer anonymously"; a thank-you page;
  a used or expired invitation says so.
- ``/desk/citizen/complaints``: the citizen's complaints and the form to file one.
- ``/desk/quality`` (admin, auditor): satisfaction per service, office, provider and
  question, the complaints (overdue first), the providers' quality; its XLSX; the admin
  records paper complaints, their outcomes and edits the questions.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from litestar import Response, get, post
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template
from openpyxl import Workbook
from openpyxl.styles import Font

from core.actor import Actor
from core.api.access import public, roles
from core.api.deps import PathId
from core.clock import today
from core.db.tables import Provider, Request
from core.errors import Conflict, DomainError
from core.service import Text
from core.web import forms
from core.web.formats import day
from core.web.layout import page, page_lang, signed_in
from core.web.quality_texts import quality_texts
from core.web.texts import Lang
from core.workflow import quality

CITIZEN = roles("citizen")
REPORT = roles("admin", "auditor")
ADMIN = roles("admin")
PROVIDER = roles("provider")
RATINGS = (1, 2, 3, 4, 5)


def _service_name(request: HTMXRequest, code: str, lang: Lang) -> str:
    if not code:  # a visit rated at the kiosk that made no request
        return quality_texts(lang)["office_visit"]
    service = request.app.state.platform.host.services.get(code)
    return service.card.title.get(lang) if service else code


async def _about(invitation: quality.Invitation) -> tuple[str, str]:
    """The journal number and the provider's name of an invitation."""
    number = provider = ""
    if invitation.request_id is not None:
        row = (
            await Request.select(Request.journal_number)
            .where(Request.id == invitation.request_id)
            .first()
        )
        number = row["journal_number"] if row else ""
    if invitation.provider_id is not None:
        prow = (
            await Provider.select(Provider.name)
            .where(Provider.id == invitation.provider_id)
            .first()
        )
        provider = prow["name"] if prow else ""
    return number, provider


async def _survey(
    request: HTMXRequest,
    invitation: quality.Invitation | None,
    action: str,
    *,
    errors: dict[str, str] | None = None,
    chosen: dict[int, int] | None = None,
    comment: str = "",
    status_code: int = 200,
) -> Template:
    lang = page_lang(request)
    t = quality_texts(lang)
    state = "unknown" if invitation is None else invitation.state
    if invitation is None or state != "open":
        return await page(
            request,
            "desk/survey_closed.html",
            title=t[f"{state}_title"],
            context={"t": t, "text": t[f"{state}_text"]},
            status_code=404 if invitation is None else 410 if state == "expired" else 409,
        )
    number, provider = await _about(invitation)
    service = _service_name(request, invitation.service_code, lang)
    if not number:
        intro = t["survey_intro_anonymous"].format(service=service)
    else:
        intro = t[f"survey_intro_{invitation.kind}"].format(
            number=number, service=service, provider=provider
        )
    asked = await quality.questions(invitation.municipality_id, invitation.kind)
    return await page(
        request,
        "desk/survey.html",
        title=t["survey_title"],
        context={
            "t": t,
            "intro": intro,
            "questions": [(q.id, q.text.get(lang)) for q in asked],
            "ratings": [(n, t[f"rating_{n}"]) for n in RATINGS],
            "chosen": chosen or {},
            "comment": comment,
            "errors": errors or {},
            "action": action,
        },
        status_code=status_code,
    )


async def _answer(
    request: HTMXRequest, invitation: quality.Invitation | None, action: str, channel: str
) -> Response[Any]:
    if invitation is None or invitation.state != "open":
        return await _survey(request, invitation, action)
    lang = page_lang(request)
    t = quality_texts(lang)
    posted = await request.form()
    asked = await quality.questions(invitation.municipality_id, invitation.kind)
    chosen: dict[int, int] = {}
    errors: dict[str, str] = {}
    for q in asked:
        raw = posted.get(f"q{q.id}")
        if isinstance(raw, str) and raw.isdigit() and int(raw) in RATINGS:
            chosen[q.id] = int(raw)
        else:
            errors[f"q{q.id}"] = t["rate_every"]
    raw_comment = posted.get("comment")
    comment = raw_comment[:2000] if isinstance(raw_comment, str) else ""
    if errors:
        return await _survey(
            request,
            invitation,
            action,
            errors=errors,
            chosen=chosen,
            comment=comment,
            status_code=400,
        )
    try:
        await quality.answer(
            invitation,
            chosen,
            comment=comment,
            anonymous=posted.get("anonymous") == "on",
            channel=channel,
        )
    except Conflict:
        return await _survey(request, invitation, action)
    return Redirect("/survey/thanks", status_code=303)


@get("/survey/thanks", opt=public(), include_in_schema=False)
async def survey_thanks(request: HTMXRequest) -> Template:
    t = quality_texts(page_lang(request))
    return await page(
        request,
        "desk/survey_closed.html",
        title=t["thanks_title"],
        context={"t": t, "text": t["thanks_text"], "thanks": True},
    )


@get("/survey/{token:str}", opt=public(), include_in_schema=False)
async def survey_by_link(request: HTMXRequest, token: FromPath[str]) -> Template:
    """The survey from the e-mail's link: no sign-in needed."""
    return await _survey(request, await quality.by_token(token), f"/survey/{token}")


@post("/survey/{token:str}", opt=public(), include_in_schema=False)
async def answer_by_link(request: HTMXRequest, token: FromPath[str]) -> Response[Any]:
    return await _answer(request, await quality.by_token(token), f"/survey/{token}", "link")


def _citizen(request: HTMXRequest) -> Actor:
    return signed_in(request)


@get("/desk/citizen/surveys/{invitation_id:int}", opt=CITIZEN, include_in_schema=False)
async def survey_in_cabinet(request: HTMXRequest, invitation_id: PathId) -> Template:
    invitation = await quality.of_citizen(_citizen(request), invitation_id)
    return await _survey(request, invitation, f"/desk/citizen/surveys/{invitation_id}")


@post("/desk/citizen/surveys/{invitation_id:int}", opt=CITIZEN, include_in_schema=False)
async def answer_in_cabinet(request: HTMXRequest, invitation_id: PathId) -> Response[Any]:
    invitation = await quality.of_citizen(_citizen(request), invitation_id)
    return await _answer(request, invitation, f"/desk/citizen/surveys/{invitation_id}", "cabinet")


async def surveys_panel(request: HTMXRequest, actor: Actor) -> dict[str, Any]:
    """The context of the cabinet's ``desk/_my_surveys.html``."""
    lang = page_lang(request)
    t = quality_texts(lang)
    rows = []
    for inv in await quality.open_for(actor):
        what = t[f"rate_{inv.kind}"].format(number=inv.journal_number, provider=inv.provider)
        rows.append(
            {
                "href": f"/desk/citizen/surveys/{inv.id}",
                "what": what,
                "service": _service_name(request, inv.service_code, lang),
                "until": t["rate_until"].format(day=day(inv.expires_on, lang)),
            }
        )
    return {"q": t, "surveys": rows}


# --- the citizen's complaints --------------------------------------------------------


async def _choices(actor: Actor, t: dict[str, str]) -> list[tuple[str, str]]:
    decided = (
        await Request.select(Request.id, Request.journal_number)
        .where(
            (Request.citizen == actor.citizen_id)
            & (Request.municipality == actor.municipality_id)
            & Request.decided_at.is_not_null()
        )
        .order_by(Request.id, ascending=False)
    )
    out = [
        (f"decision:{r['id']}", t["complaint_about_decision"].format(number=r["journal_number"]))
        for r in decided
    ]
    out += [
        (f"provider:{pid}", t["complaint_about_provider"].format(name=name))
        for pid, name in await quality.providers_of(actor)
    ]
    return out


def _complaint_rows(rows: list[quality.ComplaintOut], lang: Lang) -> list[dict[str, Any]]:
    t = quality_texts(lang)
    return [
        {
            "id": c.id,
            "about": t["complaint_about_decision"].format(number=c.journal_number)
            if c.about == "decision"
            else t["complaint_about_provider"].format(name=c.provider),
            "text": c.text,
            "author": c.author,
            "channel": t[f"channel_{c.channel}"],
            "received_on": day(c.received_on, lang),
            "due_on": day(c.due_on, lang),
            "status": t[f"status_{c.status}"],
            "open": c.status == "open",
            "overdue": c.overdue,
            "outcome": t[f"outcome_{c.outcome}"] if c.outcome else "",
            "outcome_text": c.outcome_text,
        }
        for c in rows
    ]


async def _complaints_page(
    request: HTMXRequest,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    actor = _citizen(request)
    lang = page_lang(request)
    t = quality_texts(lang)
    term = await quality.term_of(actor.municipality_id, today())
    sent = request.query_params.get("sent")
    return await page(
        request,
        "desk/cabinet_complaints.html",
        title=t["complaints"],
        context={
            "t": t,
            "intro": t["complaint_intro"].format(days=(term - today()).days),
            "choices": await _choices(actor, t),
            "rows": _complaint_rows(
                await quality.complaints(actor.municipality_id, citizen_id=actor.citizen_id),
                lang,
            ),
            "errors": errors or {},
            "typed": typed or {},
            "sent": t["complaint_sent"].format(day=day(date.fromisoformat(sent), lang))
            if sent and len(sent) == 10
            else "",
        },
        status_code=status_code,
    )


@get("/desk/citizen/complaints", opt=CITIZEN, include_in_schema=False)
async def my_complaints(request: HTMXRequest) -> Template:
    return await _complaints_page(request)


def _about_of(raw: str) -> tuple[str, int | None]:
    kind, _, ident = raw.partition(":")
    if kind in ("decision", "provider") and ident.isdigit() and len(ident) < 12:
        return kind, int(ident)
    return "", None


@post("/desk/citizen/complaints", opt=CITIZEN, include_in_schema=False)
async def file_complaint(request: HTMXRequest) -> Response[Any]:
    actor = _citizen(request)
    t = quality_texts(page_lang(request))
    posted = await request.form()
    about_raw = str(posted.get("about") or "")[:40]
    text = str(posted.get("text") or "")[:5000]
    about, ident = _about_of(about_raw)
    typed = {"about": about_raw, "text": text}
    errors: dict[str, str] = {}
    if ident is None:
        errors["about"] = t["choose_about"]
    if len(text.strip()) < 10:
        errors["text"] = t["bad_text"]
    if errors:
        return await _complaints_page(request, errors=errors, typed=typed, status_code=400)
    try:
        made = await quality.file(
            actor,
            about=about,
            text=text,
            request_id=ident if about == "decision" else None,
            provider_id=ident if about == "provider" else None,
        )
    except DomainError:
        errors["about"] = t["choose_about"]
        return await _complaints_page(request, errors=errors, typed=typed, status_code=400)
    rows = await quality.complaints(actor.municipality_id, citizen_id=actor.citizen_id)
    due = next(c.due_on for c in rows if c.id == made)
    return Redirect(f"/desk/citizen/complaints?sent={due.isoformat()}", status_code=303)


# --- the desk's report -----------------------------------------------------------------


async def satisfaction_tables(
    request: HTMXRequest, municipality_id: int, lang: Lang
) -> list[dict[str, Any]]:
    t = quality_texts(lang)
    offices, providers, asked = await quality.names(municipality_id)
    tables = []
    for by in ("service", "office", "provider", "question"):
        rows = []
        for key, answers, _, average in await quality.satisfaction(municipality_id, by):
            if by == "service":
                name = _service_name(request, key, lang)
            elif by == "office":
                name = offices.get(key, t["online"]) if key else t["online"]
            elif by == "provider":
                name = providers.get(key, key) if key else t["no_provider"]
            else:
                text = asked.get(key)
                name = text.get(lang) if text else key
            rows.append(
                {
                    "name": name,
                    "answers": answers,
                    "average": "—" if average is None else f"{average:.2f}",
                    "value": average,
                }
            )
        tables.append({"key": by, "caption": t[f"by_{by}"], "rows": rows})
    return tables


def _provider_rows(rows: list[quality.ProviderQuality]) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "average": "—" if p.average is None else f"{p.average:.2f}",
            "answers": p.answers,
            "complaints": p.complaints,
            "rejected_invoices": p.rejected_invoices,
            "refused_deliveries": p.refused_deliveries,
            "on_time": "—" if p.on_time_rate is None else f"{p.on_time_rate}%",
            "deliveries": p.deliveries,
        }
        for p in rows
    ]


async def _quality_page(
    request: HTMXRequest,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    t = quality_texts(lang)
    muni = actor.municipality_id
    providers = (
        await Provider.select(Provider.id, Provider.name)
        .where(Provider.municipality == muni)
        .order_by(Provider.name)
    )
    return await page(
        request,
        "desk/quality.html",
        title=t["quality_title"],
        context={
            "t": t,
            "tables": await satisfaction_tables(request, muni, lang),
            "comments": [
                {
                    "at": day(c["answered_at"].date(), lang),
                    "service": _service_name(request, c["service_code"], lang),
                    "text": c["comment"],
                }
                for c in await quality.comments(muni)
            ],
            "complaints": _complaint_rows(await quality.complaints(muni), lang),
            "providers": _provider_rows(await quality.provider_quality(muni)),
            "on_time_help": t["on_time_help"].format(days=quality.ON_TIME_DAYS),
            "admin": actor.role == "admin",
            "provider_options": [(p["id"], p["name"]) for p in providers],
            "outcomes": [(o, t[f"outcome_{o}"]) for o in quality.OUTCOMES],
            "errors": errors or {},
            "typed": typed or {},
            "today": today().isoformat(),
        },
        status_code=status_code,
    )


@get("/desk/quality", opt=REPORT, include_in_schema=False)
async def quality_report(request: HTMXRequest) -> Template:
    return await _quality_page(request)


@get("/desk/quality/satisfaction.xlsx", opt=REPORT, include_in_schema=False)
async def satisfaction_xlsx(request: HTMXRequest) -> Response[bytes]:
    actor = signed_in(request)
    lang = page_lang(request)
    t = quality_texts(lang)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t["satisfaction"]
    for table in await satisfaction_tables(request, actor.municipality_id, lang):
        sheet.append([table["caption"], t["answers"], t["average"]])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for r in table["rows"]:
            sheet.append(
                [r["name"], r["answers"], None if r["value"] is None else float(r["value"])]
            )
            sheet.cell(row=sheet.max_row, column=3).number_format = "0.00"
        sheet.append([])
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 22
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="satisfaction.xlsx"'},
    )


@post("/desk/quality/complaints", opt=ADMIN, include_in_schema=False)
async def record_complaint(request: HTMXRequest) -> Response[Any]:
    """A complaint received on paper, about a decision (by its request's number) or a
    provider."""
    actor = signed_in(request)
    lang = page_lang(request)
    t = quality_texts(lang)
    posted = await request.form()
    typed = {k: str(posted.get(k) or "")[:5000] for k in ("number", "provider", "text", "author")}
    typed["received_on"] = str(posted.get("received_on") or "")[:10]
    errors: dict[str, str] = {}
    request_id: int | None = None
    provider_id: int | None = None
    if typed["number"].strip():
        row = (
            await Request.select(Request.id)
            .where(
                (Request.journal_number == typed["number"].strip())
                & (Request.municipality == actor.municipality_id)
            )
            .first()
        )
        if row is None:
            errors["number"] = t["bad_number"]
        else:
            request_id = row["id"]
    elif typed["provider"].isdigit():
        provider_id = int(typed["provider"][:12])
    else:
        errors["number"] = t["choose_about"]
    try:
        received = date.fromisoformat(typed["received_on"]) if typed["received_on"] else None
    except ValueError:
        errors["received_on"] = t.get("date_bad", "YYYY-MM-DD")
        received = None
    if len(typed["text"].strip()) < 10:
        errors["text"] = t["bad_text"]
    if not errors:
        try:
            await quality.file(
                actor,
                about="decision" if request_id else "provider",
                text=typed["text"],
                request_id=request_id,
                provider_id=provider_id,
                received_on=received,
                author=typed["author"],
            )
        except DomainError as exc:
            errors.update(forms.domain_error(exc, lang))
    if errors:
        return await _quality_page(request, errors=errors, typed=typed, status_code=400)
    return Redirect("/desk/quality#complaints-title", status_code=303)


@post("/desk/quality/complaints/{complaint_id:int}/close", opt=ADMIN, include_in_schema=False)
async def close_complaint(request: HTMXRequest, complaint_id: PathId) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    posted = await request.form()
    try:
        await quality.close_complaint(
            actor,
            complaint_id,
            str(posted.get("outcome") or ""),
            str(posted.get("outcome_text") or "")[:5000],
        )
    except DomainError:
        t = quality_texts(lang)
        return await _quality_page(
            request, errors={f"outcome{complaint_id}": t["choose_outcome"]}, status_code=400
        )
    return Redirect("/desk/quality#complaints-title", status_code=303)


async def _questions_page(
    request: HTMXRequest, *, errors: dict[str, str] | None = None, status_code: int = 200
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    t = quality_texts(lang)
    groups = []
    for kind in quality.KINDS:
        asked = await quality.questions(actor.municipality_id, kind)
        groups.append(
            {
                "kind": kind,
                "caption": t[f"questions_{kind}"],
                "rows": [(q.id, q.text) for q in asked],
            }
        )
    return await page(
        request,
        "desk/quality_questions.html",
        title=t["questions_title"],
        context={"t": t, "groups": groups, "errors": errors or {}, "lang": lang},
        status_code=status_code,
    )


@get("/desk/quality/questions", opt=ADMIN, include_in_schema=False)
async def questions_page(request: HTMXRequest) -> Template:
    return await _questions_page(request)


@post("/desk/quality/questions", opt=ADMIN, include_in_schema=False)
async def add_question(request: HTMXRequest) -> Response[Any]:
    actor = signed_in(request)
    posted = await request.form()
    kind = str(posted.get("kind") or "")
    uk = str(posted.get("text_uk") or "")[:255]
    en = str(posted.get("text_en") or "")[:255]
    if kind not in quality.KINDS or not uk.strip() or not en.strip():
        t = quality_texts(page_lang(request))
        return await _questions_page(
            request, errors={f"text_uk_{kind}": t["need_both"]}, status_code=400
        )
    await quality.add_question(actor, kind, Text(uk, en))
    return Redirect("/desk/quality/questions", status_code=303)


@post("/desk/quality/questions/{question_id:int}/retire", opt=ADMIN, include_in_schema=False)
async def retire_question(request: HTMXRequest, question_id: PathId) -> Response[Any]:
    await quality.retire_question(signed_in(request), question_id)
    return Redirect("/desk/quality/questions", status_code=303)


async def provider_panel(request: HTMXRequest, actor: Actor) -> dict[str, Any]:
    """The provider's own summary (``desk/_provider_quality.html``)."""
    lang = page_lang(request)
    rows = (
        await quality.provider_quality(actor.municipality_id, actor.provider_id)
        if actor.provider_id
        else []
    )
    return {
        "q": quality_texts(lang),
        "mine": _provider_rows(rows),
        "on_time_help": quality_texts(lang)["on_time_help"].format(days=quality.ON_TIME_DAYS),
    }


HANDLERS = [
    survey_thanks,
    survey_by_link,
    answer_by_link,
    survey_in_cabinet,
    answer_in_cabinet,
    my_complaints,
    file_complaint,
    quality_report,
    satisfaction_xlsx,
    record_complaint,
    close_complaint,
    questions_page,
    add_question,
    retire_question,
]
