"""Constraints of the register of assistants that Piccolo's auto-migrations do not
express, written by hand for SQLite and PostgreSQL: entry numbers unique per
municipality, one entry per request, one active entry per pair (person, assistant), one
counter per municipality and year, one identity row per assistant and municipality."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-22T23:13:46:000000"
VERSION = "1.38.0"
DESCRIPTION = "assistant register unique keys"

UNIQUE = [
    "CREATE UNIQUE INDEX uq_assistant_registration_number "
    "ON assistant_registration_entry (municipality, number)",
    "CREATE UNIQUE INDEX uq_assistant_registration_request "
    "ON assistant_registration_entry (request) WHERE request IS NOT NULL",
    "CREATE UNIQUE INDEX uq_assistant_registration_active_pair "
    "ON assistant_registration_entry (municipality, person, assistant_key) "
    "WHERE status = 'active'",
    "CREATE INDEX ix_assistant_registration_assistant_key "
    "ON assistant_registration_entry (municipality, assistant_key, status)",
    "CREATE UNIQUE INDEX uq_assistant_registration_counter "
    "ON assistant_registration_counter (municipality, year)",
    "CREATE UNIQUE INDEX uq_assistant_registration_identity "
    "ON assistant_registration_assistant (municipality, assistant_key)",
]

DROP = [
    "DROP INDEX uq_assistant_registration_identity",
    "DROP INDEX uq_assistant_registration_counter",
    "DROP INDEX ix_assistant_registration_assistant_key",
    "DROP INDEX uq_assistant_registration_active_pair",
    "DROP INDEX uq_assistant_registration_request",
    "DROP INDEX uq_assistant_registration_number",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(
        migration_id=ID, app_name="assistant_registration", description=DESCRIPTION
    )

    async def run() -> None:
        from plugins.assistant_registration.tables import AssistantEntry

        db = AssistantEntry._meta.db
        for statement in UNIQUE:
            await db.run_ddl(statement)

    async def undo() -> None:
        from plugins.assistant_registration.tables import AssistantEntry

        db = AssistantEntry._meta.db
        for statement in DROP:
            await db.run_ddl(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
