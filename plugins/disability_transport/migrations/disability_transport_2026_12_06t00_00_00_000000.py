"""Bookings refused by a trip cap (``disability_transport_cap_refusal``), for the coverage
report's people waiting; created from its definition in
:mod:`plugins.disability_transport.tables`, with the index the report reads by."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "social taxi cap refusals"


async def forwards() -> MigrationManager:
    manager = MigrationManager(
        migration_id=ID, app_name="disability_transport", description=DESCRIPTION
    )

    async def run() -> None:
        from plugins.disability_transport.tables import CapRefusal

        await CapRefusal.create_table(if_not_exists=True).run()
        await CapRefusal._meta.db.run_ddl(
            "CREATE INDEX ix_dt_cap_refusal_day "
            "ON disability_transport_cap_refusal (municipality, refused_on)"
        )

    async def undo() -> None:
        from plugins.disability_transport.tables import CapRefusal

        await CapRefusal._meta.db.run_ddl("DROP TABLE disability_transport_cap_refusal")

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
