"""Rental point of technical means of rehabilitation (пункт прокату ТЗР): MSP order
No. 964 of 28.09.2015.

One service (a loan of a device for temporary use), the rental point's inventory, loans
with handover and return acts, a waiting list by priority, and monthly billing of the
provider that runs the point per item-day on loan plus a cleaning fee per return.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Any

from core.sdk import Actor, Platform, PluginInfo, Service, Text, hookimpl

# The kinds of messages to the borrower, registered at import (the admin rewords them).
from plugins.rental_aids import notices as _notices  # noqa: F401


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="rental_aids",
        contract=1,
        title=Text("Пункт прокату засобів реабілітації", "Rehabilitation aids rental point"),
        description=Text(
            "Тимчасове користування кріслами колісними, ходунками, милицями, функціональними "
            "ліжками; облік предметів, прокатів, черги та оплата надавачеві за предмет-дні.",
            "Temporary use of wheelchairs, walkers, crutches, functional beds; the inventory, "
            "loans, waiting list and payment of the provider per item-day.",
        ),
    )


@hookimpl
def register_services() -> list[Service]:
    from plugins.rental_aids.service import SERVICE

    return [SERVICE]


@hookimpl
def register_tables() -> list[str]:
    return ["plugins.rental_aids.piccolo_app"]


@hookimpl
def register_routes() -> list[Any]:
    from plugins.rental_aids.routes import ROUTES

    return list(ROUTES)


@hookimpl
def register_pages() -> Any:
    from plugins.rental_aids.pages import pages

    return pages()


@hookimpl
def prepare_demo(
    platform: Platform, actor: Actor, citizen_ids: list[int], since: date
) -> Awaitable[None]:
    from plugins.rental_aids.demo import prepare

    return prepare(platform, actor, citizen_ids, since)


@hookimpl
def register_jobs() -> list[Any]:
    from plugins.rental_aids.bill_job import JOBS
    from plugins.rental_aids.notices import JOBS as NOTICES

    return [*JOBS, *NOTICES]


@hookimpl
def report_waiting(municipality_id: int) -> Awaitable[list[Any]]:
    """The waiting list today, for the coverage report's people waiting."""
    from plugins.rental_aids.waiting_report import waiting

    return waiting(municipality_id)
