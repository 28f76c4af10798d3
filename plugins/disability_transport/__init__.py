"""Social taxi (соціальне таксі): transport of persons with disabilities by carriers under
the social order.

A person registers once (one request of ``disability_transport.registration``); once the
registration is approved and assigned to a carrier's contract, each trip is a booking with
a vehicle of that carrier. A completed trip, a no-show or a late cancellation becomes one
billable delivery, priced by the contract's tariff.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Any

from core.sdk import Actor, Platform, PluginInfo, Service, Text, hookimpl

# The kinds of messages to the rider, registered at import (the admin rewords them).
from plugins.disability_transport import notices as _notices  # noqa: F401


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="disability_transport",
        contract=1,
        title=Text("Соціальне таксі", "Social taxi"),
        description=Text(
            "Перевезення осіб з інвалідністю автомобілями з пандусом чи підйомником: "
            "реєстрація, бронювання поїздок, розклад автомобілів і оплата перевізникам.",
            "Transport of persons with disabilities in vehicles with a ramp or lift: "
            "registration, trip bookings, vehicle schedules and payment of carriers.",
        ),
    )


@hookimpl
def register_services() -> list[Service]:
    from plugins.disability_transport.service import SERVICE

    return [SERVICE]


@hookimpl
def register_tables() -> list[str]:
    return ["plugins.disability_transport.piccolo_app"]


@hookimpl
def register_routes() -> list[Any]:
    from plugins.disability_transport.routes import ROUTES

    return list(ROUTES)


@hookimpl
def register_pages() -> Any:
    from plugins.disability_transport.pages import pages

    return pages()


@hookimpl
def prepare_demo(
    platform: Platform, actor: Actor, citizen_ids: list[int], since: date
) -> Awaitable[None]:
    from plugins.disability_transport.demo import prepare

    return prepare(platform, actor, citizen_ids, since)


@hookimpl
def register_jobs() -> list[Any]:
    from plugins.disability_transport.notices import JOBS

    return list(JOBS)


@hookimpl
def report_waiting(municipality_id: int, start: date, end: date) -> Awaitable[list[Any]]:
    """Riders refused a trip by a cap in the period, for the coverage report."""
    from plugins.disability_transport.waiting import waiting

    return waiting(municipality_id, start, end)
