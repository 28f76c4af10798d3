"""Exported files (``export_file``): the XLSX and CSV an export job makes, kept in the
database until they expire; created from its definition in :mod:`core.db.exports`."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-05T00:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "exported files"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.exports import ExportFile

        await ExportFile.create_table(if_not_exists=True).run()
        db = ExportFile._meta.db
        # A job stores its file once, however often it is retried.
        await db.run_ddl("CREATE UNIQUE INDEX ux_export_file_job ON export_file (job)")
        await db.run_ddl(
            "CREATE INDEX ix_export_file_municipality ON export_file (municipality, id)"
        )

    manager.add_raw(run)
    return manager
