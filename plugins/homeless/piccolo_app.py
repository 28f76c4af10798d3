"""The homeless plugin's Piccolo app: its tables and migrations (after the core's)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from plugins.homeless.tables import HOMELESS_TABLES

APP_CONFIG = AppConfig(
    app_name="homeless",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=list(HOMELESS_TABLES),
    migration_dependencies=["core.db.piccolo_app"],
    commands=[],
)
