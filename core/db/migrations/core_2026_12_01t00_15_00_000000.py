"""Citizens' consent to be told of their requests (``notify_consent``), created from its
definition in :mod:`core.db.notify`."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-01T00:15:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "consent to notifications"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.notify import NotifyConsent

        await NotifyConsent.create_table(if_not_exists=True).run()

    manager.add_raw(run)
    return manager
