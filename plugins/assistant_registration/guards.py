"""Checks and locks of a registration, run inside its write transaction.

The assistant's identity row is taken first (created on first use), so two registrations
of the same assistant never run their checks at the same time on either engine; partial
unique indexes back the checks.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.sdk import Conflict, Parameters, ParameterValue, decode, numbering
from plugins.assistant_registration.forms import AssistantForm
from plugins.assistant_registration.service import PLUGIN, SERVICE
from plugins.assistant_registration.tables import (
    AssistantEntry,
    AssistantIdentity,
)

E = AssistantEntry
PREFIX = "ПМ"


async def parameters(municipality_id: int) -> Parameters:
    """The plugin's dated defaults overridden by the municipality's own values."""
    rows = await ParameterValue.select().where(ParameterValue.municipality == municipality_id)
    overrides: dict[str, list[tuple[date, Any]]] = {}
    for row in rows:
        if row["key"].startswith(PLUGIN + "."):
            overrides.setdefault(row["key"], []).append(
                (row["valid_from"], decode(row["value"], None))
            )
    return Parameters(SERVICE.parameters).overridden(overrides)


async def next_number(municipality_id: int, year: int) -> str:
    """``ПМ-<year>-<n>``: the core's number series per municipality and year."""
    n = await numbering.next_number(municipality_id, "assistant_registration.entry", year)
    return f"{PREFIX}-{year}-{n:04d}"


async def lock_assistant(municipality_id: int, key: str) -> None:
    """Take the assistant's identity row (created on first use) for this transaction."""
    await AssistantIdentity.raw(
        "INSERT INTO assistant_registration_assistant (municipality, assistant_key, "
        "registrations) VALUES ({}, {}, 0) ON CONFLICT (municipality, assistant_key) DO NOTHING",
        municipality_id,
        key,
    )
    await AssistantIdentity.raw(
        "UPDATE assistant_registration_assistant SET registrations = registrations + 1 "
        "WHERE municipality = {} AND assistant_key = {}",
        municipality_id,
        key,
    )


async def check_pair(municipality_id: int, person: int, key: str, form: AssistantForm) -> None:
    active = (
        await E.select(E.number)
        .where(
            (E.municipality == municipality_id)
            & (E.person == person)
            & (E.assistant_key == key)
            & (E.status == "active")
        )
        .first()
    )
    if active is not None:
        raise Conflict(
            f"цього помічника вже зареєстровано для особи, запис № {active['number']} / the "
            f"assistant is already registered for the person, entry No. {active['number']}",
            "assistant",
        )
    previous = form.previous_entry_number
    if previous:
        found = await E.exists().where(
            (E.municipality == municipality_id)
            & (E.number == previous)
            & (E.person == person)
            & (E.assistant_key == key)
            & (E.status == "terminated")
        )
        if not found:
            raise Conflict(
                f"припиненого запису № {previous} цієї пари не знайдено / no terminated "
                f"entry No. {previous} of this pair",
                "previous_entry_number",
            )


async def check_limit(municipality_id: int, key: str, on: date) -> None:
    limit = int((await parameters(municipality_id)).at(f"{PLUGIN}.max_persons_per_assistant", on))
    if limit <= 0:
        return
    serving = await E.count().where(
        (E.municipality == municipality_id) & (E.assistant_key == key) & (E.status == "active")
    )
    if serving >= limit:
        raise Conflict(
            f"помічник уже допомагає {serving} особам, найбільше — {limit} / the assistant "
            f"already assists {serving} persons, at most {limit} are allowed",
            "assistant",
        )
