"""Run by tests/db/test_upgrade_audit.py in a subprocess against a fresh database
(argv[1]): migrate to just before ``audit_citizen``, write audit rows the old way (the
citizens only in ``details``), migrate the rest, and print the pairs carried over."""

from __future__ import annotations

import asyncio
import json
import sys

from piccolo.apps.migrations.commands.forwards import run_forwards

from core.db import engine

BEFORE = "2026-11-30T20:30:00:000000"

ROWS = [
    '{"route": "GET /api/requests/5", "citizen_ids": [12]}',
    '{"citizen_ids": [112, 12, 3]}',
    '{"citizen_ids": []}',
    '{"service": "funeral_aid.lump_sum"}',
]


async def main(url: str) -> None:
    db = engine.configure(url, [])
    await engine.start(db)
    try:
        result = await run_forwards(app_name="core", migration_id=BEFORE)
        assert result.success, result.message
        for details in ROWS:
            await db.run_ddl(
                "INSERT INTO audit_log (actor_role, action, subject, details, ip, at) "
                f"VALUES ('caseworker', 'request.read', 'request', '{details}', '', "
                "CURRENT_TIMESTAMP)"
            )
        result = await run_forwards(app_name="all")
        assert result.success, result.message
        pairs = await db.run_ddl(
            "SELECT a.details AS details, c.citizen_id AS citizen FROM audit_citizen c "
            "JOIN audit_log a ON a.id = c.audit_id ORDER BY c.citizen_id, c.audit_id"
        )
        print(json.dumps([p["citizen"] for p in pairs]))
    finally:
        await engine.stop(db)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
