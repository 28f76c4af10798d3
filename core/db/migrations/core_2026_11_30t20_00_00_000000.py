"""Sign-in lockout and the invoice's frozen payee.

``hromada_user`` counts a user's failed sign-ins in a row (``failed_logins``) and holds
``locked_until`` while the account is locked (see :mod:`core.workflow.users`); both are in
the database so every server process sees the same lock.

``invoice.payee`` freezes, at approval, whom the invoice pays (name, EDRPOU or tax number,
IBAN, address): the payment register and the PDFs show it, not the provider as it is now.
Invoices approved or paid before this migration take the provider's present details.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON, Integer, Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T20:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "sign-in lockout, invoice payee"

_PARAMS = {
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    manager.add_column(
        table_class_name="User",
        tablename="hromada_user",
        column_name="failed_logins",
        db_column_name="failed_logins",
        column_class_name="Integer",
        column_class=Integer,
        params={**_PARAMS, "default": 0, "null": False},
        schema=None,
    )
    manager.add_column(
        table_class_name="User",
        tablename="hromada_user",
        column_name="locked_until",
        db_column_name="locked_until",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={**_PARAMS, "default": None, "null": True},
        schema=None,
    )
    manager.add_column(
        table_class_name="Invoice",
        tablename="invoice",
        column_name="payee",
        db_column_name="payee",
        column_class_name="JSON",
        column_class=JSON,
        params={**_PARAMS, "default": "{}", "null": False},
        schema=None,
    )

    async def backfill() -> None:
        import msgspec

        from core.db.market import Invoice

        rows = await Invoice.select(
            Invoice.id,
            Invoice.provider.name,
            Invoice.provider.edrpou,
            Invoice.provider.tax_number,
            Invoice.provider.iban,
            Invoice.provider.address,
        ).where(Invoice.status.is_in(["approved", "paid"]))
        for row in rows:
            payee = {
                "name": row["provider.name"],
                "edrpou": row["provider.edrpou"] or "",
                "tax_number": row["provider.tax_number"] or "",
                "iban": row["provider.iban"] or "",
                "address": row["provider.address"] or "",
            }
            await Invoice.update({Invoice.payee: msgspec.json.encode(payee).decode()}).where(
                Invoice.id == row["id"]
            )

    manager.add_raw(backfill)
    return manager
