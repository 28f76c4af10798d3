"""Piccolo table of background jobs (part of the core app): what runs, for whom, how far
it got, and whether someone asked it to stop. See :mod:`core.jobs` and docs/jobs.md."""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.db.tables import Municipality, User


class Job(Table):
    """One run of a registered job. On PostgreSQL the queue library (procrastinate) holds
    the queue and the retries; this row holds what the pages and ``hromada jobs`` show on
    either engine: state, progress, the cancel flag and the result."""

    id = Serial(primary_key=True)
    #: The registered job's name (``invoices.run``, ``rental_aids.bill``).
    name = Varchar(length=100, index=True)
    #: The job's arguments, JSON of its msgspec Struct.
    args = Text(default="{}")
    #: Two enqueues with the same key while one is queued or running give the same job.
    idempotency_key = Varchar(length=200, index=True)
    #: ``queued``, ``running``, ``done``, ``failed``, ``cancelled``.
    state = Varchar(length=16, default="queued", index=True)
    done = Integer(default=0)
    total = Integer(default=0)
    message = Text(default="")
    #: The job's own record of what it did so far (JSON), kept across retries.
    result = Text(default="{}")
    error = Text(default="")
    cancel_requested = Boolean(default=False)
    attempts = Integer(default=0)
    municipality = ForeignKey(Municipality, null=True, default=None, on_delete=OnDelete.cascade)
    created_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)


JOB_TABLES: tuple[type[Table], ...] = (Job,)
