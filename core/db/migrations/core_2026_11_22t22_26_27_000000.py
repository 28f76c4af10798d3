"""Marketplace constraints written by hand for SQLite and PostgreSQL: unique keys (one
invoice per sheet, one open sheet per contract-month, idempotent deliveries, one live
delivery per plugin key) and guards that money never exceeds its caps."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-11-22T22:26:27:000000"
VERSION = "1.38.0"
DESCRIPTION = "marketplace unique keys and money guards"

UNIQUE = [
    "CREATE UNIQUE INDEX uq_offer ON offer (municipality, provider, service_code)",
    "CREATE UNIQUE INDEX uq_budget_line ON budget_line "
    "(municipality, year, programme_code, economic_code)",
    "CREATE UNIQUE INDEX uq_call_number ON call_for_proposals (municipality, number)",
    "CREATE UNIQUE INDEX uq_bid ON bid (call, provider)",
    "CREATE UNIQUE INDEX uq_bid_score ON bid_score (bid, scorer)",
    "CREATE UNIQUE INDEX uq_contract_number ON contract (municipality, number)",
    "CREATE UNIQUE INDEX uq_assignment_active ON assignment (request) WHERE active",
    "CREATE UNIQUE INDEX uq_delivery_idempotency ON delivery (provider, idempotency_key)",
    "CREATE UNIQUE INDEX uq_delivery_key ON delivery (municipality, service_code, unique_key) "
    "WHERE status = 'recorded' AND unique_key IS NOT NULL",
    "CREATE UNIQUE INDEX uq_sheet_open ON delivery_sheet (contract, period) WHERE status = 'open'",
    "CREATE UNIQUE INDEX uq_invoice_sheet ON invoice (sheet)",
    "CREATE UNIQUE INDEX uq_invoice_number ON invoice (municipality, number)",
    "CREATE UNIQUE INDEX uq_payout_request ON payout (request)",
    "CREATE INDEX ix_delivery_sheet_status ON delivery (sheet, status)",
]

GUARDS = [
    (
        "budget_line",
        "committed_kop >= 0 AND committed_kop <= allocation_kop",
        "budget line over its allocation",
    ),
    (
        "contract",
        "used_kop >= 0 AND used_kop <= money_cap_kop "
        "AND used_milli >= 0 AND used_milli <= volume_cap_milli",
        "contract over its caps",
    ),
]


def sqlite_guard(table: str, condition: str, message: str) -> list[str]:
    return [
        f"CREATE TRIGGER guard_{table}_{event} BEFORE {event} ON {table} "
        f"WHEN NOT ({condition.replace('committed_kop', 'NEW.committed_kop').replace('allocation_kop', 'NEW.allocation_kop').replace('used_kop', 'NEW.used_kop').replace('money_cap_kop', 'NEW.money_cap_kop').replace('used_milli', 'NEW.used_milli').replace('volume_cap_milli', 'NEW.volume_cap_milli')}) "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        for event in ("INSERT", "UPDATE")
    ]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from core.db.market import Delivery

        db = Delivery._meta.db
        statements = list(UNIQUE)
        for table, condition, message in GUARDS:
            if isinstance(db, SQLiteEngine):
                statements.extend(sqlite_guard(table, condition, message))
            else:
                statements.append(
                    f"ALTER TABLE {table} ADD CONSTRAINT guard_{table} CHECK ({condition})"
                )
        for statement in statements:
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
