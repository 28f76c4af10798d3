"""Municipalities' wording of messages (``message_template``), created from its
definition in :mod:`core.db.notify`."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-04T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "message templates"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.notify import MessageTemplate

        await MessageTemplate.create_table(if_not_exists=True).run()
        await MessageTemplate._meta.db.run_ddl(
            "CREATE INDEX ix_message_template ON message_template (municipality, event, id)"
        )

    manager.add_raw(run)
    return manager
