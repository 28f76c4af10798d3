"""The single window: one questionnaire for a person, screened against every enabled
service at once, and the applications for the services chosen.

The questionnaire is the union of the enabled services' forms: a field that several
forms share by name is asked once (the screening API takes one set of answers the same
way). Each service shows its verdict in words with the reasons; with htmx the verdicts
update as answers are given, without it the "check" button reloads the page with them.
Submitting validates every chosen form and the confirmations first and writes nothing
until all is right; a not-eligible application is taken only with an explicit
confirmation, which is audited.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Response, get, post
from litestar.datastructures import UploadFile
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.actor import Actor
from core.api.access import roles
from core.api.deps import PathId
from core.db.tables import Citizen, User
from core.errors import DomainError, NotFound
from core.form_fields import FormField, describe
from core.rule_facts import FACTS
from core.schemas import RequestIn, ScreeningIn, ScreeningResult
from core.service import Service
from core.web import forms, queue_pages
from core.web.formats import day
from core.web.layout import page, page_lang, signed_in
from core.web.texts import Lang, texts
from core.workflow import audit, citizens, documents
from core.workflow import requests as request_flow
from core.workflow.screening import screen

FRONT = roles("admin", "intake", "caseworker")
BASE = "/desk/front-office/citizens"
RESULTS_TARGET = "screening"
CHANNELS = ("front_office", "remote_workplace", "home_visit")


class Section(msgspec.Struct, kw_only=True):
    code: str
    title: str
    fields: list[FormField]
    #: Labels of this service's questions already asked above for another service.
    shared: list[str]
    chosen: bool = False


class Verdict(msgspec.Struct, kw_only=True):
    code: str
    title: str
    verdict: str
    words: str
    reasons: list[str]
    missing: list[str]
    chosen: bool = False
    confirmed: bool = False


def sections_of(services: list[Service], lang: Lang) -> list[Section]:
    seen: dict[str, str] = {}
    sections = []
    for service in services:
        mine, shared = [], []
        for field in describe(service.form, service.labels):
            if field.name in seen:
                shared.append(field.label.get(lang))
                continue
            seen[field.name] = service.code
            mine.append(field)
        sections.append(
            Section(
                code=service.code, title=service.card.title.get(lang), fields=mine, shared=shared
            )
        )
    return sections


def _unticked_as_unanswered(
    answers: dict[str, Any], services: list[Service], chosen: set[str]
) -> dict[str, Any]:
    """An unticked box is a "no" for the services applied for and for those whose other
    questions have been answered; for a service nobody has gone through yet it stays
    unanswered, so its verdict asks for data rather than saying "not eligible"."""
    asked: set[str] = set()
    for service in services:
        names = set(service.form.__struct_fields__)
        touched = any(answers.get(name) not in (None, False, "", [], {}) for name in names)
        if service.code in chosen or touched:
            asked |= names
    return {k: v for k, v in answers.items() if v is not False or k in asked}


def all_fields(sections: list[Section]) -> list[FormField]:
    return [f for s in sections for f in s.fields]


def multi_of(form: Any) -> dict[str, list[str]]:
    multi: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            multi.setdefault(key, []).append(value)
    return multi


def _label_of(services: list[Service], lang: Lang) -> dict[str, str]:
    # A household fact is missing under its name (``household.lives_alone``).
    labels = {name: en if lang == "en" else uk for name, (uk, en) in FACTS.items()}
    for service in services:
        for field in describe(service.form, service.labels):
            labels.setdefault(field.name, field.label.get(lang))
    return labels


def verdicts_of(
    results: list[ScreeningResult],
    services: list[Service],
    lang: Lang,
    chosen: set[str],
    confirmed: set[str],
) -> list[Verdict]:
    t = texts(lang)
    labels = _label_of(services, lang)
    out = []
    for r in results:
        # A rule that lacks answers says so with field codes; those answers are listed
        # by their labels instead (``missing``), and the other reasons are kept.
        shown = ("failed",) if r.missing else ("failed", "unknown")
        reasons = [f.message.get(lang) for f in r.findings if f.outcome in shown]
        out.append(
            Verdict(
                code=r.service,
                title=r.title.get(lang),
                verdict=r.verdict,
                words=t[f"verdict_{r.verdict}"],
                reasons=reasons,
                missing=[labels.get(m, m) for m in r.missing],
                chosen=r.service in chosen,
                confirmed=r.service in confirmed,
            )
        )
    return out


async def _citizen(actor: Actor, citizen_id: int) -> dict[str, Any]:
    row = (
        await Citizen.select()
        .where((Citizen.id == citizen_id) & (Citizen.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound("громадянина не знайдено / citizen not found", "citizen_id")
    return row


async def _office(actor: Actor) -> tuple[int | None, str]:
    """The user's office and the channel it takes applications by."""
    row = await User.select(User.office, User.office.kind).where(User.id == actor.id).first()
    if row is None or row["office"] is None:
        return None, "front_office"
    kind = row["office.kind"]
    return row["office"], kind if kind in CHANNELS else "front_office"


async def _render(
    request: HTMXRequest,
    actor: Actor,
    citizen_id: int,
    *,
    multi: dict[str, list[str]],
    errors: dict[str, str],
    status: int = 200,
) -> Response[Any]:
    lang = page_lang(request)
    t = texts(lang)
    platform = request.app.state.platform
    services = await platform.services(actor.municipality_id)
    sections = sections_of(services, lang)
    chosen = set(multi.get("apply_for", []))
    confirmed = set(multi.get("confirm", []))
    for s in sections:
        s.chosen = s.code in chosen
    answers = _unticked_as_unanswered(forms.parse(all_fields(sections), multi), services, chosen)
    row = await _citizen(actor, citizen_id)
    applicant = await citizens.snapshot_with_household(row)
    checked = await screen(
        platform,
        actor.municipality_id,
        ScreeningIn(applicant=applicant, answers=answers),
        history=True,
    )
    verdicts = verdicts_of(checked.results, services, lang, chosen, confirmed)
    _, default_channel = await _office(actor)
    context = {
        "citizen_id": citizen_id,
        "person": citizens.full_name(row),
        "sections": sections,
        "verdicts": verdicts,
        "values": forms.values_of(multi),
        "errors": errors,
        "channel": (multi.get("channel") or [default_channel])[-1],
        "channels": [(c, t[f"channel_{c}"]) for c in CHANNELS],
        "action": f"{BASE}/{citizen_id}/apply",
        "screen_action": f"{BASE}/{citizen_id}/apply/screen",
    }
    htmx = request.htmx
    if htmx and htmx.target == RESULTS_TARGET and not htmx.history_restore_request:
        return Template(
            "desk/_screening.html",
            context={**context, "t": t, "lang": lang},
            status_code=status,
            headers={"Vary": "HX-Request, Cookie"},
        )
    return await page(
        request,
        "desk/apply.html",
        title=f"{t['apply_title']}: {context['person']}",
        context=context,
        status_code=status,
    )


@get(f"{BASE}/{{citizen_id:int}}/apply", opt=FRONT, include_in_schema=False)
async def questionnaire(request: HTMXRequest, citizen_id: PathId) -> Response[Any]:
    actor = signed_in(request)
    response = await _render(request, actor, citizen_id, multi={}, errors={})
    await audit.read(
        actor,
        "citizen.read",
        "citizen",
        citizen_id,
        {"route": f"GET {request.url.path}", "citizen_ids": [citizen_id]},
    )
    return response


@post(f"{BASE}/{{citizen_id:int}}/apply/screen", opt=FRONT, include_in_schema=False)
async def rescreen(request: HTMXRequest, citizen_id: PathId) -> Response[Any]:
    """The verdicts for the answers so far (a fragment for htmx, else the whole page)."""
    actor = signed_in(request)
    return await _render(
        request, actor, citizen_id, multi=multi_of(await request.form()), errors={}
    )


#: The most scans one submission takes (each up to ``documents.MAX_BYTES``; the whole
#: body is capped by the server).
MAX_SCANS = 20


async def read_scans(posted: Any, lang: Lang) -> tuple[list[tuple[str, bytes]], str]:
    """The scanned documents chosen, read and checked before anything is written: the
    same checks as :func:`core.workflow.documents.attach`, named in the page's language."""
    t = texts(lang)
    files = [
        v
        for k, v in posted.multi_items()
        if k == "documents" and isinstance(v, UploadFile) and v.filename
    ]
    if len(files) > MAX_SCANS:
        return [], t["too_many_files"].format(count=MAX_SCANS)
    scans: list[tuple[str, bytes]] = []
    for upload in files:
        content = await upload.read()
        if not content:
            return [], t["file_empty"].format(name=upload.filename)
        if len(content) > documents.MAX_BYTES:
            return [], t["file_too_big"].format(name=upload.filename)
        if documents.sniff(content) is None:
            return [], t["file_kind"].format(name=upload.filename)
        scans.append((upload.filename, content))
    return scans, ""


@post(f"{BASE}/{{citizen_id:int}}/apply", opt=FRONT, include_in_schema=False)
async def submit(request: HTMXRequest, citizen_id: PathId) -> Response[Any]:
    """Check everything, then submit one application per chosen service."""
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    platform = request.app.state.platform
    posted = await request.form()
    multi = multi_of(posted)
    scans, scan_error = await read_scans(posted, lang)
    services = {s.code: s for s in await platform.services(actor.municipality_id)}
    chosen = [c for c in dict.fromkeys(multi.get("apply_for", [])) if c in services]
    confirmed = set(multi.get("confirm", []))
    errors: dict[str, str] = {}
    if scan_error:
        errors["documents"] = scan_error
    if not chosen:
        errors["apply_for"] = t["choose_a_service"]
    channel = (multi.get("channel") or [""])[-1]
    if channel not in CHANNELS:
        errors["channel"] = t["field_choice"]
    sections = sections_of(list(services.values()), lang)
    answers = forms.parse(all_fields(sections), multi)
    row = await _citizen(actor, citizen_id)
    applicant = await citizens.snapshot_with_household(row)
    checked = await screen(
        platform,
        actor.municipality_id,
        ScreeningIn(applicant=applicant, answers=answers),
        history=True,
    )
    verdict_of = {r.service: r.verdict for r in checked.results}
    bodies: dict[str, dict[str, Any]] = {}
    for code in chosen:
        service = services[code]
        names = set(service.form.__struct_fields__)
        body = {k: v for k, v in answers.items() if k in names}
        converted, problems = forms.convert(service.form, body, lang)
        for key, message in problems.items():
            errors.setdefault(key, message)
        if converted is not None:
            body = msgspec.to_builtins(converted)
        if verdict_of.get(code) == "not_eligible" and code not in confirmed:
            errors[f"confirm.{code}"] = t["confirm_needed"]
        bodies[code] = body
    if errors:
        if scans and "documents" not in errors:
            errors["documents"] = t["choose_files_again"]
        return await _render(request, actor, citizen_id, multi=multi, errors=errors, status=400)
    office_id, _ = await _office(actor)
    made: list[int] = []
    for code in chosen:
        try:
            detail = await request_flow.submit(
                platform,
                actor,
                RequestIn(
                    service_code=code,
                    citizen_id=citizen_id,
                    form=bodies[code],
                    channel=channel,  # type: ignore[arg-type]
                    office_id=office_id,
                ),
            )
        except DomainError as exc:
            if made:
                raise
            return await _render(
                request,
                actor,
                citizen_id,
                multi=multi,
                errors=forms.domain_error(exc, lang),
                status=400,
            )
        made.append(detail.id)
        for filename, content in scans:
            await documents.attach(actor, detail.id, filename, "scan", content)
        if detail.eligibility == "not_eligible":
            await audit.record(
                actor,
                "request.accept_not_eligible",
                "request",
                detail.id,
                {"service": code, "journal_number": detail.journal_number},
            )
    await queue_pages.link_from_cookie(request, actor, made, citizen_id)
    query = "&".join(f"r={i}" for i in made)
    return Redirect(f"{BASE}/{citizen_id}/submitted?{query}", status_code=303)


@get(f"{BASE}/{{citizen_id:int}}/submitted", opt=FRONT, include_in_schema=False)
async def submitted(request: HTMXRequest, citizen_id: PathId) -> Template:
    """What was just submitted: journal numbers and due dates, to tell the person."""
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    platform = request.app.state.platform
    titles = {
        s.code: s.card.title.get(lang) for s in await platform.services(actor.municipality_id)
    }
    rows = []
    for raw in request.query_params.getall("r", [])[:20]:
        if not raw.isdigit() or not 1 <= int(raw) <= 2_147_483_647:
            continue
        detail = await request_flow.read(platform, actor, int(raw))
        if detail.citizen_id != citizen_id:
            continue
        rows.append(
            {
                "id": detail.id,
                "journal_number": detail.journal_number,
                "service": titles.get(detail.service_code, detail.service_code),
                "received_on": day(detail.received_on, lang),
                "due_date": day(detail.due_date, lang),
                "eligibility": t[f"verdict_{detail.eligibility}"],
                "receipt": f"/desk/requests/{detail.id}/receipt.pdf",
                "application": f"/desk/requests/{detail.id}/application.pdf",
            }
        )
    row = await _citizen(actor, citizen_id)
    return await page(
        request,
        "desk/submitted.html",
        title=t["submitted_title"],
        context={"rows": rows, "person": citizens.full_name(row), "card": f"{BASE}/{citizen_id}"},
    )


HANDLERS = [questionnaire, rescreen, submit, submitted]
