"""The rental point's Piccolo app: its tables and migrations (after the core's)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from plugins.rental_aids.tables import RENTAL_TABLES

APP_CONFIG = AppConfig(
    app_name="rental_aids",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=list(RENTAL_TABLES),
    migration_dependencies=["core.db.piccolo_app"],
    commands=[],
)
