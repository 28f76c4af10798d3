"""Citizens' account codes (activation, e-mail confirmation, password reset), accounts'
identities at other sign-in providers, and the outbox of messages to send.

The tables are created from their current definitions in :mod:`core.db.tables`, with
their indexes, on either engine.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-30T23:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "account codes, identities and the outbox"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.tables import AccountCode, OutboxMessage, UserIdentity

        for table in (AccountCode, UserIdentity, OutboxMessage):
            await table.create_table(if_not_exists=True).run()
        db = OutboxMessage._meta.db
        await db.run_ddl("CREATE UNIQUE INDEX uq_user_identity ON user_identity (issuer, subject)")
        await db.run_ddl("CREATE INDEX ix_outbox_due ON outbox_message (status, next_attempt_at)")

    manager.add_raw(run)
    return manager
