"""Piccolo table of the files export jobs make (part of the core app): a report's or a
payment register's XLSX or CSV, kept in the database so that any web process on any
machine serves it, until it expires. See :mod:`core.exports` and docs/jobs.md."""

from __future__ import annotations

from piccolo.columns import (
    Bytea,
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

from core.db.jobs import Job
from core.db.tables import Municipality, User


class ExportFile(Table):
    """One exported file: who asked for it, in which municipality, what it is, until when
    it is kept. The job that made it is unique: a retried job stores its file once."""

    id = Serial(primary_key=True)
    job = ForeignKey(Job, null=True, default=None, on_delete=OnDelete.set_null)
    #: ``report`` or ``register`` (whose access the download requires).
    kind = Varchar(length=20)
    #: The export's arguments (JSON of :class:`core.exports.ExportArgs`).
    params = Text(default="{}")
    filename = Varchar(length=200)
    content_type = Varchar(length=120)
    size = Integer(default=0)
    content = Bytea()
    #: The citizens the file names (a register's payees), for the audit of a download.
    citizen_ids = Text(default="[]")
    municipality = ForeignKey(Municipality, on_delete=OnDelete.cascade)
    created_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(index=True)


EXPORT_TABLES: tuple[type[Table], ...] = (ExportFile,)
