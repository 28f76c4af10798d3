"""Satisfaction and quality: survey questions, invitations, answers and ratings,
complaints and appeals, refused deliveries; created from their definitions in
:mod:`core.db.quality`."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-03T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "satisfaction surveys, complaints, refused deliveries"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.quality import QUALITY_TABLES

        for table in QUALITY_TABLES:
            await table.create_table(if_not_exists=True).run()

    manager.add_raw(run)
    return manager
