"""Helpers the rental point's use cases share: who sees what, and small lookups."""

from __future__ import annotations

from typing import Any

from litestar import Request

from core.actor import Actor
from core.api.deps import actor_of, platform_of
from core.errors import NotFound

PLUGIN = "rental_aids"


async def enabled_actor(request: Request[Any, Any, Any]) -> Actor:
    """The actor, if the plugin is enabled in their municipality."""
    actor = actor_of(request)
    if PLUGIN not in await platform_of(request).enabled_plugins(actor.municipality_id):
        raise NotFound(
            "пункт прокату не ввімкнено в громаді / the rental point is not enabled in this "
            "municipality",
            "plugin",
        )
    return actor


def full_name(row: dict[str, Any], prefix: str = "") -> str:
    parts = (row[f"{prefix}last_name"], row[f"{prefix}first_name"], row[f"{prefix}patronymic"])
    return " ".join(p for p in parts if p)


def own_provider(actor: Actor) -> int | None:
    """The provider a provider's user is limited to (``None`` for staff)."""
    return actor.provider_id if actor.role == "provider" else None
