"""The office's electronic queue: bookings, tickets and the requests made while a ticket
was served.

The tables are created from their current definitions in :mod:`core.db.tables`, with
their indexes, on either engine.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-01T00:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "the electronic queue"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.tables import QueueBooking, QueueTicket, QueueTicketRequest

        for table in (QueueBooking, QueueTicket, QueueTicketRequest):
            await table.create_table(if_not_exists=True).run()
        db = QueueTicket._meta.db
        await db.run_ddl("CREATE INDEX ix_queue_ticket_line ON queue_ticket (office, day, status)")
        await db.run_ddl(
            "CREATE UNIQUE INDEX ux_queue_ticket_number ON queue_ticket (office, day, number)"
        )
        await db.run_ddl(
            "CREATE UNIQUE INDEX ux_queue_ticket_request ON queue_ticket_request (ticket, request)"
        )

    manager.add_raw(run)
    return manager
