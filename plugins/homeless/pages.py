"""Desk pages of the register of homeless persons, mounted by the host at
``/desk/ext/homeless/`` (the ``register_pages`` hook). They call the same use cases as the
API (:mod:`plugins.homeless.register`), which audit every read of the register."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Response, get, post
from litestar.params import QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.sdk import (
    Actor,
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
from core.sdk import citizen_flow as citizens
from core.sdk import day_text as day
from plugins.homeless import register
from plugins.homeless.routes import CERTIFY, READ, REMOVE, WRITE
from plugins.homeless.schemas import RegisterIn, RemoveIn

BASE = mount_point("homeless") + "/register"
PAGE_SIZE = 25

TEXTS: dict[str, dict[str, str]] = {
    "uk": {
        "register": "Облік бездомних осіб",
        "new": "Взяти особу на облік",
        "certificate": "Довідка № {number}",
        "search": "Номер довідки",
        "search_help": "Частина номера, напр. БО-2026",
        "status": "Стан",
        "all": "Усі",
        "active": "На обліку",
        "removed": "Знято з обліку",
        "find": "Знайти",
        "none": "Записів не знайдено.",
        "found": "Знайдено: {n}",
        "person": "Особа",
        "born": "Дата народження",
        "registered_on": "Дата взяття на облік",
        "channel": "Підстава",
        "application": "Заява особи",
        "patrol_detection": "Виявлення соціальним патрулем",
        "citizen": "РНОКПП або номер особи в реєстрі громадян",
        "citizen_help": "10 цифр РНОКПП або номер картки особи; немає в реєстрі — спершу "
        "зареєструйте її у фронт-офісі",
        "citizen_unknown": "Особу не знайдено в реєстрі громадян",
        "docs": "Має документи, що посвідчують особу",
        "centre": "Місце проживання зареєстровано за адресою центру обліку",
        "notes": "Конфіденційні примітки",
        "notes_help": "Бачать лише працівники обліку",
        "save": "Взяти на облік",
        "saved": "Особу взято на облік.",
        "removed_ok": "Особу знято з обліку.",
        "remove": "Зняти з обліку",
        "reason": "Причина зняття з обліку",
        "removed_on": "Дата зняття з обліку",
        "date_help": "Порожньо — сьогодні",
        "print": "Довідка про взяття на облік",
        "print_hint": "Надрукуйте сторінку (Ctrl+P).",
        "issued_on": "Дата видачі",
        "legal_basis": "Підстава",
        "yes": "так",
        "no": "ні",
        "back": "До обліку",
        "prev": "Попередня сторінка",
        "next": "Наступна сторінка",
    },
    "en": {
        "register": "Register of homeless persons",
        "new": "Take a person on the register",
        "certificate": "Certificate No. {number}",
        "search": "Certificate number",
        "search_help": "Part of the number, e.g. БО-2026",
        "status": "Status",
        "all": "All",
        "active": "On the register",
        "removed": "Removed",
        "find": "Find",
        "none": "No entries found.",
        "found": "Found: {n}",
        "person": "Person",
        "born": "Date of birth",
        "registered_on": "Taken on record on",
        "channel": "Ground",
        "application": "The person's application",
        "patrol_detection": "Found by the social patrol",
        "citizen": "Tax number or the person's record number",
        "citizen_help": "The 10-digit tax number or the person's card number; not registered "
        "yet — register them at the front office first",
        "citizen_unknown": "No such person in the register of citizens",
        "docs": "Has identity documents",
        "centre": "Residence registered at the accounting centre's address",
        "notes": "Confidential notes",
        "notes_help": "Seen by the register's staff only",
        "save": "Take on the register",
        "saved": "The person was taken on the register.",
        "removed_ok": "The person was removed from the register.",
        "remove": "Remove from the register",
        "reason": "Reason for removal",
        "removed_on": "Date of removal",
        "date_help": "Empty — today",
        "print": "Certificate of being taken on record",
        "print_hint": "Print the page (Ctrl+P).",
        "issued_on": "Issued on",
        "legal_basis": "Legal basis",
        "yes": "yes",
        "no": "no",
        "back": "To the register",
        "prev": "Previous page",
        "next": "Next page",
    },
}

MENU = [
    MenuEntry(
        label=Text("Облік бездомних осіб", "Homeless register"),
        path="/register",
        roles=("admin", "intake", "caseworker", "auditor"),
    )
]


def _row(entry: Any, h: dict[str, str], lang: str) -> dict[str, Any]:
    return {
        "id": entry.id,
        "href": f"{BASE}/{entry.id}",
        "number": entry.certificate_number,
        "name": entry.full_name,
        "born": day(entry.birth_date, lang) if entry.birth_date else "—",
        "registered_on": day(entry.registered_on, lang),
        "channel": h.get(entry.channel, entry.channel),
        "status": h.get(entry.status, entry.status),
        "active": entry.status == "active",
        "removed_on": day(entry.removed_on, lang) if entry.removed_on else "",
    }


@get("/register", opt=READ)
async def register_list(
    request: HTMXRequest,
    certificate: Annotated[str, QueryParameter(max_length=32)] = "",
    status: Annotated[str, QueryParameter(max_length=10)] = "",
    page_number: Annotated[int, QueryParameter(name="page", ge=1, le=100_000)] = 1,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    h = TEXTS[lang]
    errors: dict[str, str] = {}
    if status not in ("", "active", "removed"):
        errors["status"] = h["status"]
    rows: list[dict[str, Any]] = []
    total = 0
    if not errors:
        found = await register.search(
            actor,
            certificate=certificate or None,
            status="active" if status == "active" else "removed" if status == "removed" else None,
            citizen_id=None,
            page=page_number,
            page_size=PAGE_SIZE,
        )
        rows = [_row(e, h, lang) for e in found.items]
        total = found.total
    keep = {"certificate": certificate, "status": status}

    def href(n: int) -> str:
        return BASE + "?" + urlencode({**{k: v for k, v in keep.items() if v}, "page": n})

    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    return await page(
        request,
        "homeless/register.html",
        title=h["register"],
        context={
            "h": h,
            "base": BASE,
            "rows": rows,
            "total": total,
            "certificate": certificate,
            "status": status,
            "errors": errors,
            "may_write": actor.role in WRITE["roles"],
            "prev_href": href(page_number - 1) if page_number > 1 else "",
            "next_href": href(page_number + 1) if page_number < pages else "",
        },
        status_code=400 if errors else 200,
    )


async def _form_page(
    request: HTMXRequest, values: dict[str, Any], errors: dict[str, str], status: int
) -> Template:
    h = TEXTS[page_lang(request)]
    return await page(
        request,
        "homeless/new.html",
        title=h["new"],
        context={"h": h, "base": BASE, "values": values, "errors": errors},
        status_code=status,
    )


@get("/register/new", opt=WRITE)
async def new_entry(
    request: HTMXRequest, citizen: Annotated[str, QueryParameter(max_length=20)] = ""
) -> Template:
    return await _form_page(request, {"citizen": citizen, "channel": "application"}, {}, 200)


async def _citizen_id(actor: Actor, text: str) -> int | None:
    """The citizen a tax number or a record number names, in the actor's municipality."""
    value = text.strip()
    if not value.isdigit():
        return None
    if len(value) == 10:
        found = await citizens.search(
            actor, q=None, tax_number=value, birth_date=None, page=1, page_size=1
        )
        if found.items:
            return int(found.items[0].id)
    return int(value) if len(value) < 10 else None


async def _form_data(request: HTMXRequest) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


@post("/register/new", opt=WRITE)
async def create_entry(request: HTMXRequest) -> Response[Any]:
    """Take the person on record; every problem comes back beside its field with what was
    typed kept, and nothing is written."""
    actor = signed_in(request)
    lang = page_lang(request)
    h = TEXTS[lang]
    data = await _form_data(request)
    values = {k: v for k, v in data.items() if k != "_csrf"}
    errors: dict[str, str] = {}
    citizen_id = await _citizen_id(actor, data.get("citizen", ""))
    if citizen_id is None:
        errors["citizen"] = h["citizen_unknown"]
    raw: dict[str, Any] = {
        "citizen_id": citizen_id or 1,
        "channel": data.get("channel", ""),
        "has_identity_documents": data.get("has_identity_documents") == "on",
        "registered_address_is_centre": data.get("registered_address_is_centre") == "on",
        "confidential_notes": data.get("confidential_notes", ""),
    }
    if data.get("registered_on", "").strip():
        raw["registered_on"] = data["registered_on"].strip()
    body, problems = forms.convert(RegisterIn, raw, lang)
    errors.update({("citizen" if k == "citizen_id" else k): v for k, v in problems.items()})
    if errors:
        return await _form_page(request, values, errors, 400)
    try:
        entry = await register.register(actor, body)
    except DomainError as exc:
        found = forms.domain_error(exc, lang)
        found = {("citizen" if k == "citizen_id" else k): v for k, v in found.items()}
        return await _form_page(request, values, found, 409 if isinstance(exc, Conflict) else 400)
    return Redirect(f"{BASE}/{entry.id}?done=saved", status_code=303)


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
    entry = await register.read(actor, entry_id)
    done = request.query_params.get("done", "")
    return await page(
        request,
        "homeless/entry.html",
        title=h["certificate"].format(number=entry.certificate_number),
        context={
            "h": h,
            "base": BASE,
            "entry": entry,
            "row": _row(entry, h, lang),
            "notice": h["saved"]
            if done == "saved"
            else h["removed_ok"]
            if done == "removed"
            else "",
            "may_remove": actor.role in REMOVE["roles"] and entry.status == "active",
            "may_certify": actor.role in CERTIFY["roles"] and entry.status == "active",
            "values": values or {},
            "errors": errors or {},
        },
        status_code=status,
    )


@get("/register/{entry_id:int}", opt=READ)
async def entry_page(request: HTMXRequest, entry_id: PathId) -> Template:
    return await _entry_page(request, entry_id)


@post("/register/{entry_id:int}/remove", opt=REMOVE)
async def remove_entry(request: HTMXRequest, entry_id: PathId) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    data = await _form_data(request)
    values = {k: v for k, v in data.items() if k != "_csrf"}
    raw: dict[str, Any] = {"reason": data.get("reason", "").strip()}
    if data.get("removed_on", "").strip():
        raw["removed_on"] = data["removed_on"].strip()
    body, errors = forms.convert(RemoveIn, raw, lang)
    if errors:
        return await _entry_page(request, entry_id, values=values, errors=errors, status=400)
    try:
        await register.remove(actor, entry_id, body)
    except DomainError as exc:
        status = 409 if isinstance(exc, Conflict) else 400
        found = forms.domain_error(exc, lang)
        return await _entry_page(request, entry_id, values=values, errors=found, status=status)
    return Redirect(f"{BASE}/{entry_id}?done=removed", status_code=303)


@get("/register/{entry_id:int}/certificate", opt=CERTIFY)
async def certificate_page(request: HTMXRequest, entry_id: PathId) -> Template:
    """The certificate of being taken on record, to print."""
    actor = signed_in(request)
    lang = page_lang(request)
    h = TEXTS[lang]
    cert = await register.certificate(request.app.state.platform, actor, entry_id)
    return await page(
        request,
        "homeless/certificate.html",
        title=h["print"],
        context={
            "h": h,
            "base": BASE,
            "entry_id": entry_id,
            "cert": cert,
            "issued_on": day(cert.issued_on, lang),
        },
    )


HANDLERS = [register_list, new_entry, create_entry, entry_page, remove_entry, certificate_page]


def pages() -> PluginPages:
    return PluginPages(
        handlers=list(HANDLERS), menu=list(MENU), templates=str(Path(__file__).parent / "templates")
    )
