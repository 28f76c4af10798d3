"""Errors on the pages are pages, in the reader's language; the API keeps its JSON.

:func:`with_pages` wraps the API's exception handlers (``core.api.errors.HANDLERS``):
each still decides the status (a locked database is a 503 with ``Retry-After``, a domain
"not found" a 404, …) and logs what it logs; when the request was for a page rather than
the API, the answer becomes an HTML page with that status:

- 401 (no session, or an expired one): a redirect to the sign-in page with a message and
  ``next`` back to the page (for htmx, an ``HX-Redirect``);
- 400, 403, 404, 405, 409, 413, 429, 500, 503 and the rest: the error page, saying what
  happened and where to go, with the domain's own message where it has one in both
  languages; a refused form token (CSRF) has its own message;
- a page the handler made itself (the database-outage page of ``core.api.outage``) is
  kept, with the pages' security headers added.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from litestar import MediaType, Request, Response
from litestar.datastructures import Cookie
from litestar.exceptions import HTTPException
from litestar.response import Redirect, Template

from core.errors import DomainError
from core.web.auth_pages import safe_next
from core.web.csrf import FormRefused
from core.web.layout import SECURITY_HEADERS, frame, page_lang
from core.web.texts import pick, texts

log = logging.getLogger("hromada.web")

ExceptionHandler = Callable[[Request[Any, Any, Any], Any], Response[Any]]

#: Paths that answer JSON whatever the client accepts.
JSON_PREFIXES = ("/api/", "/schema", "/healthz")
_DEFAULT_SESSION_COOKIE = "hromada_session"

_FALLBACK = (
    '<!doctype html><html lang="uk"><head><meta charset="utf-8"><title>Помилка / Error'
    "</title></head><body><main><h1>Помилка / Error {status}</h1><p>Спробуйте ще раз "
    'пізніше. / Try again later.</p><p><a href="/">Громада / Hromada</a></p></main>'
    "</body></html>"
)


def is_page(request: Request[Any, Any, Any]) -> bool:
    """Whether the request was for a page (HTML), not for the API (JSON)."""
    path = request.scope.get("path", "")
    if path == "/api" or path.startswith(JSON_PREFIXES):
        return False
    accept = request.headers.get("accept", "").lower()
    return not ("json" in accept and "text/html" not in accept)


def _session_cookie(request: Request[Any, Any, Any]) -> str:
    platform = getattr(request.app.state, "platform", None)
    name = getattr(getattr(platform, "settings", None), "session_cookie", None)
    return name if isinstance(name, str) else _DEFAULT_SESSION_COOKIE


def _htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def _here(request: Request[Any, Any, Any]) -> str | None:
    """The page to come back to after signing in."""
    if _htmx(request):
        current = request.headers.get("hx-current-url", "")
    elif request.method in ("GET", "HEAD"):
        query = request.scope.get("query_string", b"").decode("latin-1")
        return safe_next(request.url.path + (f"?{query}" if query else ""))
    else:
        current = request.headers.get("referer", "")
    parts = urlsplit(current)
    if parts.netloc and parts.netloc != request.headers.get("host", ""):
        return None
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))


def sign_in_redirect(request: Request[Any, Any, Any]) -> Response[Any]:
    cookie = _session_cookie(request)
    had_session = bool(request.cookies.get(cookie))
    params = {"reason": "expired" if had_session else "required"}
    here = _here(request)
    if here:
        params["next"] = here
    lang = request.query_params.get("lang")
    if lang in ("uk", "en"):
        params["lang"] = lang
    location = "/sign-in?" + urlencode(params)
    # ``max_age=0`` drops a session cookie that no longer signs anyone in.
    drop = [Cookie(key=cookie, value="", max_age=0, path="/")] if had_session else None
    if _htmx(request):
        return Response(
            content=b"", status_code=401, headers={"HX-Redirect": location}, cookies=drop
        )
    return Redirect(location, status_code=303, cookies=drop)


def _detail(exc: Exception, status: int, lang: str) -> str:
    """The domain's own message (a card or a record not found, a conflict), when it is
    written in both languages; the framework's and the guard's messages are not shown."""
    if status >= 500 or not isinstance(exc, DomainError):
        return ""
    chosen = pick(exc.message, lang)
    return "" if chosen == exc.message else chosen


def _problems(body: Any, lang: str) -> list[str]:
    extra = body.get("extra") if isinstance(body, dict) else None
    if not isinstance(extra, list):
        return []
    out = []
    for item in extra[:20]:
        if isinstance(item, dict) and isinstance(item.get("message"), str):
            key = item.get("key")
            message = pick(item["message"], lang)
            out.append(f"{key}: {message}" if isinstance(key, str) and key else message)
    return out


def error_page(
    request: Request[Any, Any, Any], exc: Exception, answer: Response[Any]
) -> Response[Any]:
    status = answer.status_code or _status_of(exc)
    if status == 401:
        return sign_in_redirect(request)
    lang = page_lang(request)
    t = texts(lang)
    if isinstance(exc, FormRefused):
        key = "csrf"
    elif f"error_title_{status}" in t:
        key = str(status)
    else:
        key = "500" if status >= 500 else "400"
    context, cookies = frame(request, title=t[f"error_title_{key}"])
    context.update(
        # An unknown address is answered before the session is looked at: with a session
        # cookie, "home" (/desk) is the way back, not "sign in".
        has_session=bool(request.cookies.get(_session_cookie(request))),
        status=status,
        message=t[f"error_text_{key}"],
        detail=_detail(exc, status, lang),
        problems=_problems(answer.content, lang) if status == 400 else [],
    )
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-store"}
    if answer.headers.get("Retry-After"):
        headers["Retry-After"] = answer.headers["Retry-After"]
    template = "desk/error.html"
    if _htmx(request):
        # Shown in place of the page's main content (the layout's htmx configuration
        # swaps 4xx and 5xx answers in).
        template = "desk/_error.html"
        headers.update({"HX-Retarget": "#main", "HX-Reswap": "innerHTML"})
    engine = request.app.template_engine
    if engine is None:
        raise RuntimeError("the application has no template engine")
    html = engine.get_template(template).render(**context)
    return Response(
        content=html,
        status_code=status,
        media_type=MediaType.HTML,
        headers=headers,
        cookies=cookies,
    )


def _status_of(exc: Exception) -> int:
    if isinstance(exc, HTTPException | DomainError):
        return int(exc.status_code)
    return 500


def _page_or(handler: ExceptionHandler) -> ExceptionHandler:
    def handle(request: Request[Any, Any, Any], exc: Any) -> Response[Any]:
        answer = handler(request, exc)
        if not is_page(request):
            return answer
        if isinstance(answer, Template) or str(answer.media_type or "").startswith("text/html"):
            # The handler made a page itself (the outage page of ``core.api.outage``).
            for name, value in SECURITY_HEADERS.items():
                answer.headers.setdefault(name, value)
            answer.headers.setdefault("Cache-Control", "no-store")
            return answer
        try:
            return error_page(request, exc, answer)
        except Exception:
            log.exception("error page for %s failed", request.url.path)
            return Response(
                content=_FALLBACK.format(status=answer.status_code or _status_of(exc)),
                status_code=answer.status_code or _status_of(exc),
                media_type=MediaType.HTML,
            )

    return handle


def with_pages(handlers: Mapping[Any, ExceptionHandler]) -> dict[Any, ExceptionHandler]:
    """The same handlers, answering pages with HTML."""
    return {kind: _page_or(handler) for kind, handler in handlers.items()}
