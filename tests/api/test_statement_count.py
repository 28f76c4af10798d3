"""The statements a submission runs, counted, so the count cannot grow unnoticed: a
funeral-aid application through the API (validate, screen, journal number, store,
audit, history) and the public catalogue."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import asyncpg
import pytest

from core.db import engine as db_engine
from core.db.sqlite_kept import KeptSQLiteEngine
from core.platform import Platform
from tests.funeral import funeral_form
from tests.world import World

#: The most statements each may run (reads and writes, in and out of transactions;
#: 2026-12-01: 14 on both engines, after the municipality and its enabled plugins were
#: kept in the process; 12 on SQLite and 11 on PostgreSQL once the session was read with
#: its user and the applicant's news stopped reading back the request just written; 10
#: and 9 once the answer was built from the rows written instead of read back; 8 on
#: PostgreSQL once the journal number, the news and the audit row became one statement,
#: which with BEGIN and COMMIT made 10 sent; 2026-12-02: 9 on SQLite and 6 on PostgreSQL,
#: BEGIN and COMMIT included, once every write of a submission became that one
#: statement, committing by itself; on SQLite the number is taken before the request is
#: written instead of set on it after, and the writes run at once in the connection's
#: thread); 7 and 4 once the municipality's parameter values were kept in the process
#: as its row is, and the applicant's consent read with the applicant; 2026-12-03: 6 and
#: 3 once the earlier requests about the same subject were read with the applicant too;
#: 5 and 2 once the caller's session was kept in the process for
#: ``session_cache_seconds``: the warm-up submission reads it, the one counted does not).
#: Lower it when a change saves statements; never raise it without saying why in
#: docs/performance.md.
SUBMISSION_MOST = {"sqlite": 5, "postgres": 2}
CATALOGUE_MOST = 0


@contextmanager
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The statements run while inside, as text: on PostgreSQL every statement the
    driver is given (Piccolo's and those built once, which go to the connection
    directly, and a transaction's BEGIN and COMMIT), on SQLite every statement Piccolo's
    engine runs and those of a transaction run at once (``KeptSQLiteEngine.run_write``,
    its BEGIN and COMMIT aside, as Piccolo's transactions' are)."""
    seen: list[str] = []
    if db_engine.is_sqlite():
        kind: Any = type(db_engine.engine())
        names = ["run_querystring"]
    else:  # ``execute`` sends BEGIN and COMMIT
        kind, names = asyncpg.connection.Connection, ["fetch", "execute"]

    def counting(original: Any) -> Any:
        async def run(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append(str(query))
            return await original(self, query, *args, **kwargs)

        return run

    with monkeypatch.context() as patch:
        for name in names:
            patch.setattr(kind, name, counting(getattr(kind, name)))
        if db_engine.is_sqlite():  # and those run at once in the connection's thread
            run_write = KeptSQLiteEngine.run_write

            async def traced(self: Any, work: Any) -> Any:
                def run(connection: sqlite3.Connection) -> Any:
                    connection.set_trace_callback(seen.append)
                    try:
                        return work(connection)
                    finally:
                        connection.set_trace_callback(None)

                return await run_write(self, run)

            patch.setattr(KeptSQLiteEngine, "run_write", traced)
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
    most = SUBMISSION_MOST["sqlite" if db_engine.is_sqlite() else "postgres"]
    assert 0 < len(seen) <= most, "\n".join(seen)


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
    world: World, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once for every service, and not again while the process keeps them."""
    body = {"answers": {}, "applicant": {"disability_group": 1}}
    assert (await world.post("intake", "/api/screening", body)).status_code == 200
    platform.forget()
    for expected in (1, 0):
        with counted(monkeypatch) as seen:
            r = await world.post("intake", "/api/screening", body)
        assert r.status_code == 200
        assert len(r.json()["results"]) > 1
        reads = [s for s in seen if 'FROM "parameter_value"' in s]
        assert len(reads) == expected, "\n".join(reads)


@pytest.mark.world_plugins("funeral_aid")
async def test_a_submission_borrows_a_connection_per_statement_and_opens_none(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: each statement of a submission borrows a pooled connection and gives
    it back (none is held while another is awaited, which could exhaust the pool:
    tests/api/test_requests.py), and none of them opens one. SQLite: a warm submission
    opens no connection (the kept ones serve it)."""
    db = db_engine.engine()
    body = {"service_code": "funeral_aid.lump_sum", "citizen_id": world.citizen_id}
    warm = await world.post("intake", "/api/requests", {**body, "form": funeral_form()})
    assert warm.status_code == 201, warm.text
    taken: list[int] = []
    pool = getattr(db, "pool", None)
    kind: Any = KeptSQLiteEngine if pool is None else type(pool)
    name = "_open" if pool is None else "acquire"
    original = getattr(kind, name)

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        taken.append(1)
        return original(self, *args, **kwargs)

    form = funeral_form(deceased_first_name="Іван", death_record_number="5678")
    with monkeypatch.context() as patch:
        patch.setattr(kind, name, counting)
        r = await world.post("intake", "/api/requests", {**body, "form": form})
    assert r.status_code == 201, r.text
    assert len(taken) == (0 if pool is None else SUBMISSION_MOST["postgres"]), taken


@pytest.mark.world_plugins("funeral_aid")
async def test_a_submission_body_is_decoded_and_checked_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The strict decode (core.api.strict) is the value the handler gets: the body's
    checks (``Checked.__post_init__``) run once for it, not again in Litestar's
    conversion; a body that may hold a NUL is still decoded by Litestar and refused."""
    from core import validators

    checked: list[str] = []
    original = validators.check_tree

    def counting(value: Any, path: str) -> None:
        if path == "":
            checked.append(type(value).__name__)
        original(value, path)

    monkeypatch.setattr(validators, "check_tree", counting)
    body = {"service_code": "funeral_aid.lump_sum", "citizen_id": world.citizen_id}
    r = await world.post("intake", "/api/requests", {**body, "form": funeral_form()})
    assert r.status_code == 201, r.text
    assert checked.count("RequestIn") == 1, checked
    nul = {**body, "form": {**funeral_form(), "deceased_last_name": "Бо\x00йко"}}
    r = await world.post("intake", "/api/requests", nul)
    assert r.status_code == 400, r.text
    assert "form.deceased_last_name" in r.text
