"""Run by tests/db/test_upgrade.py in a subprocess against a fresh database (argv[1]):
migrate to just before the number series, issue numbers the old way, migrate the rest,
and print the numbers issued next as JSON."""

from __future__ import annotations

import asyncio
import json
import sys

from piccolo.apps.migrations.commands.forwards import run_forwards

from core.db import engine

BEFORE = {
    "core": "2026-11-23T01:30:00:000000",
    "homeless": "2026-11-22T22:31:33:000000",
    "assistant_registration": "2026-11-22T23:13:46:000000",
}
APPS = ["plugins.homeless.piccolo_app", "plugins.assistant_registration.piccolo_app"]


async def main(url: str) -> None:
    db = engine.configure(url, APPS)
    await engine.start(db)
    try:
        for app, migration in BEFORE.items():
            result = await run_forwards(app_name=app, migration_id=migration)
            assert result.success, result.message
        await db.run_ddl(
            "INSERT INTO municipality (slug, name_uk, name_en, kind, address, settlements, "
            "enabled_plugins, created_at) VALUES ('old', 'Стара', 'Old', 'city', '', '[]', "
            "'[]', CURRENT_TIMESTAMP)"
        )
        rows = await db.run_ddl("SELECT id FROM municipality WHERE slug = 'old'")
        muni = rows[0]["id"]
        for table, last in (
            ("journal_counter", 41),
            ("homeless_certificate_counter", 7),
            ("assistant_registration_counter", 3),
        ):
            await db.run_ddl(
                f"INSERT INTO {table} (municipality, year, last_number) "
                f"VALUES ({muni}, 2026, {last})"
            )
        result = await run_forwards(app_name="all")
        assert result.success, result.message

        from core import numbering

        out = {
            series: await numbering.next_number(muni, series, 2026)
            for series in ("journal", "homeless.certificate", "assistant_registration.entry")
        }
        out["fresh"] = await numbering.next_number(muni, "journal", 2027)
        left = await db.run_ddl(
            "SELECT COUNT(*) AS n FROM number_series WHERE municipality = " + str(muni)
        )
        out["rows"] = left[0]["n"]
        print(json.dumps(out))
    finally:
        await engine.stop(db)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
