"""Constraints Piccolo's auto-migrations do not express: composite unique keys and
append-only triggers on the audit log. Written by hand for SQLite and PostgreSQL."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-11-22T22:08:19:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite unique keys, append-only audit log"

UNIQUE = [
    "CREATE UNIQUE INDEX uq_journal_counter ON journal_counter (municipality, year)",
    "CREATE UNIQUE INDEX uq_request_journal ON request (municipality, journal_number)",
    "CREATE UNIQUE INDEX uq_citizen_tax ON citizen (municipality, tax_number)",
    "CREATE UNIQUE INDEX uq_parameter_value ON parameter_value (municipality, key, valid_from)",
]

SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
]

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
       FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.tables import AuditLog

        db = AuditLog._meta.db
        triggers = SQLITE_TRIGGERS if isinstance(db, SQLiteEngine) else POSTGRES_TRIGGERS
        for statement in [*UNIQUE, *triggers]:
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
