"""Registration of an assistant of a capable person (помічник), Civil Code art. 78.

One free service (the person applies; the guardianship body decides) and the register of
assistants: an entry with a number and a PDF certificate of the assistant is made when a
request is approved, and terminated on the person's or assistant's request, the
person's death or incapacity.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Any

from core.sdk import Actor, Event, PluginInfo, Service, Text, hookimpl


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="assistant_registration",
        contract=1,
        title=Text("Помічник дієздатної особи", "Assistant of a capable person"),
        description=Text(
            "Реєстрація помічника дієздатної особи (ст. 78 ЦК України), реєстр помічників "
            "і посвідчення помічника.",
            "Registering the assistant of a capable person (Civil Code art. 78), the "
            "register of assistants and the assistant's certificate.",
        ),
    )


@hookimpl
def register_services() -> list[Service]:
    from plugins.assistant_registration.service import SERVICE

    return [SERVICE]


@hookimpl
def register_tables() -> list[str]:
    return ["plugins.assistant_registration.piccolo_app"]


@hookimpl
def register_routes() -> list[Any]:
    from plugins.assistant_registration.routes import ROUTES

    return list(ROUTES)


@hookimpl
def on_event(event: Event) -> None:
    from plugins.assistant_registration.events import handle

    handle(event)


@hookimpl
def prepare_demo(actor: Actor, citizen_ids: list[int], since: date) -> Awaitable[None]:
    from plugins.assistant_registration.demo import prepare

    return prepare(actor, citizen_ids, since)


@hookimpl
def register_pages() -> Any:
    from plugins.assistant_registration.pages import pages

    return pages()
