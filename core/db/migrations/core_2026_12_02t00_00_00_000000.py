"""Background jobs: the ``job`` table on either engine and, on PostgreSQL, the queue
library's own schema (procrastinate's tables and functions, in the same database).

Upgrading procrastinate to a version that changes its schema needs a migration here that
applies its migration scripts (see docs/jobs.md).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-02T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "background jobs"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from piccolo.engine.postgres import PostgresEngine

        from core.db.jobs import Job

        await Job.create_table(if_not_exists=True).run()
        db = Job._meta.db
        # One active job per key: a second enqueue while it is queued or running gets it.
        await db.run_ddl(
            "CREATE UNIQUE INDEX ux_job_active_key ON job (idempotency_key) "
            "WHERE state IN ('queued', 'running')"
        )
        await db.run_ddl("CREATE INDEX ix_job_recent ON job (municipality, created_at)")
        if isinstance(db, PostgresEngine):
            from core.jobs.queue import apply_schema

            await apply_schema(db)

    manager.add_raw(run)
    return manager
