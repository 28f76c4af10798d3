"""The citizen's ways into the cabinet: a code from the front office, self-registration
with an e-mailed link, and a password reset by e-mail (rules:
:mod:`core.workflow.citizen_accounts`). Also the front office's slip with the code.

Every way ends in the same server-side session as the sign-in page; the password is one
sign-in method among those :mod:`core.web.sign_in_methods` lists.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Request, Response, get, post
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core import clock, validators
from core.api.access import public, roles
from core.api.deps import PathId, municipality_of
from core.config import Settings
from core.errors import Conflict, DomainError
from core.notify import outbox
from core.paperwork.access_slip import Slip, access_slip_pdf
from core.web import sign_in_methods
from core.web.account_texts import account_texts
from core.web.layout import page, page_lang, signed_in
from core.web.texts import texts
from core.workflow import citizen_accounts, citizens, users

FRONT = roles("admin", "intake", "caseworker")


def _t(request: Request[Any, Any, Any]) -> dict[str, str]:
    lang = page_lang(request)
    return {**texts(lang), **account_texts(lang)}


def _settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state.platform.settings
    return settings


def _field(
    t: dict[str, str],
    name: str,
    *,
    value: str = "",
    kind: str = "text",
    autocomplete: str = "",
    help_key: str = "",
    inputmode: str = "",
    maxlength: int = 128,
    nocaps: bool = False,
    required: bool = True,
) -> dict[str, Any]:
    return {
        "name": name,
        "label": t[name],
        "type": kind,
        "value": value,
        "autocomplete": autocomplete,
        "help": t[help_key] if help_key else "",
        "inputmode": inputmode,
        "maxlength": maxlength,
        "nocaps": nocaps,
        "required": required,
    }


def _password_fields(t: dict[str, str]) -> list[dict[str, Any]]:
    return [
        _field(
            t,
            "password",
            kind="password",
            autocomplete="new-password",
            help_key="password_help",
            maxlength=1024,
        ),
        _field(t, "password_repeat", kind="password", autocomplete="new-password", maxlength=1024),
    ]


async def _form(
    request: Request[Any, Any, Any],
    *,
    title: str,
    intro: str,
    action: str,
    button: str,
    fields: list[dict[str, Any]],
    errors: dict[str, str] | None = None,
    hidden: dict[str, str] | None = None,
    notice: str = "",
    links: list[tuple[str, str]] | None = None,
    status_code: int = 200,
) -> Template:
    errors = errors or {}
    first = next((f["name"] for f in fields if f["name"] in errors), "")
    return await page(
        request,
        "desk/account_form.html",
        title=title,
        context={
            "t": _t(request),
            "intro": intro,
            "action": action,
            "button": button,
            "fields": fields,
            "errors": errors,
            "first_error": first,
            "hidden": hidden or {},
            "notice": notice,
            "links": links or [],
        },
        status_code=status_code,
    )


def _value(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _date(t: dict[str, str], raw: str, errors: dict[str, str], name: str) -> date | None:
    if not raw.strip():
        errors[name] = t["field_required"]
        return None
    try:
        return validators.checked_date(date.fromisoformat(raw.strip()), name)
    except (ValueError, DomainError):
        errors[name] = t["date_bad"]
        return None


def _message(lang: str, exc: DomainError) -> str:
    uk, _, en = exc.message.partition(" / ")
    return (en or uk) if lang == "en" else uk


async def _signed_in(request: Request[Any, Any, Any], user_id: int) -> Response[Any]:
    actor = await users.actor_by_id(user_id)
    if actor is None:  # pragma: no cover - the account was just made active
        return Redirect("/sign-in")
    return await sign_in_methods.complete(request, actor, via="account")


# ---- activation with the slip's code ---------------------------------------------------


def _activate_fields(t: dict[str, str], values: dict[str, str]) -> list[dict[str, Any]]:
    return [
        _field(
            t,
            "code",
            value=values.get("code", ""),
            help_key="code_help",
            autocomplete="one-time-code",
            maxlength=20,
            nocaps=True,
        ),
        _field(
            t,
            "birth_date",
            value=values.get("birth_date", ""),
            kind="date",
            autocomplete="bday",
            maxlength=10,
        ),
        _field(
            t,
            "username",
            value=values.get("username", ""),
            help_key="username_help",
            autocomplete="username",
            maxlength=64,
            nocaps=True,
        ),
        *_password_fields(t),
    ]


async def _activate_page(
    request: Request[Any, Any, Any],
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    t = _t(request)
    return await _form(
        request,
        title=t["activate_title"],
        intro=t["activate_intro"],
        action="/cabinet/activate",
        button=t["activate_button"],
        fields=_activate_fields(t, values or {}),
        errors=errors,
        links=[(t["no_account"], "/cabinet/register")],
        status_code=status_code,
    )


@get("/cabinet/activate", opt=public(), include_in_schema=False)
async def activate_page(request: Request[Any, Any, Any]) -> Template:
    return await _activate_page(request)


@post("/cabinet/activate", opt=public(), include_in_schema=False, status_code=303)
async def activate(request: Request[Any, Any, Any]) -> Response[Any]:
    form = await request.form()
    t = _t(request)
    lang = page_lang(request)
    values = {k: _value(form, k) for k in ("code", "birth_date", "username")}
    errors: dict[str, str] = {}
    for name in ("code", "username", "password"):
        if not _value(form, name).strip():
            errors[name] = t["field_required"]
    born = _date(t, values["birth_date"], errors, "birth_date")
    if not errors:
        try:
            user_id = await citizen_accounts.activate(
                values["code"],
                born,
                values["username"].strip(),
                _value(form, "password"),
                _value(form, "password_repeat"),
            )
        except citizen_accounts.CodeRefused:
            errors["code"] = t["code_refused"]
        except Conflict as exc:
            errors.update(
                {"username": t["username_taken"]}
                if exc.field == "username"
                else {"form": t["account_exists"]}
            )
        except DomainError as exc:
            errors[exc.field or "form"] = _message(lang, exc)
        else:
            return await _signed_in(request, user_id)
    return await _activate_page(request, values, errors, status_code=400)


# ---- self-registration -------------------------------------------------------------------


def _register_fields(t: dict[str, str], values: dict[str, str]) -> list[dict[str, Any]]:
    return [
        _field(t, "last_name", value=values.get("last_name", ""), autocomplete="family-name"),
        _field(t, "first_name", value=values.get("first_name", ""), autocomplete="given-name"),
        _field(
            t,
            "patronymic",
            value=values.get("patronymic", ""),
            autocomplete="additional-name",
            required=False,
        ),
        _field(
            t,
            "birth_date",
            value=values.get("birth_date", ""),
            kind="date",
            autocomplete="bday",
            maxlength=10,
        ),
        _field(
            t,
            "email",
            value=values.get("email", ""),
            kind="email",
            help_key="email_help",
            autocomplete="email",
            inputmode="email",
            maxlength=64,
            nocaps=True,
        ),
        *_password_fields(t),
    ]


async def _register_page(
    request: Request[Any, Any, Any],
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    t = _t(request)
    slug = request.query_params.get("municipality")
    return await _form(
        request,
        title=t["register_title"],
        intro=t["register_intro"],
        action="/cabinet/register" + (f"?municipality={slug}" if slug else ""),
        button=t["register_button"],
        fields=_register_fields(t, values or {}),
        errors=errors,
        links=[(t["have_code"], "/cabinet/activate")],
        status_code=status_code,
    )


@get("/cabinet/register", opt=public(), include_in_schema=False)
async def register_page(request: Request[Any, Any, Any]) -> Template:
    await municipality_of(request, request.query_params.get("municipality"))
    return await _register_page(request)


@post("/cabinet/register", opt=public(), include_in_schema=False)
async def register(request: Request[Any, Any, Any]) -> Template:
    form = await request.form()
    t = _t(request)
    lang = page_lang(request)
    muni = await municipality_of(request, request.query_params.get("municipality"))
    names = ("last_name", "first_name", "patronymic", "birth_date", "email")
    values = {k: _value(form, k) for k in names}
    errors: dict[str, str] = {}
    for name in ("last_name", "first_name", "email", "password"):
        if not _value(form, name).strip():
            errors[name] = t["field_required"]
    born = _date(t, values["birth_date"], errors, "birth_date")
    if born is not None and born > clock.today():
        errors["birth_date"] = t["date_bad"]
    if not errors and born is not None:
        try:
            await citizen_accounts.register(
                _settings(request),
                municipality_id=muni.id,
                last_name=values["last_name"],
                first_name=values["first_name"],
                patronymic=values["patronymic"],
                birth_date=born,
                email=values["email"],
                password=_value(form, "password"),
                repeat=_value(form, "password_repeat"),
                lang=lang,
            )
        except DomainError as exc:
            errors[exc.field or "form"] = _message(lang, exc)
        else:
            outbox.kick(_settings(request))
            return await _form(
                request,
                title=t["register_sent_title"],
                intro=t["register_sent"].format(email=values["email"].strip()),
                action="",
                button="",
                fields=[],
            )
    return await _register_page(request, values, errors, status_code=400)


@get("/cabinet/confirm", opt=public(), include_in_schema=False)
async def confirm_page(request: Request[Any, Any, Any]) -> Template:
    """The link from the e-mail shows a button: a mail scanner that opens links must not
    open the account by itself."""
    t = _t(request)
    code = request.query_params.get("code", "")
    if not code or not await citizen_accounts.code_is_live("confirm", code[:100]):
        return await _dead_link(request)
    return await _form(
        request,
        title=t["confirm_title"],
        intro=t["confirm_intro"],
        action="/cabinet/confirm",
        button=t["confirm_button"],
        fields=[],
        hidden={"code": code},
    )


async def _dead_link(request: Request[Any, Any, Any]) -> Template:
    t = _t(request)
    return await _form(
        request,
        title=t["link_dead_title"],
        intro=t["link_dead"],
        action="",
        button="",
        fields=[],
        links=[(t["register_title"], "/cabinet/register"), (t["reset_title"], "/password-reset")],
        status_code=410,
    )


@post("/cabinet/confirm", opt=public(), include_in_schema=False, status_code=303)
async def confirm(request: Request[Any, Any, Any]) -> Response[Any]:
    form = await request.form()
    t = _t(request)
    try:
        user_id = await citizen_accounts.confirm(_value(form, "code")[:100])
    except citizen_accounts.CodeRefused:
        return await _dead_link(request)
    except Conflict:
        return await _form(
            request,
            title=t["confirm_title"],
            intro=t["account_exists"],
            action="",
            button="",
            fields=[],
            links=[(t["forgot_password"], "/password-reset")],
            status_code=409,
        )
    return await _signed_in(request, user_id)


# ---- password reset ------------------------------------------------------------------------


@get("/password-reset", opt=public(), include_in_schema=False)
async def reset_page(request: Request[Any, Any, Any]) -> Template:
    return await _reset_page(request)


async def _reset_page(
    request: Request[Any, Any, Any],
    email: str = "",
    errors: dict[str, str] | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Template:
    t = _t(request)
    slug = request.query_params.get("municipality")
    return await _form(
        request,
        title=t["reset_title"],
        intro=t["reset_intro"],
        action="/password-reset" + (f"?municipality={slug}" if slug else ""),
        button=t["reset_button"],
        fields=[
            _field(
                t,
                "email",
                value=email,
                kind="email",
                autocomplete="email",
                inputmode="email",
                maxlength=64,
                nocaps=True,
            )
        ],
        errors=errors,
        notice=notice,
        status_code=status_code,
    )


@post("/password-reset", opt=public(), include_in_schema=False)
async def reset_request(request: Request[Any, Any, Any]) -> Template:
    form = await request.form()
    t = _t(request)
    lang = page_lang(request)
    email = _value(form, "email")
    muni = await municipality_of(request, request.query_params.get("municipality"))
    try:
        await citizen_accounts.request_reset(
            _settings(request), municipality_id=muni.id, email=email, lang=lang
        )
    except DomainError as exc:
        return await _reset_page(
            request, email, {exc.field or "email": _message(lang, exc)}, status_code=400
        )
    outbox.kick(_settings(request))
    return await _reset_page(request, email, notice=t["reset_sent"])


def _new_password_fields(t: dict[str, str]) -> list[dict[str, Any]]:
    return _password_fields(t)


@get("/password-reset/new", opt=public(), include_in_schema=False)
async def new_password_page(request: Request[Any, Any, Any]) -> Template:
    t = _t(request)
    code = request.query_params.get("code", "")[:100]
    if not code or not await citizen_accounts.code_is_live("reset", code):
        return await _dead_link(request)
    return await _form(
        request,
        title=t["new_password_title"],
        intro="",
        action="/password-reset/new",
        button=t["new_password_button"],
        fields=_new_password_fields(t),
        hidden={"code": code},
    )


@post("/password-reset/new", opt=public(), include_in_schema=False, status_code=303)
async def new_password(request: Request[Any, Any, Any]) -> Response[Any]:
    form = await request.form()
    t = _t(request)
    lang = page_lang(request)
    code = _value(form, "code")[:100]
    try:
        await citizen_accounts.reset(
            code, _value(form, "password"), _value(form, "password_repeat")
        )
    except citizen_accounts.CodeRefused:
        return await _dead_link(request)
    except DomainError as exc:
        return await _form(
            request,
            title=t["new_password_title"],
            intro="",
            action="/password-reset/new",
            button=t["new_password_button"],
            fields=_new_password_fields(t),
            hidden={"code": code},
            errors={exc.field or "password": _message(lang, exc)},
            status_code=400,
        )
    return Redirect("/sign-in?reason=password_changed", status_code=303)


# ---- the front office's slip -------------------------------------------------------------


@post(
    "/desk/front-office/citizens/{citizen_id:int}/cabinet-code",
    opt=FRONT,
    include_in_schema=False,
    status_code=200,
)
async def cabinet_code(request: HTMXRequest, citizen_id: PathId) -> Response[Any]:
    """A new one-time code on a slip to hand over (earlier slips stop working)."""
    actor = signed_in(request)
    person = await citizens.read(actor, citizen_id)
    code = await citizen_accounts.issue_activation_code(actor, citizen_id)
    muni = await request.app.state.platform.municipality(id=actor.municipality_id)
    today = clock.today()
    slip = Slip(
        municipality=muni.name.uk,
        citizen=" ".join(p for p in (person.last_name, person.first_name, person.patronymic) if p),
        code=citizen_accounts.show_slip(code),
        issued_on=today,
        valid_until=today + timedelta(days=citizen_accounts.ACTIVATE_DAYS - 1),
        site=_settings(request).public_url.rstrip("/"),
        staff=actor.full_name or actor.username,
    )
    return Response(
        access_slip_pdf(slip),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="kabinet-{citizen_id}.pdf"',
        },
    )


HANDLERS = [
    activate_page,
    activate,
    register_page,
    register,
    confirm_page,
    confirm,
    reset_page,
    reset_request,
    new_password_page,
    new_password,
    cabinet_code,
]
