"""Damage charged at residual value: an item's purchase value and acquisition date, a
device type's service life, and on a loan the charge at return, the part of the deposit
kept, what is still due and the residual value it was computed from."""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import Column
from piccolo.columns.column_types import BigInt, Boolean, Date, SmallInt, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-23T03:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "damage charged at residual value"

TABLES = {
    "RentalDeviceType": "rental_device_type",
    "RentalItem": "rental_item",
    "RentalLoan": "rental_loan",
}

#: (table class, column, column class, the column's own params)
COLUMNS: list[tuple[str, str, type[Column], dict[str, Any]]] = [
    ("RentalDeviceType", "service_life_months", SmallInt, {"default": None, "null": True}),
    ("RentalItem", "purchase_value_kop", BigInt, {"default": None, "null": True}),
    ("RentalItem", "acquired_on", Date, {"default": None, "null": True}),
    ("RentalLoan", "beyond_normal_wear", Boolean, {"default": False, "null": False}),
    ("RentalLoan", "charge_basis", Varchar, {"length": 16, "default": "", "null": False}),
    ("RentalLoan", "damage_charge_kop", BigInt, {"default": 0, "null": False}),
    ("RentalLoan", "deposit_kept_kop", BigInt, {"default": 0, "null": False}),
    ("RentalLoan", "charge_due_kop", BigInt, {"default": 0, "null": False}),
    ("RentalLoan", "residual_value_kop", BigInt, {"default": None, "null": True}),
    ("RentalLoan", "residual_purchase_kop", BigInt, {"default": None, "null": True}),
    ("RentalLoan", "residual_months_used", SmallInt, {"default": None, "null": True}),
    ("RentalLoan", "residual_life_months", SmallInt, {"default": None, "null": True}),
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="rental_aids", description=DESCRIPTION)
    for table_class_name, column_name, column_class, own in COLUMNS:
        manager.add_column(
            table_class_name=table_class_name,
            tablename=TABLES[table_class_name],
            column_name=column_name,
            db_column_name=column_name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={
                **own,
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
