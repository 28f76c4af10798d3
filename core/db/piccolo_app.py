"""The core's Piccolo app: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.db.cards import CARD_TABLES
from core.db.exports import EXPORT_TABLES
from core.db.jobs import JOB_TABLES
from core.db.market import MARKET_TABLES
from core.db.notify import NOTIFY_TABLES
from core.db.quality import QUALITY_TABLES
from core.db.tables import CORE_TABLES

APP_CONFIG = AppConfig(
    app_name="core",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[
        *CORE_TABLES,
        *MARKET_TABLES,
        *NOTIFY_TABLES,
        *JOB_TABLES,
        *QUALITY_TABLES,
        *EXPORT_TABLES,
        *CARD_TABLES,
    ],
    migration_dependencies=[],
    commands=[],
)
