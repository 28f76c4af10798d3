"""The frame every staff page shares: language, header, menu, security headers.

``templates/desk/layout.html`` is the one base template; :func:`page` fills what it
needs (the language and its switch, the signed-in user, the role's menu, the form token)
and returns the rendered page with the cookies it has to set.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException
from litestar.response import Template

from core.actor import Actor
from core.web import csrf
from core.web.menus import home_of, menu_for
from core.web.plugin_pages import menu_entries, mount_point
from core.web.texts import ROLE_LABELS, Lang, label, texts

#: The cookie that keeps a person's choice of language (``?lang=uk|en`` sets it).
LANG_COOKIE = "hromada_lang"
_YEAR = 365 * 24 * 3600

#: Headers of every page: nothing but our own files may run or be loaded, no other site
#: may frame a page, and the browser must not guess content types.
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _chosen(value: str | None) -> Lang | None:
    if value == "uk":
        return "uk"
    if value == "en":
        return "en"
    return None


def page_lang(connection: ASGIConnection[Any, Any, Any, Any]) -> Lang:
    """``?lang=`` wins, then the remembered choice; Ukrainian by default."""
    return (
        _chosen(connection.query_params.get("lang"))
        or _chosen(connection.cookies.get(LANG_COOKIE))
        or "uk"
    )


def lang_cookie(connection: ASGIConnection[Any, Any, Any, Any]) -> Cookie | None:
    """Remember the language when the address chose one."""
    chosen = _chosen(connection.query_params.get("lang"))
    if chosen is None or connection.cookies.get(LANG_COOKIE) == chosen:
        return None
    return Cookie(key=LANG_COOKIE, value=chosen, max_age=_YEAR, samesite="lax", path="/")


def switch_href(
    connection: ASGIConnection[Any, Any, Any, Any], to: str, keep: dict[str, str] | None = None
) -> str:
    """The current address in the other language (other query values kept)."""
    params = [(k, v) for k, v in connection.query_params.multi_items() if k != "lang"]
    params += [(k, v) for k, v in (keep or {}).items() if k not in dict(params)]
    params.append(("lang", to))
    return f"{connection.url.path}?{urlencode(params)}"


def actor_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor | None:
    user = connection.scope.get("user")
    return user if isinstance(user, Actor) else None


def signed_in(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    """The user of a page that declares roles (the access guard has let no anonymous
    request through to it)."""
    actor = actor_of(connection)
    if actor is None:
        raise NotAuthorizedException("потрібен вхід / sign-in required")
    return actor


def _extra(
    connection: ASGIConnection[Any, Any, Any, Any], actor: Actor, plugins: Iterable[str]
) -> list[tuple[str, str]]:
    """(label, href) of the menu entries plugins' pages add for the actor's role."""
    enabled = list(plugins)
    if not enabled:
        return []
    all_pages = connection.app.state.platform.host.pages()
    return [
        (entry.label.get(page_lang(connection)), mount_point(name) + entry.path)
        for name, entry in menu_entries(all_pages, enabled, actor.role)
    ]


def frame(
    connection: ASGIConnection[Any, Any, Any, Any],
    *,
    title: str,
    municipality: str = "",
    keep: dict[str, str] | None = None,
    plugins: Iterable[str] = (),
) -> tuple[dict[str, Any], list[Cookie]]:
    """The layout's context and the cookies the response must set (no database work: the
    error pages use it too). ``plugins`` are those enabled in the user's municipality,
    whose pages' menu entries are shown."""
    lang = page_lang(connection)
    other = "en" if lang == "uk" else "uk"
    t = texts(lang)
    token, csrf_cookie = csrf.form_token(connection)
    actor = actor_of(connection)
    cookies = [c for c in (csrf_cookie, lang_cookie(connection)) if c is not None]
    context: dict[str, Any] = {
        "lang": lang,
        "other": other,
        "t": t,
        "title": title,
        "municipality": municipality,
        "switch_href": switch_href(connection, other, keep),
        "csrf": token,
        "csrf_field": csrf.FIELD,
        "user": actor,
        "user_name": (actor.full_name or actor.username) if actor else "",
        "role_label": label(ROLE_LABELS, lang, actor.role) if actor else "",
        "home": home_of(actor.role) if actor else "/",
        "menu": menu_for(actor.role, lang, connection.url.path, _extra(connection, actor, plugins))
        if actor
        else [],
    }
    return context, cookies


async def municipality_name(request: Request[Any, Any, Any], lang: str) -> str:
    actor = actor_of(request)
    if actor is None:
        return ""
    muni = await request.app.state.platform.municipality(id=actor.municipality_id)
    name: str = muni.name.get(lang)
    return name


async def page(
    request: Request[Any, Any, Any],
    template: str,
    *,
    title: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    keep: dict[str, str] | None = None,
    cookies: list[Cookie] | None = None,
) -> Template:
    """A full page on the layout (or, for htmx, whatever ``template`` renders)."""
    lang = page_lang(request)
    actor = actor_of(request)
    enabled = (
        await request.app.state.platform.enabled_plugins(actor.municipality_id) if actor else []
    )
    base, own_cookies = frame(
        request,
        title=title,
        municipality=await municipality_name(request, lang),
        keep=keep,
        plugins=enabled,
    )
    return Template(
        template,
        context={**base, **(context or {})},
        status_code=status_code,
        cookies=[*own_cookies, *(cookies or [])],
        headers={"Vary": "HX-Request, Cookie"},
    )
