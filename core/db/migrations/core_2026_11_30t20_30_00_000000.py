"""Indexes for the back office's work queue.

The queue (``/desk/requests``) filters a municipality's requests by status, service,
office and due date and orders them by due date then id; beside it, the counts panel
counts the requests in each status, and the overdue ones, optionally of one service.
With only single-column indexes each count read every request of the status to check
its municipality, and a service's overdue page walked the due-date index over all
services. These composite indexes answer the counts from the index alone and the pages
in order, without sorting (figures: docs/performance.md, "The desk").
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-30T20:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "work queue indexes"

INDEXES = [
    # the queue by status, its counts per status and the overdue count
    "CREATE INDEX ix_request_queue ON request (municipality, status, due_date, id)",
    # the same, of one service
    "CREATE INDEX ix_request_service_queue "
    "ON request (municipality, service_code, status, due_date, id)",
    # the queue over every status, earliest due first
    "CREATE INDEX ix_request_due ON request (municipality, due_date, id)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.tables import Request

        db = Request._meta.db
        for statement in INDEXES:
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
