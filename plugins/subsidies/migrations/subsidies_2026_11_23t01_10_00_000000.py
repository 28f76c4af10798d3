"""The dwelling's kind (flat or house, for the optional floor-area caps), the payment
channel of an assignment (non-cash to the providers, or cash to the recipient's IBAN),
and per month the provider's charge (for the carry-over of unused amounts)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-23T01:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "dwelling kind, payment channel, charges per month"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="subsidies", description=DESCRIPTION)
    manager.add_column(
        table_class_name="SubsidyHousehold",
        tablename="subsidy_household",
        column_name="dwelling_kind",
        db_column_name="dwelling_kind",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 8,
            "default": "flat",
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
    manager.add_column(
        table_class_name="SubsidyAssignment",
        tablename="subsidy_assignment",
        column_name="channel",
        db_column_name="channel",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 8,
            "default": "non_cash",
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
    manager.add_column(
        table_class_name="SubsidyAssignment",
        tablename="subsidy_assignment",
        column_name="iban",
        db_column_name="iban",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 34,
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
    manager.add_column(
        table_class_name="SubsidyMonth",
        tablename="subsidy_month",
        column_name="charged_kop",
        db_column_name="charged_kop",
        column_class_name="BigInt",
        column_class=BigInt,
        params={
            "default": None,
            "null": True,
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
