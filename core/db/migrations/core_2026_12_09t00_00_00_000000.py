"""Municipalities' local cards (``local_card``): the parts of a service's information
card a municipality's admin sets, one row per version, created from its definition in
:mod:`core.db.cards`."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-09T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "local cards"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.cards import LocalCard

        await LocalCard.create_table(if_not_exists=True).run()
        await LocalCard._meta.db.run_ddl(
            "CREATE INDEX IF NOT EXISTS ix_local_card ON local_card "
            "(municipality, service_code, id)"
        )

    manager.add_raw(run)
    return manager
