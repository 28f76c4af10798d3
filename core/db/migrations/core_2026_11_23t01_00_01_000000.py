"""One payout per request and period (was: one per request)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T01:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "one payout per request and period"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.market import Payout

        db = Payout._meta.db
        await db.run_ddl("DROP INDEX uq_payout_request")
        await db.run_ddl("CREATE UNIQUE INDEX uq_payout_request_period ON payout (request, period)")

    async def back() -> None:
        from core.db.market import Payout

        db = Payout._meta.db
        await db.run_ddl("DROP INDEX uq_payout_request_period")
        await db.run_ddl("CREATE UNIQUE INDEX uq_payout_request ON payout (request)")

    manager.add_raw(run)
    manager.add_raw_backwards(back)
    return manager
