"""Support for homeless persons (підтримка бездомних осіб): Law No. 2623-IV of 02.06.2005.

Seven services bought from providers under the social order (night stay, hot meals,
hygiene, documents, legal consultations, social patrol, referrals for reintegration) and
the municipality's register of homeless persons that entitles a person to them.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Any

from core.sdk import Actor, PluginInfo, Service, Text, hookimpl


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="homeless",
        contract=1,
        title=Text("Підтримка бездомних осіб", "Homeless support"),
        description=Text(
            "Облік бездомних осіб і соціальні послуги для них, придбані в надавачів за "
            "соціальним замовленням.",
            "The register of homeless persons and the social services bought for them from "
            "providers under the social order.",
        ),
    )


@hookimpl
def register_services() -> list[Service]:
    from plugins.homeless.service import SERVICES

    return list(SERVICES)


@hookimpl
def prepare_demo(actor: Actor, citizen_ids: list[int], since: date) -> Awaitable[None]:
    from plugins.homeless.demo import prepare

    return prepare(actor, citizen_ids, since)


@hookimpl
def register_tables() -> list[str]:
    return ["plugins.homeless.piccolo_app"]


@hookimpl
def register_routes() -> list[Any]:
    from plugins.homeless.routes import ROUTES

    return list(ROUTES)


@hookimpl
def register_pages() -> Any:
    from plugins.homeless.pages import pages

    return pages()
