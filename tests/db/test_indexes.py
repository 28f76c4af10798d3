"""The indexes every submission writes: those of the request and of the outbox, named,
so that one more (a column's ``index=True``, a migration's) cannot be added unnoticed.
Each is read by a query; docs/performance.md says what each submission's index costs."""

from __future__ import annotations

import pytest

from core.db import engine as db_engine
from core.platform import Platform

EXPECTED = {
    "request": {
        "ix_request_due",  # the overdue list
        "ix_request_newest",  # every list of a municipality, newest first
        "ix_request_queue",  # the work queue by status and term
        "ix_request_service_queue",  # the same for one service
        "ix_request_subject",  # the duplicate check of every submission
        "request_citizen",  # a citizen's requests
        "uq_request_journal",  # the journal number, unique in the municipality
    },
    "outbox_message": {
        "ix_outbox_due",  # the messages due to be sent
        "ix_outbox_request",  # a request's messages, on its page
    },
}


@pytest.mark.parametrize("table", sorted(EXPECTED))
async def test_the_tables_a_submission_writes_have_only_the_indexes_read(
    platform: Platform, table: str
) -> None:
    found = await (_sqlite(table) if db_engine.is_sqlite() else _postgres(table))
    assert found == EXPECTED[table]


async def _sqlite(table: str) -> set[str]:
    from core.db.tables import Request

    found = await Request.raw(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = {} "
        "AND name NOT LIKE 'sqlite_autoindex%'",
        table,
    )
    return {row["name"] for row in found}


async def _postgres(table: str) -> set[str]:
    from core.db.tables import Request

    found = await Request.raw(
        "SELECT indexname FROM pg_indexes WHERE tablename = {} AND indexname NOT LIKE '%_pkey'",
        table,
    )
    return {row["indexname"] for row in found}
