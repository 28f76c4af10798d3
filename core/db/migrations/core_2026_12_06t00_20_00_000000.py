"""An index for the coverage and money reports: a period's deliveries of a municipality
(``delivery (municipality, delivered_on)``), which both reports cut down to their
distinct requests before joining anything (figures: docs/performance.md, "Reports")."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T00:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "report indexes"

INDEXES = [
    "CREATE INDEX IF NOT EXISTS ix_delivery_period ON delivery (municipality, delivered_on)",
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
