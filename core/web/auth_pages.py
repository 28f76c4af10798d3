"""Sign-in and sign-out pages: the same server-side session as the API's login, kept in
an HttpOnly cookie the page never shows."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import QueryParameter
from litestar.response import Redirect

from core.api.access import public, roles
from core.api.session import authenticate
from core.config import Settings
from core.schemas import ROLES
from core.web import sign_in_methods
from core.web.layout import actor_of, page, page_lang
from core.web.menus import home_of
from core.web.texts import texts
from core.workflow import audit, users

MAX_USERNAME = 150
MAX_PASSWORD = 1024
#: Why the sign-in page was opened; each has its message.
REASONS = ("expired", "required", "signed_out", "password_changed")

NextParam = Annotated[str | None, QueryParameter(name="next", required=False)]
ReasonParam = Annotated[str | None, QueryParameter(name="reason", required=False)]


def safe_next(value: object) -> str | None:
    """A page of this site to return to after sign-in; anything else (another site, a
    scheme, the API, a control character) is ignored."""
    if not isinstance(value, str) or not value or len(value) > 2000:
        return None
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    if parts.path.startswith(("/api/", "/sign-in", "/sign-out")):
        return None
    return value


def _settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state.platform.settings
    return settings


async def _form_page(
    request: Request[Any, Any, Any],
    *,
    next_page: str | None,
    username: str = "",
    errors: dict[str, str] | None = None,
    notice: str = "",
    status_code: int = 200,
    cookies: list[Cookie] | None = None,
) -> Response[Any]:
    t = texts(page_lang(request))
    return await page(
        request,
        "desk/sign_in.html",
        title=t["sign_in_title"],
        context={
            "next": next_page or "",
            "username": username,
            "errors": errors or {},
            "notice": notice,
            "methods": sign_in_methods.links(
                request.app.state.platform.host.sign_in_methods(), page_lang(request)
            ),
        },
        status_code=status_code,
        keep={"next": next_page} if next_page else None,
        cookies=cookies,
    )


@get("/sign-in", opt=public(), include_in_schema=False)
async def sign_in_page(
    request: Request[Any, Any, Any], next_page: NextParam = None, reason: ReasonParam = None
) -> Response[Any]:
    target = safe_next(next_page)
    actor = actor_of(request)
    if actor is not None:
        return Redirect(target or home_of(actor.role))
    t = texts(page_lang(request))
    settings = _settings(request)
    stale = request.cookies.get(settings.session_cookie)
    return await _form_page(
        request,
        next_page=target,
        notice=t[f"reason_{reason}"] if reason in REASONS else "",
        # A session cookie that no longer signs anyone in is dropped.
        cookies=[Cookie(key=settings.session_cookie, value="", max_age=0, path="/")]
        if stale
        else None,
    )


def _field(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


@post("/sign-in", opt=public(), include_in_schema=False, status_code=303)
async def sign_in(request: Request[Any, Any, Any]) -> Response[Any]:
    form = await request.form()
    t = texts(page_lang(request))
    username = _field(form, "username").strip()
    password = _field(form, "password")
    target = safe_next(_field(form, "next"))
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = t["username_required"]
    elif len(username) > MAX_USERNAME:
        errors["username"] = t["too_long"]
    if not password:
        errors["password"] = t["password_required"]
    elif len(password) > MAX_PASSWORD:
        errors["password"] = t["too_long"]
    actor = None
    if not errors:
        try:
            actor = await authenticate(request, username, password)
        except users.LoginRefused as exc:
            minutes = max(1, -(-exc.retry_after // 60))
            answer = await _form_page(
                request,
                next_page=target,
                username=username[:MAX_USERNAME],
                errors={"form": t[f"login_refused_{exc.reason}"].format(minutes=minutes)},
                status_code=429,
            )
            answer.headers["Retry-After"] = str(exc.retry_after)
            return answer
        if actor is None:
            errors["form"] = t["wrong_credentials"]
    if errors or actor is None:
        return await _form_page(
            request,
            next_page=target,
            username=username[:MAX_USERNAME],
            errors=errors,
            status_code=400,
        )
    return await sign_in_methods.complete(request, actor, via="page", target=target)


@post("/sign-out", opt=roles(*ROLES), include_in_schema=False, status_code=303)
async def sign_out(request: Request[Any, Any, Any]) -> Response[Any]:
    actor = actor_of(request)
    if isinstance(request.auth, str):
        await users.close_session(request.auth)
    if actor is not None:
        await audit.record(actor, "auth.logout", "user", actor.id, {"via": "page"})
    settings = _settings(request)
    return Redirect(
        "/sign-in?reason=signed_out",
        status_code=303,
        cookies=[Cookie(key=settings.session_cookie, value="", max_age=0, path="/")],
    )


HANDLERS = [sign_in_page, sign_in, sign_out]
