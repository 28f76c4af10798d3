"""Helpers the rental point's use cases share: who sees what, and small lookups."""

from __future__ import annotations

from typing import Any

from core.actor import Actor

PLUGIN = "rental_aids"


def full_name(row: dict[str, Any], prefix: str = "") -> str:
    parts = (row[f"{prefix}last_name"], row[f"{prefix}first_name"], row[f"{prefix}patronymic"])
    return " ".join(p for p in parts if p)


def own_provider(actor: Actor) -> int | None:
    """The provider a provider's user is limited to (``None`` for staff)."""
    return actor.provider_id if actor.role == "provider" else None
