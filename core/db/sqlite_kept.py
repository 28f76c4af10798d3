"""SQLite with its connections kept.

Piccolo's ``SQLiteEngine`` opens a new aiosqlite connection, and so a new thread, for
every query outside a transaction: about 1.5 ms each on this kind of machine, against
0.13 ms on a connection kept open, and a catalogue read or a submission runs several.
This engine keeps up to :data:`KEPT` such connections and lends one to each query outside
a transaction; queries inside a transaction still run on the transaction's own
connection, as before. At most :data:`KEPT` such queries run at once (the others wait
their turn): 32 requests at once would otherwise open, and close again, a connection
and a thread for every query beyond the kept ones.

A kept connection is in autocommit use: a read ends with its statement (WAL mode, so it
never blocks a writer), a write outside a transaction is committed at once, as Piccolo
does. A query is run, read and committed in one call to the connection's thread. A
connection whose statement failed is closed, not kept.

Transactions borrow a kept connection too (:class:`KeptSQLiteTransaction`) and give it
back when they end with a commit or a rollback that succeeded; a connection left inside
a transaction by a failure is closed. Their threads are daemon
threads, so a process that forgets :meth:`KeptSQLiteEngine.close_kept` still exits.
"""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory
from piccolo.table import Table

#: Connections kept open for the queries outside a transaction.
KEPT = 4

T = TypeVar("T")


class KeptSQLiteEngine(SQLiteEngine):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: Idle connections with the file each was opened on.
        self._idle: list[tuple[str, aiosqlite.Connection]] = []
        #: At most :data:`KEPT` queries outside a transaction at once, per event loop.
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def _slot(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        slot = self._slots.get(loop)
        if slot is None:
            slot = self._slots[loop] = asyncio.Semaphore(KEPT)
        return slot

    async def _open(self) -> aiosqlite.Connection:
        pending = aiosqlite.connect(**self.connection_kwargs)
        pending._thread.daemon = True  # see the module's docstring
        connection = await pending
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        async with self._slot():
            return await self._run_kept(query, args, query_type, table)

    async def _run_kept(
        self,
        query: str,
        args: list[Any] | None,
        query_type: str,
        table: type[Table] | None,
    ) -> Any:
        connection = await self._borrow()
        try:
            if query_type == "insert" and self.get_version_sync() < 3.35:
                async with connection.execute(query, args or []) as cursor:
                    assert table is not None
                    pk = await self._get_inserted_pk(cursor, table)
                    rows: Any = [{table._meta.primary_key._meta.db_column_name: pk}]
                await connection.commit()
            else:
                rows = await connection._execute(_all_rows, connection._conn, query, args or [])
        except BaseException:
            await connection.close()
            raise
        await self._give_back(connection)
        return rows

    async def run_write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in a write transaction of its own (``BEGIN IMMEDIATE`` ...
        ``COMMIT``, rolled back if it raises) on a kept connection, all of it in the
        connection's thread: the event loop hands it over once, where a transaction run
        statement by statement waits for the loop after each (and holds the file's writer
        lock meanwhile). The caller takes the process's writer lock
        (``core.db.engine.write_at_once``)."""
        connection = await self._borrow()
        try:
            result: T = await connection._execute(_immediately, connection._conn, work)
        except BaseException:
            await connection.close()
            raise
        await self._give_back(connection)
        return result

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> KeptSQLiteTransaction:
        return KeptSQLiteTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )

    async def _give_back(self, connection: aiosqlite.Connection) -> None:
        """Keep a connection that is outside any transaction, up to :data:`KEPT`."""
        if len(self._idle) < KEPT and not connection.in_transaction:
            self._idle.append((self.path, connection))
        else:
            await connection.close()

    async def _borrow(self) -> aiosqlite.Connection:
        """An idle connection to the engine's file, or a new one (one kept for another
        file, the engine's path having changed, is closed)."""
        while self._idle:
            path, connection = self._idle.pop()
            if path == self.path:
                return connection
            await connection.close()
        return await self._open()

    async def close_kept(self) -> None:
        """Close the connections kept (at the end of a process's database use)."""
        while self._idle:
            await self._idle.pop()[1].close()


class KeptSQLiteTransaction(SQLiteTransaction):
    """Piccolo's SQLite transaction on a kept connection instead of a new one."""

    engine: KeptSQLiteEngine

    async def get_connection(self) -> aiosqlite.Connection:
        return await self.engine._borrow()

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        ended = False
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
            ended = True
        finally:
            if ended:
                await self.engine._give_back(self.connection)
            else:
                await self.connection.close()
            self.engine.current_transaction.reset(self.context)
        return exception is None


def _all_rows(connection: sqlite3.Connection, query: str, args: list[Any]) -> list[Any]:
    """Run ``query`` and read its rows, committing what it wrote, all in the connection's
    thread: one hand-over from the event loop instead of one each to execute, fetch,
    close the cursor and commit (each costs a wake of the thread and of the loop)."""
    cursor = connection.execute(query, args)
    try:
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if connection.in_transaction:
        connection.commit()
    return rows


def _immediately(connection: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    connection.execute("BEGIN IMMEDIATE")
    try:
        result = work(connection)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return result
