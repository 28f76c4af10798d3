"""Which of the deployment's plugins a municipality enables: its admin chooses."""

from __future__ import annotations

import msgspec

from core.actor import Actor
from core.db.engine import write_transaction
from core.db.tables import Municipality
from core.errors import Invalid
from core.platform import Platform
from core.workflow import audit


async def set_enabled(platform: Platform, actor: Actor, plugins: list[str]) -> list[str]:
    """Enable exactly ``plugins`` (in that order) in the actor's municipality; audited."""
    unknown = [p for p in plugins if p not in platform.host.plugins]
    if unknown:
        raise Invalid(
            f"плагіни не ввімкнені в розгортанні / not enabled in this deployment: {unknown}",
            "plugins",
        )
    wanted = list(dict.fromkeys(plugins))
    async with write_transaction():
        await Municipality.update(
            {Municipality.enabled_plugins: msgspec.json.encode(wanted).decode()}
        ).where(Municipality.id == actor.municipality_id)
        await audit.record(
            actor,
            "municipality.plugins",
            "municipality",
            actor.municipality_id,
            {"plugins": wanted},
        )
    platform.forget()
    return wanted
