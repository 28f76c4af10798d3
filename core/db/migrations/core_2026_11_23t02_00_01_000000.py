"""The journal's counters are the series ``journal``; one counter per municipality,
series and year."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T02:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "number series key"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.tables import NumberSeries

        db = NumberSeries._meta.db
        await db.run_ddl("UPDATE number_series SET series = 'journal' WHERE series = ''")
        await db.run_ddl("DROP INDEX uq_journal_counter")
        await db.run_ddl(
            "CREATE UNIQUE INDEX uq_number_series ON number_series (municipality, series, year)"
        )

    manager.add_raw(run)
    return manager
