"""Demo data of the plugin: a few assistants registered for demo citizens, one terminated."""

from __future__ import annotations

import random
from datetime import date

from core.sdk import Actor, Applicant, Citizen, DomainError
from plugins.assistant_registration.forms import example_form
from plugins.assistant_registration.register import terminate, write_entry
from plugins.assistant_registration.schemas import TerminateIn

#: How many of the given citizens get an assistant.
HOW_MANY = 4


async def prepare(actor: Actor, citizen_ids: list[int], since: date) -> None:
    """Register assistants for the first few citizens; terminate the last registration."""
    rng = random.Random(len(citizen_ids) * 17 + actor.municipality_id)
    made: list[int] = []
    for citizen_id in citizen_ids[:HOW_MANY]:
        row = (
            await Citizen.select(Citizen.id, Citizen.settlement)
            .where((Citizen.id == citizen_id) & (Citizen.municipality == actor.municipality_id))
            .first()
        )
        if row is None:
            continue
        person = Applicant(citizen_id=row["id"], settlement=row["settlement"])
        form = example_form(rng, person, since)
        try:
            entry_id = await write_entry(
                actor,
                actor.municipality_id,
                form,
                person=row["id"],
                on=since,
                request_id=None,
                created_by=actor.id,
            )
        except DomainError:  # already registered, or over the limit
            continue
        made.append(entry_id)
    if len(made) > 1:
        await terminate(
            actor,
            made[-1],
            TerminateIn(reason="assistant_request", note="Помічник змінив місце проживання."),
        )
