"""The statements a submission runs, counted, so the count cannot grow unnoticed: a
funeral-aid application through the API (validate, screen, journal number, store,
audit, history) and the public catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from core.db import engine as db_engine
from tests.funeral import funeral_form
from tests.world import World

#: The most statements each may run (reads and writes, in and out of transactions;
#: 2026-12-01: 14 on both engines, after the municipality and its enabled plugins were
#: kept in the process; 12 on SQLite and 11 on PostgreSQL once the session was read with
#: its user and the applicant's news stopped reading back the request just written).
#: Lower it when a change saves statements; never raise it without saying why in
#: docs/performance.md.
SUBMISSION_MOST = 12
CATALOGUE_MOST = 0


@contextmanager
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The statements the engine runs while inside, as text."""
    kind = type(db_engine.engine())
    seen: list[str] = []
    original = kind.run_querystring

    async def counting(self: Any, querystring: Any, in_pool: bool = True) -> Any:
        seen.append(str(querystring))
        return await original(self, querystring, in_pool=in_pool)

    with monkeypatch.context() as patch:
        patch.setattr(kind, "run_querystring", counting)
        yield seen


@pytest.mark.world_plugins("funeral_aid")
async def test_a_submission_runs_a_bounded_number_of_statements(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = {"service_code": "funeral_aid.lump_sum", "citizen_id": world.citizen_id}
    warm = await world.post("intake", "/api/requests", {**body, "form": funeral_form()})
    assert warm.status_code == 201, warm.text
    form = funeral_form(deceased_first_name="Іван", death_record_number="5678")
    with counted(monkeypatch) as seen:
        r = await world.post("intake", "/api/requests", {**body, "form": form})
    assert r.status_code == 201, r.text
    assert 0 < len(seen) <= SUBMISSION_MOST, "\n".join(seen)


@pytest.mark.world_plugins("funeral_aid")
async def test_the_catalogue_reads_nothing_while_its_municipality_is_kept(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    params = {"municipality": world.slug}
    assert (await world.get(None, "/api/services", params=params)).status_code == 200
    with counted(monkeypatch) as seen:
        r = await world.get(None, "/api/services", params=params)
    assert r.status_code == 200
    assert len(seen) <= CATALOGUE_MOST, "\n".join(seen)


async def test_a_screening_of_every_service_reads_the_parameters_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = {"answers": {}, "applicant": {"disability_group": 1}}
    assert (await world.post("intake", "/api/screening", body)).status_code == 200
    with counted(monkeypatch) as seen:
        r = await world.post("intake", "/api/screening", body)
    assert r.status_code == 200
    assert len(r.json()["results"]) > 1
    reads = [s for s in seen if 'FROM "parameter_value"' in s]
    assert len(reads) == 1, "\n".join(reads)
