"""The subsidy plugin's Piccolo app: its tables and migrations (after the core's)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from plugins.subsidies.tables import SUBSIDY_TABLES

APP_CONFIG = AppConfig(
    app_name="subsidies",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=list(SUBSIDY_TABLES),
    migration_dependencies=["core.db.piccolo_app"],
    commands=[],
)
