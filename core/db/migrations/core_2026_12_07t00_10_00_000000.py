"""An index for ``ctx.recorded`` (core.workflow.market.recorded): a person's deliveries of
a period, found by the person's requests (``delivery (request, delivered_on)``)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T00:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "delivery person index"

INDEXES = [
    "CREATE INDEX IF NOT EXISTS ix_delivery_request ON delivery (request, delivered_on)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.market import Delivery

        db = Delivery._meta.db
        for statement in INDEXES:
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
