"""Periodic payouts: a payout is for a request and a period (empty for a one-off lump
sum, ``YYYY-MM`` for a month of a benefit paid in cash). The next migration moves the
unique key (raw statements run before a migration's column changes)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-23T01:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "payout period"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Payout",
        tablename="payout",
        column_name="period",
        db_column_name="period",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 7,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )
    return manager
