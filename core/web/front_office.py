"""The front office's citizen pages: find a person, register a new one, open their card.

Every page reads through the same use cases as the API (:mod:`core.workflow.citizens`,
:mod:`core.workflow.requests`), so it is audited and limited to the user's municipality
alike. The search filters live in the address (a link or a reload shows the same list);
with htmx the list updates as the specialist types, without it the form loads the page.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Response, get, post
from litestar.params import QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core import validators
from core.api.access import roles
from core.api.deps import PathId
from core.errors import Conflict, DomainError
from core.form_fields import FormField, describe
from core.schemas import CitizenIn, CitizenOut, CitizenPatch
from core.web import forms
from core.web.account_texts import account_texts
from core.web.citizen_form import CATEGORY_WORDS, CITIZEN_LABELS, REGISTRATION_FIELDS
from core.web.formats import day, tally
from core.web.layout import page, page_lang, signed_in
from core.web.notify_pages import consent_panel
from core.web.panels import request_row
from core.web.texts import Lang, texts
from core.workflow import audit, citizen_accounts, citizens, households
from core.workflow import requests as request_flow
from core.workflow.households import HouseholdIn

FRONT = roles("admin", "intake", "caseworker")
BASE = "/desk/front-office/citizens"
RESULTS_TARGET = "citizen-results"
PAGE_SIZE = 20
Text200 = Annotated[str, QueryParameter(max_length=200)]


def registration_fields() -> list[FormField]:
    by_name = {f.name: f for f in describe(CitizenIn, CITIZEN_LABELS)}
    return [by_name[name] for name in REGISTRATION_FIELDS]


def _person(c: CitizenOut, lang: Lang) -> dict[str, Any]:
    words = {k: v[1 if lang == "en" else 0] for k, v in CATEGORY_WORDS.items()}
    return {
        "id": c.id,
        "name": " ".join(p for p in (c.last_name, c.first_name, c.patronymic) if p),
        "birth_date": day(c.birth_date, lang) if c.birth_date else "",
        "tax_number": c.tax_number or "",
        "settlement": c.settlement,
        "address": c.address,
        "phone": c.phone,
        "email": c.email,
        "categories": [words.get(k, k) for k in c.categories],
        "disability_group": c.disability_group,
        "household_id": c.household_id,
        "href": f"{BASE}/{c.id}",
    }


@get(BASE, opt=FRONT, include_in_schema=False)
async def find_citizen(
    request: HTMXRequest,
    q: Text200 = "",
    tax_number: Annotated[str, QueryParameter(max_length=20)] = "",
    birth_date: Annotated[str, QueryParameter(max_length=20)] = "",
) -> Response[Any]:
    """Search by any part of the name, the tax number or the birth date (any together)."""
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    errors: dict[str, str] = {}
    born: date | None = None
    if birth_date:
        try:
            born = date.fromisoformat(birth_date)
        except ValueError:
            errors["birth_date"] = t["field_date"]
    tax = tax_number.strip()
    if tax and not tax.isdigit():
        errors["tax_number"] = t["tax_number_digits"]
    searched = bool(q.strip() or tax or born) and not errors
    people: list[dict[str, Any]] = []
    total, exact = 0, True
    if searched:
        found = await citizens.search(
            actor,
            q=q.strip() or None,
            tax_number=tax or None,
            birth_date=born,
            page=1,
            page_size=PAGE_SIZE,
            typo_tolerant=True,
        )
        people = [_person(c, lang) for c in found.items]
        total, exact = found.total, found.total_exact
    context = {
        "q": q,
        "tax_number": tax_number,
        "birth_date": birth_date,
        "errors": errors,
        "searched": searched,
        "people": people,
        "total": total,
        "found": tally(total, lang, exact=exact),
        "more": total > len(people),
        "new_href": f"{BASE}/new",
    }
    status = 400 if errors else 200
    htmx = request.htmx
    if htmx and htmx.target == RESULTS_TARGET and not htmx.history_restore_request:
        return Template(
            "desk/_citizen_results.html",
            context={**context, "t": t, "lang": lang},
            status_code=status,
            headers={"Vary": "HX-Request, Cookie"},
        )
    return await page(
        request,
        "desk/find_citizen.html",
        title=t["find_citizen"],
        context=context,
        status_code=status,
    )


async def _registration_page(
    request: HTMXRequest, values: dict[str, Any], errors: dict[str, str], status: int
) -> Template:
    t = texts(page_lang(request))
    return await page(
        request,
        "desk/new_citizen.html",
        title=t["register_citizen"],
        context={"fields": registration_fields(), "values": values, "errors": errors},
        status_code=status,
    )


@get(f"{BASE}/new", opt=FRONT, include_in_schema=False)
async def new_citizen(request: HTMXRequest) -> Template:
    keep = {k: request.query_params.get(k, "") for k in ("last_name", "first_name", "tax_number")}
    return await _registration_page(request, {k: v for k, v in keep.items() if v}, {}, 200)


@post(f"{BASE}/new", opt=FRONT, include_in_schema=False)
async def register_citizen(request: HTMXRequest) -> Response[Any]:
    """Register the person; on any problem the form comes back with each message beside
    its field and everything typed kept, and nothing is written."""
    actor = signed_in(request)
    lang = page_lang(request)
    multi: dict[str, list[str]] = {}
    for key, value in (await request.form()).multi_items():
        if isinstance(value, str):
            multi.setdefault(key, []).append(value)
    fields = registration_fields()
    raw = forms.parse(fields, multi)
    body, errors = forms.convert(CitizenIn, raw, lang)
    values = forms.values_of(multi)
    if errors:
        return await _registration_page(request, values, errors, 400)
    try:
        created = await citizens.create(actor, body)
    except DomainError as exc:
        status = 409 if isinstance(exc, Conflict) else 400
        return await _registration_page(request, values, forms.domain_error(exc, lang), status)
    return Redirect(f"{BASE}/{created.id}?registered=1", status_code=303)


@get(f"{BASE}/check-tax-number", opt=FRONT, include_in_schema=False)
async def check_tax_number(
    request: HTMXRequest, tax_number: Annotated[str, QueryParameter(max_length=40)] = ""
) -> Template:
    """As the specialist types: is the number well formed, and is the person already
    registered (then a link to their card instead of a second record)?"""
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    value = tax_number.strip()
    message, kind, href = "", "", ""
    if value:
        try:
            value = validators.tax_number(value)
        except DomainError:
            message, kind = (t["tax_number_invalid"] if len(value) >= 10 else ""), "error"
        else:
            found = await citizens.search(
                actor, q=None, tax_number=value, birth_date=None, page=1, page_size=1
            )
            if found.items:
                person = _person(found.items[0], lang)
                message = t["tax_number_registered"].format(name=person["name"])
                kind, href = "warn", person["href"]
            else:
                message, kind = t["tax_number_valid"], "ok"
    return Template(
        "desk/_tax_number_check.html",
        context={"message": message, "kind": kind, "href": href, "t": t, "lang": lang},
        headers={"Vary": "HX-Request, Cookie"},
    )


@get(f"{BASE}/{{citizen_id:int}}", opt=FRONT, include_in_schema=False)
async def citizen_card(request: HTMXRequest, citizen_id: PathId) -> Template:
    """The person as registered, with their household and requests, newest first."""
    return await _card(request, citizen_id)


async def card_page(
    request: HTMXRequest,
    citizen_id: int,
    *,
    notify_error: dict[str, str] | None = None,
    notify_typed: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    """The card with the consent form's error beside its field."""
    return await _card(
        request, citizen_id, notify_error=notify_error, notify_typed=notify_typed, status=status
    )


async def _card(
    request: HTMXRequest,
    citizen_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    notify_error: dict[str, str] | None = None,
    notify_typed: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    person = _person(await citizens.read(actor, citizen_id), lang)
    listed = await request_flow.listing(
        actor,
        status=None,
        service=None,
        overdue=None,
        office_id=None,
        citizen_id=citizen_id,
        page=1,
        page_size=PAGE_SIZE,
    )
    await audit.read(
        actor,
        "request.list",
        "citizen",
        citizen_id,
        {"route": f"GET {request.url.path}", "citizen_ids": [citizen_id]},
    )
    household: list[dict[str, Any]] = []
    if person["household_id"] is not None:
        found = await households.read(actor, person["household_id"])
        household = [_person(m, lang) for m in found.members if m.id != citizen_id]
    platform = request.app.state.platform
    rows = [request_row(platform, r, lang) for r in listed.items]
    return await page(
        request,
        "desk/citizen_card.html",
        title=person["name"],
        context={
            "person": person,
            "rows": rows,
            "rows_total": listed.total,
            "registered": request.query_params.get("registered") == "1",
            "household": household,
            "household_saved": request.query_params.get("household") == "1",
            "errors": errors or {},
            "values": values or {},
            "has_account": await citizen_accounts.has_account(citizen_id),
            "a": account_texts(lang),
            "n": await consent_panel(
                citizen_id,
                lang,
                action=f"{BASE}/{citizen_id}/notifications",
                staff=True,
                fallback_address=person["email"],
                fallback_phone=person["phone"],
                typed=notify_typed,
                error=notify_error,
                saved=request.query_params.get("notify") == "saved",
            ),
        },
        status_code=status,
    )


@post(f"{BASE}/{{citizen_id:int}}/household", opt=FRONT, include_in_schema=False)
async def add_to_household(request: HTMXRequest, citizen_id: PathId) -> Response[Any]:
    """Record that another registered person (found by tax number) lives and keeps house
    with this one: the person's household, made now if they have none."""
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    posted = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    tax = posted.get("member_tax_number", "").strip()
    errors: dict[str, str] = {}
    other = None
    if not tax.isdigit():
        errors["member_tax_number"] = t["tax_number_digits"]
    else:
        found = await citizens.search(
            actor, q=None, tax_number=tax, birth_date=None, page=1, page_size=1
        )
        other = found.items[0] if found.items else None
        if other is None:
            errors["member_tax_number"] = t["member_not_found"]
        elif other.id == citizen_id:
            errors["member_tax_number"] = t["member_is_self"]
    if errors or other is None:
        return await _card(request, citizen_id, errors=errors, values=posted, status=400)
    me = await citizens.read(actor, citizen_id, audited=False)
    try:
        if me.household_id is None:
            await households.create(
                actor,
                HouseholdIn(
                    settlement=me.settlement, address=me.address, member_ids=[me.id, other.id]
                ),
            )
        else:
            await citizens.update(actor, other.id, CitizenPatch(household_id=me.household_id))
    except DomainError as exc:
        return await _card(
            request, citizen_id, errors=forms.domain_error(exc, lang), values=posted, status=400
        )
    return Redirect(f"{BASE}/{citizen_id}?household=1", status_code=303)


HANDLERS = [
    find_citizen,
    new_citizen,
    register_citizen,
    check_tax_number,
    citizen_card,
    add_to_household,
]
