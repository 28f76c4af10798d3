"""SQLite's kept connections (core.db.sqlite_kept): a query outside a transaction is run,
read and committed in one hand-over to the connection's thread, on a connection kept for
the next query; one whose statement failed is closed, not kept. The engine is made here
on a file of its own, whatever engine the suite runs on."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from core.db.sqlite_kept import KeptSQLiteEngine


async def test_a_query_is_one_hand_over_on_a_kept_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = KeptSQLiteEngine(path=str(tmp_path / "kept.sqlite3"))
    handed: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        handed.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    try:
        await engine.run_ddl("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
        await engine.run_ddl("INSERT INTO note (text) VALUES ('перша')")
        assert handed == ["_all_rows"]
        rows = await engine.run_ddl("SELECT id, text FROM note")
        assert rows == [{"id": 1, "text": "перша"}]
        assert handed == ["_all_rows", "_all_rows"]
        assert len(engine._idle) == 1  # the same connection, lent twice
        # the insert was committed: another connection sees it
        with sqlite3.connect(tmp_path / "kept.sqlite3") as other:
            assert other.execute("SELECT text FROM note").fetchall() == [("перша",)]
        kept = engine._idle[0][1]
        with pytest.raises(sqlite3.IntegrityError):
            await engine.run_ddl("INSERT INTO note (text) VALUES (NULL)")
        assert engine._idle == []  # closed, not kept
        assert not kept._running
        rows = await engine.run_ddl("SELECT count(*) AS n FROM note")
        assert rows == [{"n": 1}]  # a new connection; the failed insert left nothing
    finally:
        await engine.close_kept()
