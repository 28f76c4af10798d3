"""Keys of the social taxi that Piccolo's auto-migrations do not express, written by hand
for SQLite and PostgreSQL: a plate once per municipality, one lock row per rider, and the
index the overlap check of a vehicle's day uses."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-22T23:14:44:000000"
VERSION = "1.38.0"
DESCRIPTION = "social taxi unique keys"

FORWARD = [
    "CREATE UNIQUE INDEX uq_dt_vehicle_plate ON disability_transport_vehicle (municipality, plate)",
    "CREATE UNIQUE INDEX uq_dt_rider_citizen ON disability_transport_rider (citizen)",
    "CREATE INDEX ix_dt_booking_vehicle_day "
    "ON disability_transport_booking (vehicle, trip_date, status)",
]

BACKWARD = [
    "DROP INDEX ix_dt_booking_vehicle_day",
    "DROP INDEX uq_dt_rider_citizen",
    "DROP INDEX uq_dt_vehicle_plate",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(
        migration_id=ID, app_name="disability_transport", description=DESCRIPTION
    )

    async def run() -> None:
        from plugins.disability_transport.tables import Vehicle

        db = Vehicle._meta.db
        for statement in FORWARD:
            await db.run_ddl(statement)

    async def undo() -> None:
        from plugins.disability_transport.tables import Vehicle

        db = Vehicle._meta.db
        for statement in BACKWARD:
            await db.run_ddl(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
