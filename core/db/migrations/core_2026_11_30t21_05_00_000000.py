"""The citizens each audit row names, in a side table (its index, the rows carried over
and the append-only guard: the next migration).

A citizen's cabinet lists every read of their data ("who looked at my data"): the audit
rows whose ``details.citizen_ids`` name them. ``details`` is JSON text on both engines,
and searching it with LIKE would read the whole log and trip over the number's neighbours
(12 in 112). ``audit_citizen`` holds one (audit row, citizen) pair per citizen named,
written with the row by :func:`core.workflow.audit.record`; the index on (citizen, audit
row) answers one citizen's rows newest first.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Serial
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T21:05:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit rows by citizen"

_PARAMS = {
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    manager.add_table(class_name="AuditCitizen", tablename="audit_citizen", schema=None)
    manager.add_column(
        table_class_name="AuditCitizen",
        tablename="audit_citizen",
        column_name="id",
        db_column_name="id",
        column_class_name="Serial",
        column_class=Serial,
        params={**_PARAMS, "null": False, "primary_key": True},
        schema=None,
    )
    for name in ("audit_id", "citizen_id"):
        manager.add_column(
            table_class_name="AuditCitizen",
            tablename="audit_citizen",
            column_name=name,
            db_column_name=name,
            column_class_name="Integer",
            column_class=Integer,
            params={**_PARAMS, "default": 0, "null": False, "primary_key": False},
            schema=None,
        )

    return manager
