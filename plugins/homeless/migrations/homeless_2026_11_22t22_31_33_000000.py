"""Constraints of the homeless register Piccolo's auto-migrations do not express, written
by hand for SQLite and PostgreSQL: at most one active entry per citizen, certificate
numbers unique per municipality, one certificate counter per municipality and year."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-22T22:31:33:000000"
VERSION = "1.38.0"
DESCRIPTION = "homeless register unique keys"

UNIQUE = [
    "CREATE UNIQUE INDEX uq_homeless_person_active ON homeless_person (citizen) "
    "WHERE status = 'active'",
    "CREATE UNIQUE INDEX uq_homeless_person_certificate "
    "ON homeless_person (municipality, certificate_number)",
    "CREATE UNIQUE INDEX uq_homeless_certificate_counter "
    "ON homeless_certificate_counter (municipality, year)",
]

DROP = [
    "DROP INDEX uq_homeless_certificate_counter",
    "DROP INDEX uq_homeless_person_certificate",
    "DROP INDEX uq_homeless_person_active",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="homeless", description=DESCRIPTION)

    async def run() -> None:
        from plugins.homeless.tables import HomelessPerson

        db = HomelessPerson._meta.db
        for statement in UNIQUE:
            await db.run_ddl(statement)

    async def undo() -> None:
        from plugins.homeless.tables import HomelessPerson

        db = HomelessPerson._meta.db
        for statement in DROP:
            await db.run_ddl(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
