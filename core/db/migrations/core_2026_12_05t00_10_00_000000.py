"""Messages that go once only (``notify_once``: a trip's reminder, a loan's notice of its
due date), created from its definition in :mod:`core.db.notify`."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-05T00:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "messages sent once"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.notify import NotifyOnce

        await NotifyOnce.create_table(if_not_exists=True).run()

    manager.add_raw(run)
    return manager
