"""Multi-part tariffs in the social order: a call's maximum price of every part
(``call_for_proposals.max_prices``), a bid's price and expected quantity of every part
(``bid.prices``, ``bid.volumes``) and an offer's price of every part (``offer.prices``),
as JSON objects by part key (docs/marketplace.md, "Multi-part tariffs").

The earlier migrations create these tables from their current definitions, which already
hold the columns on a new database: each column is added only where it is missing.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-10T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "prices per part in calls, bids and offers"

COLUMNS = [
    ("call_for_proposals", "max_prices"),
    ("bid", "prices"),
    ("bid", "volumes"),
    ("offer", "prices"),
]
KIND = "JSON NOT NULL DEFAULT '{}'"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.market import Bid

        db = Bid._meta.db
        postgres = str(getattr(db, "engine_type", "")) == "postgres"
        for table, column in COLUMNS:
            if postgres:
                found = await Bid.raw(
                    "SELECT 1 FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = {} "
                    "AND column_name = {}",
                    table,
                    column,
                )
            else:
                found = await Bid.raw(
                    "SELECT 1 FROM pragma_table_info({}) WHERE name = {}", table, column
                )
            if not found:
                await db.run_ddl(f"ALTER TABLE {table} ADD COLUMN {column} {KIND}")

    manager.add_raw(run)
    return manager
