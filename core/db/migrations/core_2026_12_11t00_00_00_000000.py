"""An index for the duplicate check of every submission and decision: the earlier
requests of a service about the same subject (``Service.subject_key``: a deceased
person, an assistant pair), which scanned every request of the service in the
municipality and slowed the submission down as they grew."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-11T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "request subject index"

INDEXES = [
    "CREATE INDEX IF NOT EXISTS ix_request_subject ON request "
    "(municipality, service_code, subject_key) WHERE subject_key IS NOT NULL",
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
