"""A process keeps a municipality's parameter values for ``cache_seconds`` (read by every
submission and screening, set a few times a year): its admin's change applies at once in
the process that made it, another process's within ``cache_seconds``."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import msgspec
import pytest

from core import clock
from core.db.tables import ParameterValue
from core.platform import Platform
from tests.funeral import funeral_form
from tests.world import World

SERVICE = "funeral_aid.lump_sum"


def _since() -> date:
    """A date a new amount applies from, after every default's."""
    return clock.today() - timedelta(days=5)


async def _amount(world: World, citizen_id: int, name: str) -> str:
    r = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": SERVICE,
            "citizen_id": citizen_id,
            "form": funeral_form(deceased_first_name=name),
        },
    )
    assert r.status_code == 201, r.text
    amount: str = r.json()["amount"]
    return amount


@pytest.mark.world_plugins("funeral_aid")
async def test_the_admins_change_applies_at_once(world: World, platform: Platform) -> None:
    assert await _amount(world, world.citizen_id, "Перший") == "3209.00"  # now kept
    r = await world.post(
        "admin",
        "/api/parameters",
        {"key": "funeral_aid.amount", "valid_from": _since().isoformat(), "value": 4100},
    )
    assert r.status_code == 201, r.text
    assert await _amount(world, world.other_citizen_id, "Другий") == "4100.00"


def _keep_for(platform: Platform, monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """This process keeps what it read for ``seconds``, starting with nothing kept."""
    monkeypatch.setattr(
        platform, "settings", msgspec.structs.replace(platform.settings, cache_seconds=seconds)
    )
    platform.forget()


async def _set_elsewhere(world: World, amount: str) -> None:
    """Another process sets the amount: straight into the table, this process not told."""
    await ParameterValue(
        municipality=world.municipality_id,
        key="funeral_aid.amount",
        valid_from=_since(),
        value=msgspec.json.encode(amount).decode(),
    ).save()


@pytest.mark.world_plugins("funeral_aid")
async def test_another_processs_change_applies_within_cache_seconds(
    world: World, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    _keep_for(platform, monkeypatch, 0.5)
    assert await _amount(world, world.citizen_id, "Перший") == "3209.00"
    await _set_elsewhere(world, "4200")
    # This process keeps its copy...
    assert await _amount(world, world.other_citizen_id, "Другий") == "3209.00"
    # ...until its time is up.
    await asyncio.sleep(0.6)
    assert await _amount(world, world.citizen_id, "Третій") == "4200.00"


@pytest.mark.world_plugins("funeral_aid")
async def test_with_no_time_to_keep_every_submission_reads_them(
    world: World, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    _keep_for(platform, monkeypatch, 0)
    assert await _amount(world, world.citizen_id, "Перший") == "3209.00"
    await _set_elsewhere(world, "4300")
    assert await _amount(world, world.other_citizen_id, "Другий") == "4300.00"
