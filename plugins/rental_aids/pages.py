"""Desk pages of the rental point, mounted by the host at ``/desk/ext/rental_aids/`` (the
``register_pages`` hook): the inventory by device type and state, the loans (issuing one
with its act of handover, the overdue ones), a loan with its extension and its return
(condition, damage, the act of return), the waiting list with its positions, and the
month's billing (:mod:`plugins.rental_aids.bill_page`). They call
the same use cases as the API (:mod:`plugins.rental_aids.loans`,
:mod:`~plugins.rental_aids.inventory`, :mod:`~plugins.rental_aids.waiting`); every read of
personal data is audited here, as the host's declaration audits the API's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Response, get, post
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.sdk import (
    Conflict,
    DomainError,
    Lang,
    MenuEntry,
    PathId,
    PluginPages,
    Text,
    audit,
    forms,
    mount_point,
    page,
    page_lang,
    signed_in,
)
from core.sdk import day_text as day
from plugins.rental_aids import inventory, loans, waiting
from plugins.rental_aids.act_pdf import act_pdf
from plugins.rental_aids.routes import DESK, LOAN, READ
from plugins.rental_aids.schemas import ExtendIn, IssueIn, LoanOut, ReturnIn

BASE = mount_point("rental_aids")
#: The loans, items and queue a rental point's page shows at once.
PAGE_SIZE = 500
CONDITIONS = ("new", "good", "fair", "worn", "damaged")
STATES = ("available", "on_loan", "in_repair", "written_off")

TEXTS: dict[str, dict[str, str]] = {
    "uk": {
        "loans": "Пункт прокату: видачі",
        "inventory": "Пункт прокату: засоби",
        "waiting": "Пункт прокату: черга",
        "billing": "Пункт прокату: рахунок за місяць",
        "loan": "Видача № {id}",
        "issue": "Видати засіб",
        "request_id": "Номер звернення",
        "request_help": "Звернення, схвалене й передане пункту прокату",
        "item_id": "Засіб",
        "issued_on": "Дата видачі",
        "date_help": "Порожньо — сьогодні",
        "condition": "Стан",
        "condition_issue_help": "Порожньо — стан за обліком",
        "as_recorded": "за обліком",
        "handover_note": "Примітка до акта",
        "no_free": "Вільних засобів немає: поставте звернення в чергу.",
        "active_loans": "Видані засоби: {n}",
        "overdue": "Прострочені повернення: {n}",
        "none": "Немає.",
        "person": "Особа",
        "journal": "Номер у журналі",
        "device": "Засіб",
        "due_on": "Повернути до",
        "days_overdue": "Прострочено днів: {n}",
        "status": "Стан видачі",
        "active": "видано",
        "returned": "повернуто",
        "deposit": "Застава, грн",
        "extensions": "Продовжень",
        "act": "Акт приймання-передачі (PDF)",
        "act_return": "Акт приймання-передачі та повернення (PDF)",
        "extend": "Продовжити строк",
        "conclusion_number": "Номер нового висновку",
        "conclusion_date": "Дата висновку",
        "days": "Днів",
        "days_help": "Порожньо — звичайний строк",
        "give_back": "Прийняти повернення",
        "damage_noted": "Є пошкодження",
        "damage_note": "Опис пошкодження",
        "beyond_normal_wear": "Пошкодження понад звичайне зношення",
        "damage_charge": "Сума відшкодування, грн",
        "damage_charge_help": "Порожньо — за залишковою вартістю",
        "cleaning_done": "Засіб очищено",
        "returned_on": "Дата повернення",
        "returned_cond": "Стан при поверненні",
        "charge_due": "До сплати за пошкодження, грн",
        "issued_ok": "Засіб видано.",
        "queued_ok": "Засіб уже видали іншій особі: звернення поставлено в чергу.",
        "extended_ok": "Строк продовжено.",
        "returned_ok": "Повернення прийнято.",
        "types": "Засоби за типами",
        "type_counts": "{name}: усього {n}",
        "inventory_number": "Інвентарний номер",
        "serial": "Серійний номер",
        "location": "Місце",
        "available": "вільний",
        "on_loan": "виданий",
        "in_repair": "у ремонті",
        "written_off": "списаний",
        "new": "новий",
        "good": "добрий",
        "fair": "задовільний",
        "worn": "зношений",
        "damaged": "пошкоджений",
        "queue": "Черга: {n}",
        "position": "Місце в черзі",
        "priority": "Пріоритет",
        "requested_on": "Дата звернення",
        "offered": "Запропоновано засіб",
        "yes": "так",
        "no": "ні",
        "to_loans": "До видач",
    },
    "en": {
        "loans": "Rental point: loans",
        "inventory": "Rental point: items",
        "waiting": "Rental point: waiting list",
        "billing": "Rental point: month's billing",
        "loan": "Loan No. {id}",
        "issue": "Issue an item",
        "request_id": "Request number",
        "request_help": "A request approved and assigned to the rental point",
        "item_id": "Item",
        "issued_on": "Issued on",
        "date_help": "Empty — today",
        "condition": "Condition",
        "condition_issue_help": "Empty — as recorded",
        "as_recorded": "as recorded",
        "handover_note": "Note for the act",
        "no_free": "No item is free: put the request on the waiting list.",
        "active_loans": "Items on loan: {n}",
        "overdue": "Overdue returns: {n}",
        "none": "None.",
        "person": "Person",
        "journal": "Journal number",
        "device": "Item",
        "due_on": "Due on",
        "days_overdue": "Days overdue: {n}",
        "status": "Loan status",
        "active": "on loan",
        "returned": "returned",
        "deposit": "Deposit, UAH",
        "extensions": "Extensions",
        "act": "Act of handover (PDF)",
        "act_return": "Act of handover and return (PDF)",
        "extend": "Extend the term",
        "conclusion_number": "New conclusion number",
        "conclusion_date": "Conclusion date",
        "days": "Days",
        "days_help": "Empty — the usual term",
        "give_back": "Take the item back",
        "damage_noted": "Damage noted",
        "damage_note": "Description of the damage",
        "beyond_normal_wear": "Damage beyond normal wear",
        "damage_charge": "Charge, UAH",
        "damage_charge_help": "Empty — the residual value",
        "cleaning_done": "Item cleaned",
        "returned_on": "Returned on",
        "returned_cond": "Condition at return",
        "charge_due": "Owed for the damage, UAH",
        "issued_ok": "The item was issued.",
        "queued_ok": "The item was just issued to someone else: the request is on the waiting "
        "list.",
        "extended_ok": "The term was extended.",
        "returned_ok": "The return was taken.",
        "types": "Items by type",
        "type_counts": "{name}: {n} in all",
        "inventory_number": "Inventory number",
        "serial": "Serial number",
        "location": "Place",
        "available": "free",
        "on_loan": "on loan",
        "in_repair": "in repair",
        "written_off": "written off",
        "new": "new",
        "good": "good",
        "fair": "fair",
        "worn": "worn",
        "damaged": "damaged",
        "queue": "Waiting: {n}",
        "position": "Place in the queue",
        "priority": "Priority",
        "requested_on": "Requested on",
        "offered": "Item offered",
        "yes": "yes",
        "no": "no",
        "to_loans": "To the loans",
    },
}

MENU = [
    MenuEntry(
        label=Text("Пункт прокату", "Rental point"),
        path="/loans",
        roles=READ["roles"],
    )
]
LOANS_DONE = ("issued_ok", "queued_ok")
LOAN_DONE = ("issued_ok", "extended_ok", "returned_ok")


def _route(request: HTMXRequest) -> str:
    return f"GET {request.url.path}"


async def _form(request: HTMXRequest) -> dict[str, str]:
    data = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return {k: v for k, v in data.items() if k != "_csrf"}


def _refused(exc: DomainError, lang: Lang, fields: tuple[str, ...], other: str) -> dict[str, str]:
    """The use case's refusal beside its field, or above the form it came from."""
    found = forms.domain_error(exc, lang)
    return {(k if k in fields else other): v for k, v in found.items()}


def _status(exc: DomainError) -> int:
    return 409 if isinstance(exc, Conflict) else int(getattr(exc, "status_code", 400))


def _loan_row(loan: LoanOut, h: dict[str, str], lang: str) -> dict[str, Any]:
    return {
        "loan": loan,
        "href": f"{BASE}/loans/{loan.id}",
        "title": h["loan"].format(id=loan.id),
        "issued_on": day(loan.issued_on, lang),
        "due_on": day(loan.due_on, lang),
        "returned_on": day(loan.returned_on, lang) if loan.returned_on else "",
        "status": h.get(loan.status, loan.status),
        "condition": h.get(loan.condition_at_issue, loan.condition_at_issue),
        "returned_cond": h.get(loan.condition_at_return, loan.condition_at_return),
    }


async def _loans_page(
    request: HTMXRequest,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    h = TEXTS[lang]
    active, total = await loans.listing(
        actor, status="active", overdue=False, citizen_id=None, page=1, page_size=PAGE_SIZE
    )
    late, late_total = await loans.listing(
        actor, status=None, overdue=True, citizen_id=None, page=1, page_size=PAGE_SIZE
    )
    details = {"route": _route(request)}
    await audit.read(
        actor,
        "rental_aids.loan.list",
        LOAN,
        None,
        {**details, "citizen_ids": sorted({x.citizen_id for x in active})},
    )
    await audit.read(
        actor,
        "rental_aids.loan.overdue",
        LOAN,
        None,
        {**details, "citizen_ids": sorted({x.citizen_id for x in late})},
    )
    free, _ = await inventory.list_items(
        actor, device_code=None, status="available", page=1, page_size=PAGE_SIZE
    )
    done = request.query_params.get("done", "")
    return await page(
        request,
        "rental_aids/loans.html",
        title=h["loans"],
        context={
            "h": h,
            "base": BASE,
            "rows": [_loan_row(x, h, lang) for x in active],
            "total": total,
            "late": [_loan_row(x, h, lang) for x in late],
            "late_total": late_total,
            "free": [
                {"id": i.id, "label": f"{i.inventory_number} — {i.device_name.get(lang)}"}
                for i in free
                if i.offered_to is None
            ],
            "conditions": [(c, h[c]) for c in CONDITIONS],
            "notice": h[done] if done in LOANS_DONE else "",
            "may_issue": actor.role in DESK["roles"],
            "values": values or {},
            "errors": errors or {},
        },
        status_code=status,
    )


@get("/loans", opt=READ)
async def loans_page(request: HTMXRequest) -> Template:
    """The items on loan, the overdue ones and the form to issue an item."""
    return await _loans_page(request)


ISSUE_FIELDS = ("request_id", "item_id", "issued_on", "condition", "handover_note")


@post("/loans", opt=DESK)
async def issue_loan(request: HTMXRequest) -> Response[Any]:
    """Issue the item (queued when it was just taken and none is free); a refusal comes
    back beside its field with what was typed kept."""
    actor = signed_in(request)
    lang = page_lang(request)
    data = await _form(request)
    raw: dict[str, Any] = {
        "request_id": data.get("request_id", "").strip(),
        "item_id": data.get("item_id", "").strip(),
        "handover_note": data.get("handover_note", ""),
        "queue_if_taken": True,
    }
    for key in ("issued_on", "condition"):
        if data.get(key, "").strip():
            raw[key] = data[key].strip()
    body, errors = forms.convert(IssueIn, raw, lang)
    if errors:
        return await _loans_page(request, values=data, errors=errors, status=400)
    try:
        out, issued = await loans.issue_or_wait(request.app.state.platform, actor, body)
    except DomainError as exc:
        found = _refused(exc, lang, ISSUE_FIELDS, "form")
        return await _loans_page(request, values=data, errors=found, status=_status(exc))
    if not issued:
        return Redirect(f"{BASE}/waiting?done=queued_ok", status_code=303)
    return Redirect(f"{BASE}/loans/{out.id}?done=issued_ok", status_code=303)


async def _loan_page(
    request: HTMXRequest,
    loan_id: int,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    h = TEXTS[lang]
    loan = await loans.read(actor, loan_id)
    await audit.read(
        actor,
        "rental_aids.loan.read",
        LOAN,
        loan_id,
        {"route": _route(request), "citizen_ids": [loan.citizen_id]},
    )
    done = request.query_params.get("done", "")
    return await page(
        request,
        "rental_aids/loan.html",
        title=h["loan"].format(id=loan.id),
        context={
            "h": h,
            "base": BASE,
            "row": _loan_row(loan, h, lang),
            "loan": loan,
            "act": loan.handover_act.get(lang),
            "conditions": [(c, h[c]) for c in CONDITIONS],
            "notice": h[done] if done in LOAN_DONE else "",
            "may_change": actor.role in DESK["roles"] and loan.status == "active",
            "values": values or {},
            "errors": errors or {},
        },
        status_code=status,
    )


@get("/loans/{loan_id:int}", opt=READ)
async def loan_page(request: HTMXRequest, loan_id: PathId) -> Template:
    return await _loan_page(request, loan_id)


@get("/loans/{loan_id:int}/act.pdf", opt=READ)
async def loan_act(request: HTMXRequest, loan_id: PathId) -> Response[bytes]:
    """The act of handover (and of return), the same PDF the API gives (audited by the use
    case)."""
    content, _ = await act_pdf(signed_in(request), loan_id)
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="rental-act-{loan_id}.pdf"'},
    )


EXTEND_FIELDS = ("conclusion_number", "conclusion_date", "days")


@post("/loans/{loan_id:int}/extend", opt=DESK)
async def extend_loan(request: HTMXRequest, loan_id: PathId) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    data = await _form(request)
    raw: dict[str, Any] = {
        "conclusion_number": data.get("conclusion_number", "").strip(),
        "conclusion_date": data.get("conclusion_date", "").strip(),
    }
    if data.get("days", "").strip():
        raw["days"] = data["days"].strip()
    body, errors = forms.convert(ExtendIn, raw, lang)
    if errors:
        return await _loan_page(request, loan_id, values=data, errors=errors, status=400)
    try:
        await loans.extend(request.app.state.platform, actor, loan_id, body)
    except DomainError as exc:
        found = _refused(exc, lang, EXTEND_FIELDS, "extend")
        return await _loan_page(request, loan_id, values=data, errors=found, status=_status(exc))
    return Redirect(f"{BASE}/loans/{loan_id}?done=extended_ok", status_code=303)


RETURN_FIELDS = ("condition", "damage_note", "damage_charge", "returned_on", "beyond_normal_wear")


@post("/loans/{loan_id:int}/return", opt=DESK)
async def return_loan(request: HTMXRequest, loan_id: PathId) -> Response[Any]:
    """Take the item back with its condition and damage; the act then adds the return."""
    actor = signed_in(request)
    lang = page_lang(request)
    data = await _form(request)
    raw: dict[str, Any] = {
        "condition": data.get("condition", ""),
        "damage_noted": data.get("damage_noted") == "on",
        "damage_note": data.get("damage_note", "").strip(),
        "beyond_normal_wear": data.get("beyond_normal_wear") == "on",
        "cleaning_done": data.get("cleaning_done") == "on",
    }
    for key in ("damage_charge", "returned_on"):
        if data.get(key, "").strip():
            raw[key] = data[key].strip().replace(",", ".")
    body, errors = forms.convert(ReturnIn, raw, lang)
    if errors:
        return await _loan_page(request, loan_id, values=data, errors=errors, status=400)
    try:
        await loans.give_back(request.app.state.platform, actor, loan_id, body)
    except DomainError as exc:
        found = _refused(exc, lang, RETURN_FIELDS, "return")
        return await _loan_page(request, loan_id, values=data, errors=found, status=_status(exc))
    return Redirect(f"{BASE}/loans/{loan_id}?done=returned_ok", status_code=303)


@get("/inventory", opt=READ)
async def inventory_page(request: HTMXRequest) -> Template:
    """Every item by device type, with the count in each state."""
    actor = signed_in(request)
    lang = page_lang(request)
    h = TEXTS[lang]
    types = await inventory.list_types(actor)
    items, _ = await inventory.list_items(
        actor, device_code=None, status=None, page=1, page_size=PAGE_SIZE
    )
    groups = []
    for t in types:
        own = [i for i in items if i.device_code == t.code]
        groups.append(
            {
                "code": t.code,
                "title": h["type_counts"].format(name=t.name.get(lang), n=len(own)),
                "counts": [(h[s], sum(1 for i in own if i.status == s)) for s in STATES],
                "items": [
                    {
                        "item": i,
                        "status": h.get(i.status, i.status),
                        "condition": h.get(i.condition, i.condition),
                    }
                    for i in own
                ],
            }
        )
    return await page(
        request,
        "rental_aids/inventory.html",
        title=h["inventory"],
        context={"h": h, "base": BASE, "groups": groups},
    )


@get("/waiting", opt=READ)
async def waiting_page(request: HTMXRequest) -> Template:
    """The waiting list in order of service, with each entry's place."""
    actor = signed_in(request)
    lang = page_lang(request)
    h = TEXTS[lang]
    entries = await waiting.listing(actor, device_code=None, status=None)
    live = [e for e in entries if e.status in ("waiting", "offered")]
    await audit.read(
        actor,
        "rental_aids.waiting.list",
        "rental_waiting",
        None,
        {"route": _route(request), "citizen_ids": sorted({e.citizen_id for e in live})},
    )
    done = request.query_params.get("done", "")
    return await page(
        request,
        "rental_aids/waiting.html",
        title=h["waiting"],
        context={
            "h": h,
            "base": BASE,
            "rows": [
                {
                    "e": e,
                    "priority": e.priority_label.get(lang),
                    "requested_on": day(e.requested_on, lang),
                }
                for e in live
            ],
            "notice": h[done] if done == "queued_ok" else "",
        },
    )


HANDLERS = [
    loans_page,
    issue_loan,
    loan_page,
    loan_act,
    extend_loan,
    return_loan,
    inventory_page,
    waiting_page,
]


def pages() -> PluginPages:
    from plugins.rental_aids.bill_page import HANDLERS as BILLING

    return PluginPages(
        handlers=[*HANDLERS, *BILLING],
        menu=list(MENU),
        templates=str(Path(__file__).parent / "templates"),
    )
