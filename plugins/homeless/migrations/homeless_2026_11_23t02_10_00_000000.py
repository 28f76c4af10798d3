"""The plugin's numbers move to the core's number series (``homeless.certificate``): the
counters are copied there and the plugin's own counter table is dropped."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T02:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "numbers in the core's number series"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="homeless", description=DESCRIPTION)

    async def run() -> None:
        from core.sdk import NumberSeries

        await NumberSeries._meta.db.run_ddl(
            "INSERT INTO number_series (municipality, series, year, last_number) "
            "SELECT municipality, 'homeless.certificate', year, last_number FROM homeless_certificate_counter"
        )

    manager.add_raw(run)
    manager.drop_table(
        class_name="HomelessCertificateCounter",
        tablename="homeless_certificate_counter",
        schema=None,
    )
    return manager
