"""A request and the rows quoting it, written with its journal number
(core.numbering.write_journaled): the markers replaced, nothing half-written, on the
engine the tests run on."""

from __future__ import annotations

import asyncio
from contextlib import nullcontext
from typing import Any

import pytest

from core import clock, numbering
from core.db import built_once
from core.db.engine import is_sqlite, write_transaction
from core.db.sqlite_kept import KeptSQLiteEngine
from core.db.tables import AuditLog, NumberSeries, Request, RequestEvent
from tests.world import World

YEAR = 2031  # a year of its own: no submission of the world numbers in it


def _request(world: World) -> dict[str, Any]:
    return {
        "municipality": world.municipality_id,
        "journal_number": numbering.NUMBER,
        "service_code": "funeral_aid.lump_sum",
        "citizen": world.citizen_id,
        "channel": "walk_in",
        "form": "{}",
        "applicant_snapshot": "{}",
        "findings": "[]",
        "parameters_used": "[]",
        "eligibility": "eligible",
        "status": "submitted",
        "received_on": clock.today(),
        "due_date": clock.today(),
    }


def _audit(world: World, action: str) -> dict[str, Any]:
    return {
        "municipality": world.municipality_id,
        "action": action,
        "subject": "request",
        "subject_id": numbering.ROW_ID,
        "details": f'{{"number": "{numbering.NUMBER}", "id": "{numbering.ROW_ID}"}}',
    }


async def _write(
    world: World, rows: list[numbering.Numbered], *, in_transaction: bool = False
) -> tuple[dict[str, Any], str]:
    """As a submission writes (on PostgreSQL one statement, on SQLite a transaction of
    its own run at once), or inside a caller's write transaction."""
    async with write_transaction() if in_transaction else nullcontext():
        return await numbering.write_journaled(
            world.municipality_id, YEAR, (Request, _request(world)), rows
        )


async def _counter(world: World) -> int | None:
    row = await (
        NumberSeries.select(NumberSeries.last_number)
        .where(
            (NumberSeries.municipality == world.municipality_id)
            & (NumberSeries.series == "journal")
            & (NumberSeries.year == YEAR)
        )
        .first()
    )
    return None if row is None else int(row["last_number"])


@pytest.mark.parametrize("in_transaction", [False, True])
async def test_the_rows_quote_the_number_and_the_requests_id(
    world: World, in_transaction: bool
) -> None:
    event = {"request": numbering.ROW_ID, "to_status": "submitted", "comment": "c"}
    rows = [(RequestEvent, event), (AuditLog, _audit(world, "test.journaled"))]
    first, number = await _write(world, rows, in_transaction=in_transaction)
    second, next_number = await _write(world, rows, in_transaction=in_transaction)

    assert (number, next_number) == (f"{YEAR}-000001", f"{YEAR}-000002")
    assert first["journal_number"] == number
    stored = await built_once.first_where(Request, '"request"."id" = {}', first["id"])
    assert stored is not None
    assert stored["journal_number"] == number
    assert {k: stored[k] for k in first} == first  # the row as written is the row stored
    history = await RequestEvent.select(RequestEvent.request).where(
        RequestEvent.request.is_in([first["id"], second["id"]])
    )
    assert sorted(h["request"] for h in history) == sorted([first["id"], second["id"]])
    audit = await AuditLog.select(AuditLog.subject_id, AuditLog.details).where(
        (AuditLog.action == "test.journaled") & (AuditLog.municipality == world.municipality_id)
    )
    assert sorted((a["subject_id"], a["details"]) for a in audit) == sorted(
        [
            (first["id"], f'{{"number": "{number}", "id": "{first["id"]}"}}'),
            (second["id"], f'{{"number": "{next_number}", "id": "{second["id"]}"}}'),
        ]
    )


@pytest.mark.parametrize("in_transaction", [False, True])
async def test_a_row_refused_writes_nothing_and_takes_no_number(
    world: World, in_transaction: bool
) -> None:
    await _write(world, [])
    assert await _counter(world) == 1
    before = await Request.count().where(Request.municipality == world.municipality_id)
    refused = {**_audit(world, "test.refused"), "action": None}  # the column is NOT NULL
    with pytest.raises(Exception, match=r"(?i)null"):
        await _write(world, [(AuditLog, refused)], in_transaction=in_transaction)
    assert await _counter(world) == 1
    assert await Request.count().where(Request.municipality == world.municipality_id) == before


async def test_the_first_row_cannot_quote_its_own_id(world: World) -> None:
    request = {**_request(world), "subject_key": str(numbering.ROW_ID)}
    with pytest.raises(ValueError, match="its own id"):
        await _write_first(world, request)


async def _write_first(world: World, request: dict[str, Any]) -> None:
    await numbering.write_journaled(world.municipality_id, YEAR, (Request, request))


async def test_a_process_sends_one_journaled_write_at_a_time(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parallel submissions of one journal reach the database one at a time from a
    process (on PostgreSQL a queue of the process in front of the counter's row; on
    SQLite the process's queue of write transactions), all numbered, gapless."""
    running, most = 0, 0

    def tracked(original: Any) -> Any:
        async def run(*args: Any, **kwargs: Any) -> Any:
            nonlocal running, most
            running += 1
            most = max(most, running)
            try:
                await asyncio.sleep(0.01)  # long enough for the others to pile up
                return await original(*args, **kwargs)
            finally:
                running -= 1

        return run

    if is_sqlite():
        monkeypatch.setattr(KeptSQLiteEngine, "run_write", tracked(KeptSQLiteEngine.run_write))
    else:
        fetch = built_once.fetch

        async def journal_fetch(table: Any, sql: str, *values: Any) -> Any:
            if sql.startswith("WITH n AS (UPDATE number_series"):
                return await tracked(fetch)(table, sql, *values)
            return await fetch(table, sql, *values)

        monkeypatch.setattr(built_once, "fetch", journal_fetch)
    written = await asyncio.gather(*[_write(world, []) for _ in range(12)])
    assert most == 1
    serials = sorted(int(number.split("-")[1]) for _, number in written)
    assert serials == list(range(1, 13))


async def test_a_write_inside_a_transaction_does_not_wait_for_the_queue(world: World) -> None:
    """A caller's transaction holds the counter's row until it commits: a second write
    of its own must not queue behind a submission that waits for that row (each would
    wait for the other)."""
    await _write(world, [])  # the year's counter row exists: the others wait for its lock
    taken = asyncio.Event()

    async def transaction_of_two() -> list[str]:
        async with write_transaction():
            _, first = await numbering.write_journaled(
                world.municipality_id, YEAR, (Request, _request(world))
            )
            taken.set()
            await asyncio.sleep(0.2)  # meanwhile a submission queues and waits
            _, second = await numbering.write_journaled(
                world.municipality_id, YEAR, (Request, _request(world))
            )
        return [first, second]

    async def submission() -> str:
        await taken.wait()
        _, number = await _write(world, [])
        return number

    both, alone = await asyncio.wait_for(
        asyncio.gather(transaction_of_two(), submission()), timeout=10
    )
    assert both == [f"{YEAR}-000002", f"{YEAR}-000003"]
    assert alone == f"{YEAR}-000004"
