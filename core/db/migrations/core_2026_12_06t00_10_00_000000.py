"""Rating a visit at the office kiosk: the short code printed on a queue ticket
(``queue_ticket.rating_code``) and the survey invitation made when the ticket is served
(``survey_invitation.ticket``, once per ticket).

The earlier migrations create both tables from their current definitions, which already
hold these columns on a new database: each column is added only where it is missing.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T00:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "visit ratings at the kiosk"

COLUMNS = [
    ("queue_ticket", "rating_code", "VARCHAR(8) NOT NULL DEFAULT ''"),
    ("survey_invitation", "ticket", "INTEGER NULL REFERENCES queue_ticket (id) ON DELETE SET NULL"),
]
INDEXES = [
    "CREATE INDEX IF NOT EXISTS ix_queue_ticket_rating_code ON queue_ticket (office, rating_code)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_survey_invitation_ticket ON survey_invitation (ticket)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.tables import QueueTicket

        db = QueueTicket._meta.db
        postgres = str(getattr(db, "engine_type", "")) == "postgres"
        for table, column, kind in COLUMNS:
            if postgres:
                found = await QueueTicket.raw(
                    "SELECT 1 FROM information_schema.columns "
                    "WHERE table_name = {} AND column_name = {}",
                    table,
                    column,
                )
            else:
                found = await QueueTicket.raw(
                    "SELECT 1 FROM pragma_table_info({}) WHERE name = {}", table, column
                )
            if not found:
                await db.run_ddl(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
        for statement in INDEXES:
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
