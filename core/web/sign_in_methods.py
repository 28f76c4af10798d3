"""Ways to sign in besides the password: the ``register_sign_in`` hook.

Every way ends in :func:`complete`, which opens the same server-side session as the
password form (an HttpOnly cookie), audits ``auth.login`` with the way it came by, and
sends the person to their home page. A plugin adds a way (the national ID gateway
through OpenID Connect, a bank ID) as a :class:`SignInMethod`:

- its ``handlers`` are mounted under ``/sign-in/ext/<plugin>/``; each must be
  ``opt=public()`` (nobody is signed in yet) and form posts need the form token;
- ``start`` is the path (under that prefix) the sign-in page links to with the method's
  label, e.g. a handler that redirects to the provider with ``state`` and ``nonce``;
- its callback verifies what the provider returned, finds the account linked to the
  identity (:func:`core.workflow.identities.user_for`, by issuer and subject) and calls
  :func:`complete`; a first-time identity is linked by the plugin's own rules
  (:func:`core.workflow.identities.link`), e.g. to the citizen with the tax number the
  gateway vouches for.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, Router
from litestar.datastructures import CacheControlHeader
from litestar.response import Redirect

from core.actor import Actor
from core.api.session import session_cookie
from core.config import Settings
from core.plugins import PluginError
from core.service import Text
from core.workflow import audit, users

#: Where the host mounts a plugin's sign-in handlers: ``/sign-in/ext/<plugin>``.
PREFIX = "/sign-in/ext"


class SignInMethod(msgspec.Struct, frozen=True, kw_only=True):
    """What ``register_sign_in`` returns."""

    #: The words of the sign-in page's link ("Увійти через Дія" / "Sign in with Diia").
    label: Text
    #: The path under the plugin's prefix that begins the sign-in (``/start``).
    start: str
    handlers: list[Any]


def mount_point(plugin: str) -> str:
    return f"{PREFIX}/{plugin}"


def check(plugin: str, method: object) -> SignInMethod:
    """The hook's answer, or a :class:`PluginError` naming what is wrong."""
    if not isinstance(method, SignInMethod):
        raise PluginError(
            plugin, "register_sign_in() must return a core.web.sign_in_methods.SignInMethod"
        )
    if not method.start.startswith("/"):
        raise PluginError(plugin, f"sign-in start {method.start!r} must start with '/'")
    return method


def routers(methods: dict[str, SignInMethod]) -> list[Router]:
    """Each plugin's sign-in handlers under ``/sign-in/ext/<plugin>``; a handler that is
    not public stops start-up."""
    from core.web import csrf
    from core.web.layout import SECURITY_HEADERS

    out = []
    for name, method in methods.items():
        router = Router(
            path=mount_point(name),
            route_handlers=list(method.handlers),
            opt=csrf.checked(),
            response_headers=SECURITY_HEADERS,
            cache_control=CacheControlHeader(no_store=True),
            include_in_schema=False,
        )
        for route in router.routes:
            for handler in getattr(route, "route_handlers", []):
                if getattr(handler, "http_methods", None) == {"OPTIONS"}:
                    continue
                if not handler.opt.get("public"):
                    raise PluginError(name, f"sign-in route {route.path} must be opt=public()")
        out.append(router)
    return out


def links(methods: dict[str, SignInMethod], lang: str) -> list[tuple[str, str]]:
    """(label, href) of each way, for the sign-in page."""
    return [(m.label.get(lang), mount_point(name) + m.start) for name, m in methods.items()]


async def complete(
    request: Request[Any, Any, Any], actor: Actor, *, via: str, target: str | None = None
) -> Response[Any]:
    """Open the session of a person whose identity was just proven, and go on to
    ``target`` (a page of this site) or their home page."""
    from core.web.menus import home_of

    settings: Settings = request.app.state.platform.settings
    token, _ = await users.open_session(actor, settings.session_ttl_seconds)
    await audit.record(actor, "auth.login", "user", actor.id, {"via": via})
    return Redirect(
        target or home_of(actor.role), status_code=303, cookies=[session_cookie(settings, token)]
    )
