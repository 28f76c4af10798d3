"""Desk pages of the register of assistants of persons with disabilities, mounted by the
host at ``/desk/ext/assistant_registration/`` (the ``register_pages`` hook). They call the
same use cases as the API (:mod:`plugins.assistant_registration.entries`, ``register``,
``certificate``), which audit every read of the register."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Response, get, post
from litestar.params import QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.sdk import (
    Conflict,
    DomainError,
    MenuEntry,
    PathId,
    PluginPages,
    Text,
    forms,
    mount_point,
    page,
    page_lang,
    signed_in,
)
from core.sdk import day_text as day
from plugins.assistant_registration import entries, register
from plugins.assistant_registration.certificate import certificate_pdf
from plugins.assistant_registration.routes import READ, WRITE
from plugins.assistant_registration.schemas import REASONS, TerminateIn

BASE = mount_point("assistant_registration") + "/register"
PAGE_SIZE = 25
#: Staff who work with the register (the citizen reads their own entries through the API).
STAFF = {"roles": tuple(r for r in READ["roles"] if r != "citizen")}

TEXTS: dict[str, dict[str, str]] = {
    "uk": {
        "register": "Реєстр помічників осіб з інвалідністю",
        "entry": "Запис № {number}",
        "person": "Особа з інвалідністю",
        "person_help": "Частина ПІБ або РНОКПП",
        "assistant": "Помічник",
        "assistant_help": "Частина ПІБ або РНОКПП помічника",
        "number": "Номер запису",
        "status": "Стан",
        "all": "Усі",
        "active": "Чинний",
        "terminated": "Припинений",
        "find": "Знайти",
        "found": "Знайдено: {n}",
        "none": "Записів не знайдено.",
        "registered_on": "Дата реєстрації",
        "born": "Дата народження",
        "tax_number": "РНОКПП",
        "address": "Адреса помічника",
        "phone": "Телефон помічника",
        "health_reason": "Підстава (стан здоров'я)",
        "request": "Звернення",
        "certificate": "Посвідчення помічника (PDF)",
        "terminate": "Припинити реєстрацію",
        "reason": "Підстава припинення",
        "choose": "— оберіть —",
        "terminated_on": "Дата припинення",
        "date_help": "Порожньо — сьогодні",
        "note": "Примітка",
        "terminated_ok": "Реєстрацію помічника припинено.",
        "back": "До реєстру",
        "prev": "Попередня сторінка",
        "next": "Наступна сторінка",
    },
    "en": {
        "register": "Register of assistants of persons with disabilities",
        "entry": "Entry No. {number}",
        "person": "Person with a disability",
        "person_help": "Part of the name or the tax number",
        "assistant": "Assistant",
        "assistant_help": "Part of the assistant's name or tax number",
        "number": "Entry number",
        "status": "Status",
        "all": "All",
        "active": "In force",
        "terminated": "Terminated",
        "find": "Find",
        "found": "Found: {n}",
        "none": "No entries found.",
        "registered_on": "Registered on",
        "born": "Date of birth",
        "tax_number": "Tax number",
        "address": "Assistant's address",
        "phone": "Assistant's phone",
        "health_reason": "Ground (state of health)",
        "request": "Request",
        "certificate": "Assistant's certificate (PDF)",
        "terminate": "Terminate the registration",
        "reason": "Ground for termination",
        "choose": "— choose —",
        "terminated_on": "Date of termination",
        "date_help": "Empty — today",
        "note": "Note",
        "terminated_ok": "The assistant's registration was terminated.",
        "back": "To the register",
        "prev": "Previous page",
        "next": "Next page",
    },
}

MENU = [
    MenuEntry(
        label=Text("Реєстр помічників", "Assistants register"),
        path="/register",
        roles=STAFF["roles"],
    )
]


def _row(entry: Any, h: dict[str, str], lang: str) -> dict[str, Any]:
    return {
        "id": entry.id,
        "href": f"{BASE}/{entry.id}",
        "number": entry.number,
        "person": entry.person_name,
        "assistant": entry.assistant_name,
        "registered_on": day(entry.registered_on, lang),
        "status": h.get(entry.status, entry.status),
        "active": entry.status == "active",
        "terminated_on": day(entry.terminated_on, lang) if entry.terminated_on else "",
    }


@get("/register", opt=STAFF)
async def register_list(
    request: HTMXRequest,
    person: Annotated[str, QueryParameter(max_length=128)] = "",
    assistant: Annotated[str, QueryParameter(max_length=128)] = "",
    number: Annotated[str, QueryParameter(max_length=32)] = "",
    status: Annotated[str, QueryParameter(max_length=12)] = "",
    page_number: Annotated[int, QueryParameter(name="page", ge=1, le=100_000)] = 1,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    h = TEXTS[lang]
    t_status = {"active": "active", "terminated": "terminated"}
    errors: dict[str, str] = {}
    if status and status not in t_status:
        errors["status"] = h["status"]
    rows: list[dict[str, Any]] = []
    total = 0
    if not errors:
        found = await entries.search(
            actor,
            person=person or None,
            assistant=assistant or None,
            person_id=None,
            request_id=None,
            number=number or None,
            status="active" if status == "active" else "terminated" if status else None,
            page=page_number,
            page_size=PAGE_SIZE,
        )
        rows = [_row(e, h, lang) for e in found.items]
        total = found.total
    keep = {"person": person, "assistant": assistant, "number": number, "status": status}

    def href(n: int) -> str:
        return BASE + "?" + urlencode({**{k: v for k, v in keep.items() if v}, "page": n})

    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    return await page(
        request,
        "assistant_registration/register.html",
        title=h["register"],
        context={
            "h": h,
            "base": BASE,
            "rows": rows,
            "total": total,
            "keep": keep,
            "errors": errors,
            "prev_href": href(page_number - 1) if page_number > 1 else "",
            "next_href": href(page_number + 1) if page_number < pages else "",
        },
        status_code=400 if errors else 200,
    )


async def _entry_page(
    request: HTMXRequest,
    entry_id: int,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    h = TEXTS[lang]
    entry = await entries.read(actor, entry_id)
    return await page(
        request,
        "assistant_registration/entry.html",
        title=h["entry"].format(number=entry.number),
        context={
            "h": h,
            "base": BASE,
            "entry": entry,
            "row": _row(entry, h, lang),
            "person_born": day(entry.person_birth_date, lang) if entry.person_birth_date else "—",
            "assistant_born": day(entry.assistant_birth_date, lang),
            "reasons": [(code, words.get(lang)) for code, words in REASONS.items()],
            "notice": h["terminated_ok"] if request.query_params.get("done") == "1" else "",
            "may_terminate": actor.role in WRITE["roles"] and entry.status == "active",
            "values": values or {},
            "errors": errors or {},
        },
        status_code=status,
    )


@get("/register/{entry_id:int}", opt=STAFF)
async def entry_page(request: HTMXRequest, entry_id: PathId) -> Template:
    return await _entry_page(request, entry_id)


@get("/register/{entry_id:int}/certificate.pdf", opt=STAFF)
async def certificate(request: HTMXRequest, entry_id: PathId) -> Response[bytes]:
    """The assistant's certificate, the same PDF the API gives (audited by the use case)."""
    _, content, _ = await certificate_pdf(request.app.state.platform, signed_in(request), entry_id)
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="assistant-{entry_id}.pdf"'},
    )


@post("/register/{entry_id:int}/terminate", opt=WRITE)
async def terminate_entry(request: HTMXRequest, entry_id: PathId) -> Response[Any]:
    """Terminate; a problem comes back beside its field with what was typed kept."""
    actor = signed_in(request)
    lang = page_lang(request)
    data = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    values = {k: v for k, v in data.items() if k != "_csrf"}
    raw: dict[str, Any] = {"note": data.get("note", "")}
    if data.get("reason"):
        raw["reason"] = data["reason"]
    if data.get("terminated_on", "").strip():
        raw["terminated_on"] = data["terminated_on"].strip()
    body, errors = forms.convert(TerminateIn, raw, lang)
    if errors:
        return await _entry_page(request, entry_id, values=values, errors=errors, status=400)
    try:
        await register.terminate(actor, entry_id, body)
    except DomainError as exc:
        status = 409 if isinstance(exc, Conflict) else 400
        found = forms.domain_error(exc, lang)
        return await _entry_page(request, entry_id, values=values, errors=found, status=status)
    return Redirect(f"{BASE}/{entry_id}?done=1", status_code=303)


HANDLERS = [register_list, entry_page, certificate, terminate_entry]


def pages() -> PluginPages:
    return PluginPages(
        handlers=list(HANDLERS), menu=list(MENU), templates=str(Path(__file__).parent / "templates")
    )
