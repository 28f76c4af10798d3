"""The plugin's Piccolo app: the register of assistants and its migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from plugins.assistant_registration.tables import TABLES

APP_CONFIG = AppConfig(
    app_name="assistant_registration",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=list(TABLES),
    migration_dependencies=["core.db.piccolo_app"],
    commands=[],
)
