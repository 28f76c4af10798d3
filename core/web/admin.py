"""The municipality admin's pages: plugins, parameters, users, offices, budget lines.

Each page writes through the same use cases as the API (:mod:`core.workflow`), so the
same checks and the same audit rows apply. A refused value comes back beside its field
with what was typed kept; a success returns to the list with a notice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
from litestar import Response, get, post
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core import clock
from core.actor import Actor
from core.api.access import roles
from core.api.deps import PathId, platform_of
from core.errors import DomainError
from core.schemas import ROLES
from core.web import forms
from core.web.formats import day, money
from core.web.layout import page, page_lang, signed_in
from core.web.texts import ROLE_LABELS, label, texts
from core.workflow import accounts, municipality_plugins, offices
from core.workflow import parameters as parameter_flow
from core.workflow.accounts import UserIn, UserPatch
from core.workflow.market import budget
from core.workflow.offices import OfficeIn

ADMIN = roles("admin")
OFFICE_KINDS = ("front_office", "remote_workplace", "back_office")


async def _posted(request: HTMXRequest) -> dict[str, list[str]]:
    multi: dict[str, list[str]] = {}
    for key, value in (await request.form()).multi_items():
        if isinstance(value, str):
            multi.setdefault(key, []).append(value)
    return multi


def _one(multi: dict[str, list[str]], key: str) -> str:
    return (multi.get(key) or [""])[-1].strip()


# ------------------------------------------------------------------ plugins
@post("/desk/admin/plugins", opt=ADMIN, include_in_schema=False)
async def save_plugins(request: HTMXRequest) -> Response[Any]:
    actor = signed_in(request)
    multi = await _posted(request)
    await municipality_plugins.set_enabled(
        request.app.state.platform, actor, multi.get("plugins", [])
    )
    return Redirect("/desk/admin?saved=1", status_code=303)


# --------------------------------------------------------------- parameters
def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "так / yes" if value else "ні / no"
    if isinstance(value, list | dict):
        return msgspec.json.encode(value).decode()
    return str(value)


async def _parameters_page(
    request: HTMXRequest,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    platform = request.app.state.platform
    titles = {
        s.code: s.card.title.get(lang) for s in await platform.services(actor.municipality_id)
    }
    rows = []
    for p in await parameter_flow.listing(platform, actor):
        rows.append(
            {
                "key": p.key,
                "service": titles.get(p.service, t["core_parameters"]),
                "today": _shown(p.in_force_today),
                "since": day(p.in_force_since, lang) if p.in_force_since else "—",
                "series": [
                    {
                        "from": day(s.valid_from, lang),
                        "value": _shown(s.value),
                        "source": t[f"source_{s.source}"],
                    }
                    for s in p.series
                ],
                "id": p.key.replace(".", "-"),
            }
        )
    return await page(
        request,
        "desk/admin_parameters.html",
        title=t["parameters"],
        context={
            "rows": rows,
            "errors": errors or {},
            "values": values or {},
            "saved": request.query_params.get("saved", ""),
            "today_iso": clock.today().isoformat(),
        },
        status_code=status,
    )


@get("/desk/admin/parameters", opt=ADMIN, include_in_schema=False)
async def parameters(request: HTMXRequest) -> Template:
    return await _parameters_page(request)


@post("/desk/admin/parameters", opt=ADMIN, include_in_schema=False)
async def set_parameter(request: HTMXRequest) -> Response[Any]:
    """Add a value from a date; the value is checked against the type of the series."""
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    multi = await _posted(request)
    key = _one(multi, "key")
    raw_from, raw_value, note = _one(multi, "valid_from"), _one(multi, "value"), _one(multi, "note")
    errors: dict[str, str] = {}
    valid_from: date | None = None
    try:
        valid_from = date.fromisoformat(raw_from)
    except ValueError:
        errors["valid_from"] = t["field_date"]
    if not raw_value:
        errors["value"] = t["field_required"]
    if len(note) > 1000:
        errors["note"] = t["too_long"]
    value: Any = raw_value
    if raw_value:
        try:
            value = msgspec.json.decode(raw_value)
        except msgspec.DecodeError:
            value = raw_value  # a plain word or a decimal typed as text
    values = {"key": key, "valid_from": raw_from, "value": raw_value, "note": note}
    if not errors and valid_from is not None:
        try:
            await parameter_flow.set_value(
                request.app.state.platform, actor, key, valid_from, value, note
            )
        except DomainError as exc:
            errors = forms.domain_error(exc, lang)
    if errors:
        return await _parameters_page(request, errors={key: errors}, values=values, status=400)
    return Redirect(f"/desk/admin/parameters?saved={key}#{key.replace('.', '-')}", status_code=303)


# -------------------------------------------------------------------- users
async def _office_options(actor: Actor) -> list[tuple[int, str]]:
    return [(o.id, o.name) for o in await offices.listing(actor.municipality_id, public_only=False)]


async def _users_page(
    request: HTMXRequest,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    office_names = dict(await _office_options(actor))
    users = [
        {
            "id": u.id,
            "username": u.username,
            "full_name": u.full_name,
            "role": label(ROLE_LABELS, lang, u.role),
            "active": u.active,
            "office": office_names.get(u.office_id or 0, "—"),
            "locked": u.locked_until is not None,
            "me": u.id == actor.id,
        }
        for u in await accounts.listing(actor)
    ]
    return await page(
        request,
        "desk/admin_users.html",
        title=t["users"],
        context={
            "users": users,
            "roles": [(r, label(ROLE_LABELS, lang, r)) for r in ROLES if r not in ("citizen",)],
            "offices": list(office_names.items()),
            "errors": errors or {},
            "values": values or {},
            "saved": request.query_params.get("saved", ""),
        },
        status_code=status,
    )


@get("/desk/admin/users", opt=ADMIN, include_in_schema=False)
async def users(request: HTMXRequest) -> Template:
    return await _users_page(request)


@post("/desk/admin/users", opt=ADMIN, include_in_schema=False)
async def create_user(request: HTMXRequest) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    multi = await _posted(request)
    raw = {k: _one(multi, k) for k in ("username", "full_name", "role", "office_id", "password")}
    values = {k: v for k, v in raw.items() if k != "password"}
    data = {k: v for k, v in raw.items() if v != ""}
    body, errors = forms.convert(UserIn, data, lang)
    if not errors:
        try:
            await accounts.create(actor, body)
        except DomainError as exc:
            errors = forms.domain_error(exc, lang)
    if errors:
        return await _users_page(request, errors=errors, values=values, status=400)
    return Redirect(f"/desk/admin/users?saved={raw['username']}", status_code=303)


@post("/desk/admin/users/{user_id:int}", opt=ADMIN, include_in_schema=False)
async def change_user(request: HTMXRequest, user_id: PathId) -> Response[Any]:
    """Deactivate, reactivate, set a new password, or release a locked account."""
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    multi = await _posted(request)
    action = _one(multi, "action")
    errors: dict[str, str] = {}
    try:
        if action == "deactivate":
            if user_id == actor.id:
                errors[f"user-{user_id}"] = t["not_yourself"]
            else:
                await accounts.update(actor, user_id, UserPatch(active=False))
        elif action == "activate":
            await accounts.update(actor, user_id, UserPatch(active=True))
        elif action == "unlock":
            await accounts.unlock(actor, user_id)
        elif action == "password":
            patch, problems = forms.convert(UserPatch, {"password": _one(multi, "password")}, lang)
            if problems:
                errors[f"user-{user_id}"] = next(iter(problems.values()))
            else:
                await accounts.update(actor, user_id, patch)
        else:
            errors[f"user-{user_id}"] = t["field_choice"]
    except DomainError as exc:
        errors[f"user-{user_id}"] = forms.humane(str(exc), lang)
    if errors:
        return await _users_page(request, errors=errors, status=400)
    return Redirect(f"/desk/admin/users?saved=user-{user_id}", status_code=303)


# ------------------------------------------------------------------ offices
async def _offices_page(
    request: HTMXRequest,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    rows = await offices.listing(actor.municipality_id, public_only=False)
    return await page(
        request,
        "desk/admin_offices.html",
        title=t["offices"],
        context={
            "offices": [
                {**msgspec.structs.asdict(o), "kind_words": t[f"office_{o.kind}"]} for o in rows
            ],
            "kinds": [(k, t[f"office_{k}"]) for k in OFFICE_KINDS],
            "errors": errors or {},
            "values": values or {},
            "saved": request.query_params.get("saved", ""),
        },
        status_code=status,
    )


@get("/desk/admin/offices", opt=ADMIN, include_in_schema=False)
async def office_list(request: HTMXRequest) -> Template:
    return await _offices_page(request)


@post("/desk/admin/offices", opt=ADMIN, include_in_schema=False)
async def create_office(request: HTMXRequest) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    multi = await _posted(request)
    values = {
        k: _one(multi, k) for k in ("name", "kind", "settlement", "address", "schedule", "phone")
    }
    body, errors = forms.convert(OfficeIn, {k: v for k, v in values.items() if v}, lang)
    if not errors:
        try:
            await offices.create(platform_of(request), actor, body)
        except DomainError as exc:
            errors = forms.domain_error(exc, lang)
    if errors:
        return await _offices_page(request, errors=errors, values=values, status=400)
    return Redirect("/desk/admin/offices?saved=1", status_code=303)


# ------------------------------------------------------------- budget lines
@get("/desk/admin/budget-lines", opt=ADMIN, include_in_schema=False)
async def budget_lines(request: HTMXRequest) -> Template:
    """Read-only here: the accountant's desk edits them."""
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    lines = [
        {
            "year": b.year,
            "codes": f"{b.programme_code} / {b.economic_code}",
            "name": b.name,
            "allocated": money(b.allocated, lang),
            "committed": money(b.committed, lang),
            "paid": money(b.paid, lang),
            "remaining": money(b.remaining, lang),
        }
        for b in await budget.figures(actor.municipality_id)
    ]
    return await page(
        request, "desk/admin_budget.html", title=t["budget_lines"], context={"lines": lines}
    )


HANDLERS = [
    save_plugins,
    parameters,
    set_parameter,
    users,
    create_user,
    change_user,
    office_list,
    create_office,
    budget_lines,
]
