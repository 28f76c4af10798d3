"""A request that loses a deadlock or a serialization race is run again inside the server
(``core.api.retry``), never answered 500; when the retries are spent, 503 with
``Retry-After``.

The races are faked (a use case raising asyncpg's errors), so this runs the same on both
engines."""

from __future__ import annotations

from typing import Any

import pytest
from asyncpg.exceptions import DeadlockDetectedError, SerializationError

from core.actor import Actor
from core.api import retry
from core.db.engine import write_transaction
from core.db.market import BudgetLine
from core.workflow.market import budget
from tests.market.flow import this_year
from tests.world import World

LINE = {
    "programme_code": "0813241",
    "economic_code": "2240",
    "name": "Соціальні послуги надавачів недержавного сектору",
    "allocation": "1000.00",
    "lump_sum_services": [],
}


def _line() -> dict[str, Any]:
    return {"year": this_year(), **LINE}


def _losing(monkeypatch: pytest.MonkeyPatch, error: Exception, times: int | None) -> dict[str, int]:
    """``budget.create`` does its work and then loses a race ``times`` times (always when
    None): the error is raised inside its transaction, which is rolled back."""
    real = budget.create
    calls = {"n": 0}

    async def create(actor: Actor, body: budget.BudgetLineIn) -> Any:
        calls["n"] += 1
        if times is not None and calls["n"] > times:
            return await real(actor, body)
        async with write_transaction():
            await real(actor, body)
            raise error

    monkeypatch.setattr(budget, "create", create)
    return calls


async def _lines(w: World) -> int:
    return await BudgetLine.count().where(BudgetLine.municipality == w.municipality_id)


async def test_a_deadlock_is_retried_with_the_same_body(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _losing(monkeypatch, DeadlockDetectedError("deadlock detected"), times=2)
    r = await world.post("accountant", "/api/budget-lines", _line())
    assert r.status_code == 201, r.text
    assert r.json()["allocated"] == "1000.00"  # the body read by the third attempt
    assert calls["n"] == 3
    assert await _lines(world) == 1  # the two lost attempts were rolled back


async def test_a_serialization_failure_is_retried(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _losing(monkeypatch, SerializationError("could not serialize access"), times=1)
    r = await world.post("accountant", "/api/budget-lines", _line())
    assert r.status_code == 201, r.text
    assert calls["n"] == 2
    assert await _lines(world) == 1


async def test_a_race_lost_every_time_is_a_503_with_retry_after(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _losing(monkeypatch, DeadlockDetectedError("deadlock detected"), times=None)
    r = await world.post("accountant", "/api/budget-lines", _line())
    assert r.status_code == 503, r.text
    assert r.headers["retry-after"] == "1"
    assert r.json()["detail"] == (
        "Базу даних зайнято паралельними змінами, повторіть / the database is busy with "
        "concurrent changes, retry shortly"
    )
    assert calls["n"] == 1 + retry.RETRIES
    assert await _lines(world) == 0


async def test_other_errors_are_not_retried(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _losing(monkeypatch, RuntimeError("a bug"), times=None)
    r = await world.post("accountant", "/api/budget-lines", _line())
    assert r.status_code == 500, r.text
    assert calls["n"] == 1
    # The same line already exists: the use case refuses it (a domain error, answered once,
    # as before; a bad allocation no longer reaches the use case, its body is refused).
    await BudgetLine(
        municipality=world.municipality_id,
        year=this_year(),
        programme_code=LINE["programme_code"],
        economic_code=LINE["economic_code"],
        name=LINE["name"],
        allocation_kop=100_000,
        lump_sum_services="[]",
    ).save()
    refused = await world.post("accountant", "/api/budget-lines", _line())
    assert refused.status_code == 409
    assert calls["n"] == 2
