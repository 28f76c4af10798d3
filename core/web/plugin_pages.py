"""Pages a plugin adds to the desk (the ``register_pages`` hook).

A plugin returns :class:`PluginPages`: its page handlers, its menu entries and the folder
of its templates. The host mounts the handlers under ``/desk/ext/<plugin>/`` with the
desk's guards (the form token, the roles each handler declares, closed with a 404 page in
a municipality that has not enabled the plugin), security headers and no-store cache; the
plugin's templates are found as ``<plugin>/<file>`` and extend ``desk/layout.html``. A
menu entry shows in the menu of its roles only where the plugin is enabled.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec
from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader
from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.plugins.htmx import HTMXRequest
from litestar.plugins.jinja import JinjaTemplateEngine

from core.api import access
from core.plugins import PluginError
from core.schemas import ROLES
from core.service import Text

#: Where the host mounts a plugin's pages: ``/desk/ext/<plugin>``.
PREFIX = "/desk/ext"


class MenuEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One entry of the desk's menu: its words, its path under the plugin's prefix
    (``/register``) and the roles whose menu shows it."""

    label: Text
    path: str
    roles: tuple[str, ...]


class PluginPages(msgspec.Struct, frozen=True, kw_only=True):
    """What ``register_pages`` returns."""

    handlers: list[Any]
    menu: list[MenuEntry] = []
    #: The folder of the plugin's templates, found as ``<plugin>/<file>``.
    templates: str | None = None


def mount_point(plugin: str) -> str:
    return f"{PREFIX}/{plugin}"


def check(plugin: str, pages: object) -> PluginPages:
    """The hook's answer, or a :class:`PluginError` naming what is wrong."""
    if not isinstance(pages, PluginPages):
        raise PluginError(
            plugin, "register_pages() must return a core.web.plugin_pages.PluginPages"
        )
    for entry in pages.menu:
        if not isinstance(entry, MenuEntry):
            raise PluginError(plugin, f"register_pages() menu entry {entry!r} is not a MenuEntry")
        if not entry.path.startswith("/"):
            raise PluginError(plugin, f"menu entry path {entry.path!r} must start with '/'")
        unknown = [r for r in entry.roles if r not in ROLES]
        if unknown or not entry.roles:
            raise PluginError(plugin, f"menu entry {entry.path!r} names unknown roles {unknown}")
    if pages.templates is not None and not Path(pages.templates).is_dir():
        raise PluginError(plugin, f"templates folder {pages.templates!r} does not exist")
    return pages


def routers(all_pages: dict[str, PluginPages]) -> list[Router]:
    """Each plugin's pages under ``/desk/ext/<plugin>``, guarded like the desk's own; a
    handler that declares no roles stops start-up."""
    from core.web import csrf
    from core.web.layout import SECURITY_HEADERS

    out = []
    for name, pages in all_pages.items():
        router = Router(
            path=mount_point(name),
            route_handlers=list(pages.handlers),
            opt={**access.enabled_by(name), **csrf.checked()},
            response_headers=SECURITY_HEADERS,
            cache_control=CacheControlHeader(no_store=True),
            request_class=HTMXRequest,
            include_in_schema=False,
        )
        for route in router.routes:
            for handler in getattr(route, "route_handlers", []):
                if getattr(handler, "http_methods", None) == {"OPTIONS"}:
                    continue
                if not handler.opt.get("roles"):
                    raise PluginError(name, f"page {route.path} declares no roles (opt=roles(...))")
        out.append(router)
    return out


def loader(all_pages: dict[str, PluginPages]) -> BaseLoader | None:
    """``<plugin>/<file>`` from each plugin's templates folder."""
    folders = {n: FileSystemLoader(p.templates) for n, p in all_pages.items() if p.templates}
    return PrefixLoader(folders) if folders else None


def add_templates(engine: JinjaTemplateEngine, all_pages: dict[str, PluginPages]) -> None:
    """Let the pages' engine find the plugins' templates after the core's own."""
    extra = loader(all_pages)
    if extra is not None:
        own = engine.engine.loader
        engine.engine.loader = ChoiceLoader([own, extra] if own else [extra])


def menu_entries(
    all_pages: dict[str, PluginPages], enabled: Iterable[str], role: str
) -> list[tuple[str, MenuEntry]]:
    """(plugin, entry) of the enabled plugins' entries for ``role``, in plugin order."""
    allowed = set(enabled)
    return [
        (name, entry)
        for name, pages in all_pages.items()
        if name in allowed
        for entry in pages.menu
        if role in entry.roles
    ]
