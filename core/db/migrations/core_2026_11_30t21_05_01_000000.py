"""The index of ``audit_citizen``, the audit rows already in the log carried over, and
the append-only guard (the table: the previous migration).

A citizen's cabinet lists every read of their data ("who looked at my data"): the audit
rows whose ``details.citizen_ids`` name them. ``details`` is JSON text on both engines,
and searching it with LIKE would read the whole log and trip over the number's neighbours
(12 in 112). ``audit_citizen`` holds one (audit row, citizen) pair per citizen named,
written with the row by :func:`core.workflow.audit.record`; the index on (citizen, audit
row) answers one citizen's rows newest first.
"""

import json

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-11-30T21:05:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit rows by citizen: index, rows so far, append-only"

_SQLITE_GUARDS = [
    "CREATE TRIGGER audit_citizen_no_update BEFORE UPDATE ON audit_citizen "
    "BEGIN SELECT RAISE(ABORT, 'audit_citizen is append-only'); END",
    "CREATE TRIGGER audit_citizen_no_delete BEFORE DELETE ON audit_citizen "
    "BEGIN SELECT RAISE(ABORT, 'audit_citizen is append-only'); END",
]
_POSTGRES_GUARDS = [
    "CREATE TRIGGER audit_citizen_append_only BEFORE UPDATE OR DELETE ON audit_citizen "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.tables import AuditCitizen, AuditLog

        db = AuditCitizen._meta.db
        sqlite = isinstance(db, SQLiteEngine)
        await db.run_ddl("CREATE INDEX ix_audit_citizen ON audit_citizen (citizen_id, audit_id)")
        text = "details" if sqlite else "details::text"
        rows = await AuditLog.raw(
            f"SELECT id, {text} AS details FROM audit_log WHERE {text} LIKE {{}}",
            "%citizen_ids%",
        )
        pairs: set[tuple[int, int]] = set()
        for row in rows:
            details = row["details"]
            try:
                named = (json.loads(details) if isinstance(details, str) else details).get(
                    "citizen_ids"
                )
            except (ValueError, AttributeError):
                continue
            for citizen in named or []:
                if isinstance(citizen, int):
                    pairs.add((int(row["id"]), citizen))
        for start in range(0, len(pairs), 500):
            chunk = sorted(pairs)[start : start + 500]
            await AuditCitizen.insert(*[AuditCitizen(audit_id=a, citizen_id=c) for a, c in chunk])
        for statement in _SQLITE_GUARDS if sqlite else _POSTGRES_GUARDS:
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
