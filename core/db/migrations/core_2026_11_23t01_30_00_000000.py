"""A request may be assigned to several contracts, at most once to each: the unique key
of active assignments moves from the request to the request and contract."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T01:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one active assignment per request and contract"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.market import Assignment

        db = Assignment._meta.db
        await db.run_ddl("DROP INDEX uq_assignment_active")
        await db.run_ddl(
            "CREATE UNIQUE INDEX uq_assignment_active ON assignment (request, contract) "
            "WHERE active"
        )

    async def back() -> None:
        from core.db.market import Assignment

        db = Assignment._meta.db
        await db.run_ddl("DROP INDEX uq_assignment_active")
        await db.run_ddl(
            "CREATE UNIQUE INDEX uq_assignment_active ON assignment (request) WHERE active"
        )

    manager.add_raw(run)
    manager.add_raw_backwards(back)
    return manager
