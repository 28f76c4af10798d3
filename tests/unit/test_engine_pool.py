"""A pooled PostgreSQL connection is given back without asyncpg's reset query
(``core.db.engine._returned``), which is right only while no code leaves anything on the
session: a session-level advisory lock, a ``LISTEN``, a setting changed for the session
or a cursor held past its transaction. This test reads the core's and the built-in
plugins' code for any of them; a change that needs one must restore the reset query."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: What would outlive a statement on a connection given back to the pool.
SESSION_STATE = {
    "a session-level advisory lock": re.compile(r"pg_(try_)?advisory_lock(_shared)?\s*\(", re.I),
    "LISTEN": re.compile(r"['\"]\s*LISTEN\s", re.I),
    "a setting changed for the session": re.compile(
        r"['\"]\s*SET\s+(SESSION\s+)?(?!LOCAL\b)[a-z_.]+\s*(=|TO\b)|set_config\([^)]*false", re.I
    ),
    "a cursor held past its transaction": re.compile(r"WITH\s+HOLD", re.I),
}


def _sources() -> list[Path]:
    return sorted([*(ROOT / "core").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")])


def test_no_code_leaves_state_on_a_pooled_session() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{n}: {what}"
        for path in _sources()
        if path.name != "test_engine_pool.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for what, pattern in SESSION_STATE.items()
        if pattern.search(line)
    ]
    assert not found, "\n".join(found)


def test_the_patterns_find_what_they_look_for() -> None:
    samples = {
        "a session-level advisory lock": "SELECT pg_advisory_lock(1, 2)",
        "LISTEN": "await conn.execute('LISTEN jobs')",
        "a setting changed for the session": "execute(\"SET work_mem = '64MB'\")",
        "a cursor held past its transaction": "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
    }
    for what, sample in samples.items():
        assert SESSION_STATE[what].search(sample), what
    assert not SESSION_STATE["a session-level advisory lock"].search("pg_advisory_xact_lock(1)")
    assert not SESSION_STATE["a setting changed for the session"].search(
        "SELECT set_config('pg_trgm.similarity_threshold', $1, true)"
    )
    assert not SESSION_STATE["a setting changed for the session"].search(
        "\"SET LOCAL lock_timeout = '5s'\""
    )
