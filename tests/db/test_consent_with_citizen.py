"""The applicant's consent read with the applicant (one statement) is the consent
:func:`core.notify.consent.current` reads on its own: given, and none once withdrawn."""

from __future__ import annotations

from core.db import built_once
from core.db.tables import Citizen
from core.notify import consent
from tests.world import World


async def _read_with_citizen(citizen_id: int) -> consent.Consent | None:
    sql = consent.with_citizen(built_once.select_all(Citizen)) + ' WHERE "citizen"."id" = {}'
    (row,) = await built_once.fetch(Citizen, sql, citizen_id)
    assert row["id"] == citizen_id
    return consent.of_row(row)


async def test_the_consent_read_with_the_citizen_is_the_one_in_force(world: World) -> None:
    assert await _read_with_citizen(world.citizen_id) is None
    intake = world.actors["intake"]
    given = await consent.record(intake, world.citizen_id, agree=True, address="a@example.org")
    assert given is not None
    assert (
        await _read_with_citizen(world.citizen_id)
        == given
        == await consent.current(world.citizen_id)
    )
    assert await _read_with_citizen(world.other_citizen_id) is None
    await consent.record(intake, world.citizen_id, agree=False, address="")
    assert await _read_with_citizen(world.citizen_id) is None
