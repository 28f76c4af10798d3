"""Housing and utility subsidy (житлова субсидія): CMU 848, 409 and 1156.

The formula as code with dated parameters and a full trace, the disqualifying rules, the
periods of assignment, the household's subsidy history, and monthly payments to utility
providers as deliveries the marketplace bills. The Pension Fund assigns the state
subsidy today; the plugin serves pre-screening, consultation and a local top-up
programme (the share it pays is a parameter).
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Any

import click

from core.sdk import Actor, Platform, PluginInfo, Service, Text, hookimpl


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="subsidies",
        contract=1,
        title=Text("Житлові субсидії", "Housing subsidies"),
        description=Text(
            "Розрахунок субсидії на оплату житлово-комунальних послуг з поясненням, "
            "попередня перевірка права і щомісячні виплати надавачам послуг.",
            "The housing and utility subsidy calculated with its explanation, pre-screening "
            "of the right to it, and monthly payments to utility providers.",
        ),
    )


@hookimpl
def register_services() -> list[Service]:
    from plugins.subsidies.service import SERVICE

    return [SERVICE]


@hookimpl
def register_tables() -> list[str]:
    return ["plugins.subsidies.piccolo_app"]


@hookimpl
def register_routes() -> list[Any]:
    from plugins.subsidies.routes import ROUTES

    return list(ROUTES)


@hookimpl
def prepare_demo(
    platform: Platform, actor: Actor, citizen_ids: list[int], since: date
) -> Awaitable[None]:
    from plugins.subsidies.demo import prepare

    return prepare(platform, actor, citizen_ids, since)


@hookimpl
def register_commands(cli: click.Group) -> None:
    from plugins.subsidies.commands import subsidies

    cli.add_command(subsidies)


@hookimpl
def register_pages() -> Any:
    from plugins.subsidies.pages import pages

    return pages()


@hookimpl
def register_jobs() -> list[Any]:
    from plugins.subsidies.pay_job import JOBS

    return list(JOBS)
