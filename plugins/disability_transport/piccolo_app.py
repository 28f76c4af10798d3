"""The social taxi's Piccolo app: its tables and migrations (after the core's)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from plugins.disability_transport.tables import TABLES

APP_CONFIG = AppConfig(
    app_name="disability_transport",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=list(TABLES),
    migration_dependencies=["core.db.piccolo_app"],
    commands=[],
)
