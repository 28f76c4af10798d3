"""Constraints of the rental point Piccolo's auto-migrations do not express, written by
hand for SQLite and PostgreSQL: an item is never on two active loans, a request has at
most one active loan and one live waiting-list entry, device type codes and inventory
numbers are unique per municipality."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-22T23:15:49:000000"
VERSION = "1.38.0"
DESCRIPTION = "rental point unique keys"

UNIQUE = [
    "CREATE UNIQUE INDEX uq_rental_loan_active_item ON rental_loan (item) WHERE status = 'active'",
    "CREATE UNIQUE INDEX uq_rental_loan_active_request ON rental_loan (request) "
    "WHERE status = 'active'",
    "CREATE UNIQUE INDEX uq_rental_waiting_live_request ON rental_waiting (request) "
    "WHERE status IN ('waiting', 'offered')",
    "CREATE UNIQUE INDEX uq_rental_device_type_code ON rental_device_type (municipality, code)",
    "CREATE UNIQUE INDEX uq_rental_item_inventory ON rental_item (municipality, inventory_number)",
    "CREATE INDEX ix_rental_loan_status_due ON rental_loan (municipality, status, due_on)",
    "CREATE INDEX ix_rental_waiting_queue ON rental_waiting "
    "(municipality, device_code, status, priority, requested_on)",
]

DROP = [
    "DROP INDEX ix_rental_waiting_queue",
    "DROP INDEX ix_rental_loan_status_due",
    "DROP INDEX uq_rental_item_inventory",
    "DROP INDEX uq_rental_device_type_code",
    "DROP INDEX uq_rental_waiting_live_request",
    "DROP INDEX uq_rental_loan_active_request",
    "DROP INDEX uq_rental_loan_active_item",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="rental_aids", description=DESCRIPTION)

    async def run() -> None:
        from plugins.rental_aids.tables import RentalLoan

        db = RentalLoan._meta.db
        for statement in UNIQUE:
            await db.run_ddl(statement)

    async def undo() -> None:
        from plugins.rental_aids.tables import RentalLoan

        db = RentalLoan._meta.db
        for statement in DROP:
            await db.run_ddl(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
