"""One table of numbers issued in series: the journal counter becomes ``number_series``
with a ``series`` column (its rows are the journal's, see the next migration), so
plugins number their registers and certificates through :mod:`core.numbering`."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-23T02:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "journal counter becomes number series"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    manager.rename_table(
        old_class_name="JournalCounter",
        old_tablename="journal_counter",
        new_class_name="NumberSeries",
        new_tablename="number_series",
        schema=None,
    )
    manager.add_column(
        table_class_name="NumberSeries",
        tablename="number_series",
        column_name="series",
        db_column_name="series",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 64,
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
