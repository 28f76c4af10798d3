"""Running the migrations of the core and of every enabled plugin."""

from __future__ import annotations

from piccolo.apps.migrations.commands.forwards import run_forwards


class MigrationFailed(Exception):
    pass


async def migrate() -> None:
    """Apply every pending migration (core first, then plugins by their dependencies)."""
    result = await run_forwards(app_name="all")
    if not result.success:
        raise MigrationFailed(result.message or "migration failed")
