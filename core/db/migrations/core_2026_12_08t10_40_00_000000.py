"""The parts of deliveries under a multi-part tariff (``delivery_part``).

A service whose tariff has several priced parts (a trip, its kilometres, its quarters of
waiting) stores the quantity and the amount of each part of a delivery in its own row,
written in the delivery's transaction; the invoice run sums them into one line per part
(docs/marketplace.md, "Multi-part tariffs"). One row per delivery and part; the index on
the delivery serves the run's join.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-12-08T10:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "delivery parts of multi-part tariffs"

_COLUMNS = (
    "delivery_id INTEGER NOT NULL REFERENCES delivery (id) ON DELETE RESTRICT, "
    "part VARCHAR(32) NOT NULL, quantity_milli BIGINT NOT NULL, amount_kop BIGINT NOT NULL, "
    "UNIQUE (delivery_id, part)"
)
SQLITE = f"CREATE TABLE delivery_part (id INTEGER PRIMARY KEY AUTOINCREMENT, {_COLUMNS})"
POSTGRES = f"CREATE TABLE delivery_part (id SERIAL PRIMARY KEY, {_COLUMNS})"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.market import Delivery

        db = Delivery._meta.db
        await db.run_ddl(SQLITE if isinstance(db, SQLiteEngine) else POSTGRES)

    manager.add_raw(run)
    return manager
