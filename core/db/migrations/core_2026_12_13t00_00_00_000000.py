"""Fewer indexes written by every submission, and one for a request's messages.

Every submission inserts a request, its history's first row, the applicant's news and an
audit row, and each index of those tables is written with them. Five of the request's
thirteen indexes served no query: every read of requests names the municipality, and
the composite indexes (``ix_request_newest``, ``ix_request_queue``,
``ix_request_service_queue``, ``ix_request_due``, ``ix_request_subject``) begin with it,
so the single-column ``municipality``, ``service_code``, ``status``, ``due_date`` and
``subject_key`` indexes were written and never read. The outbox's ``status`` index is
the prefix of ``ix_outbox_due`` (status, next attempt).

The outbox's ``municipality`` index becomes (municipality, request, id): the messages
of one request, newest first, as its page lists them, were found by scanning every
message of the municipality.

Figures: docs/performance.md, "Served: the catalogue, a screening and a submission".
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-13T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "fewer indexes written by a submission"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS ix_outbox_request ON outbox_message (municipality, request, id)",
    "DROP INDEX IF EXISTS outbox_message_municipality",
    "DROP INDEX IF EXISTS outbox_message_status",
    "DROP INDEX IF EXISTS request_municipality",
    "DROP INDEX IF EXISTS request_service_code",
    "DROP INDEX IF EXISTS request_status",
    "DROP INDEX IF EXISTS request_due_date",
    "DROP INDEX IF EXISTS request_subject_key",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.tables import Request

        db = Request._meta.db
        for statement in STATEMENTS:
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
