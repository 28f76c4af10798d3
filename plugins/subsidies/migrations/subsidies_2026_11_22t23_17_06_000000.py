"""Constraints of the subsidy tables Piccolo's auto-migrations do not express, written
by hand for SQLite and PostgreSQL: at most one active assignment per request, and one
active amount per assignment, month and utility."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-22T23:17:06:000000"
VERSION = "1.38.0"
DESCRIPTION = "subsidy unique keys"

UNIQUE = [
    "CREATE UNIQUE INDEX uq_subsidy_assignment_active ON subsidy_assignment (request) "
    "WHERE status = 'active'",
    "CREATE UNIQUE INDEX uq_subsidy_month_active "
    "ON subsidy_month (assignment, month, utility) WHERE status = 'active'",
    "CREATE INDEX ix_subsidy_month_month ON subsidy_month (municipality, month, status)",
]

DROP = [
    "DROP INDEX ix_subsidy_month_month",
    "DROP INDEX uq_subsidy_month_active",
    "DROP INDEX uq_subsidy_assignment_active",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="subsidies", description=DESCRIPTION)

    async def run() -> None:
        from plugins.subsidies.tables import SubsidyAssignment

        db = SubsidyAssignment._meta.db
        for statement in UNIQUE:
            await db.run_ddl(statement)

    async def undo() -> None:
        from plugins.subsidies.tables import SubsidyAssignment

        db = SubsidyAssignment._meta.db
        for statement in DROP:
            await db.run_ddl(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
