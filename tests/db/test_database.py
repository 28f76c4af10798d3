"""Migrations and the CLI on a fresh database of the engine under test; the audit log is
append-only in the database itself."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from core.db.tables import AuditLog
from core.platform import Platform
from tests.world import World


@pytest.fixture
async def fresh_url(database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database on the same engine as the test session."""
    if not database_url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"hromada_fresh_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(database_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url.rsplit("/", 1)[0] + "/" + name
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def hromada(
    url: str, *args: str, cwd: Path, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HROMADA_DATABASE_URL": url,
        "HROMADA_PLUGINS": "funeral_aid,homeless" if "demo" in args else "funeral_aid",
    }
    env.pop("HROMADA_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=cwd,
        env=env,
        text=True,
        capture_output=True,
        input=input,
        timeout=300,
    )


def test_migrate_then_first_admin_then_demo_on_a_fresh_database(
    fresh_url: str, tmp_path: Path
) -> None:
    r = hromada(fresh_url, "migrate", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "migrations applied" in r.stdout
    again = hromada(fresh_url, "migrate", cwd=tmp_path)
    assert again.returncode == 0, again.stderr

    r = hromada(
        fresh_url,
        "user",
        "create",
        "--municipality",
        "kovel",
        "--username",
        "boss",
        "--password",
        "long-enough-pw",
        cwd=tmp_path,
    )
    assert r.returncode != 0
    assert "municipality 'kovel' not found" in r.stderr
    r = hromada(
        fresh_url,
        "municipality",
        "create",
        "kovel",
        "--name-uk",
        "Ковельська громада",
        "--name-en",
        "Kovel hromada",
        "--settlement",
        "Ковель",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    r = hromada(
        fresh_url,
        "user",
        "create",
        "--municipality",
        "kovel",
        "--username",
        "boss",
        "--password",
        "long-enough-pw",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert "user boss (admin) created" in r.stdout

    r = hromada(fresh_url, "demo", "--citizens", "20", cwd=tmp_path)
    assert r.returncode != 0
    assert "already holds data" in r.stderr


def test_demo_loads_two_municipalities_with_every_state(fresh_url: str, tmp_path: Path) -> None:
    r = hromada(fresh_url, "demo", "--citizens", "40", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for words in (
        "lutsk.intake",
        "prylisne.caseworker",
        "lutsk.provider2",
        "hromada-demo",
        "approved",
        "refused",
        "withdrawn",
        "submitted",
        "paid 1",
    ):
        assert words in out
    contracts = re.search(r"Social order: (\d+) contracts, (\d+) deliveries", out)
    assert contracts is not None
    assert int(contracts.group(1)) >= 3
    assert int(contracts.group(2)) > 100


def test_plugins_command_lists_installed_and_enabled(tmp_path: Path, database_url: str) -> None:
    r = hromada(database_url, "plugins", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = {p["name"]: p for p in json.loads(r.stdout)}
    assert rows["funeral_aid"]["enabled"] is True
    assert rows["funeral_aid"]["distribution"] == "hromada"
    assert rows["funeral_aid"]["services"] == ["funeral_aid.lump_sum"]
    # Piped, the table is plain tab-separated columns: no identifier is cut short.
    plain = hromada(database_url, "plugins", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    lines = [line.split("\t") for line in plain.stdout.splitlines()]
    assert lines[0] == ["plugin", "version", "distribution", "enabled", "services"]
    funeral = lines[1 + [r[0] for r in lines[1:]].index("funeral_aid")]
    assert [funeral[i] for i in (0, 2, 3, 4)] == [
        "funeral_aid",
        "hromada",
        "yes",
        "funeral_aid.lump_sum",
    ]
    assert all(len(r) == 5 and "…" not in "".join(r) for r in lines)


def test_start_up_refuses_an_unknown_plugin_by_name(tmp_path: Path, database_url: str) -> None:
    env = {
        **os.environ,
        "HROMADA_DATABASE_URL": database_url,
        "HROMADA_PLUGINS": "funeral_aid,ghost",
    }
    r = subprocess.run(
        [sys.executable, "-m", "core", "plugins"],
        cwd=tmp_path,
        env=env,
        text=True,
        capture_output=True,
        timeout=120,
    )
    assert r.returncode != 0
    assert "plugin 'ghost': is enabled in the configuration but not installed" in r.stderr
    assert "Traceback" not in r.stderr


async def test_audit_log_refuses_update_and_delete(world: World, platform: Platform) -> None:
    await world.get("auditor", f"/api/citizens/{world.citizen_id}")
    row = (
        await AuditLog.select(AuditLog.id)
        .where(AuditLog.municipality == world.municipality_id)
        .first()
    )
    assert row is not None
    with pytest.raises(Exception, match="append-only"):
        await AuditLog.update({AuditLog.action: "forged"}).where(AuditLog.id == row["id"])
    with pytest.raises(Exception, match="append-only"):
        await AuditLog.delete().where(AuditLog.id == row["id"])
    still = await AuditLog.select(AuditLog.action).where(AuditLog.id == row["id"]).first()
    assert still is not None
    assert still["action"] == "citizen.read"


async def test_audit_log_is_readable_by_the_auditor(world: World) -> None:
    await world.get("caseworker", f"/api/citizens/{world.citizen_id}")
    r = await world.get("auditor", "/api/audit", params={"action": "citizen.read"})
    assert r.status_code == 200
    assert r.json()["items"][0]["actor_role"] == "caseworker"


def test_configuring_other_apps_on_the_same_database_keeps_one_engine(
    platform: Platform, database_url: str
) -> None:
    """Every table talks to one engine, so a write transaction covers the core's tables
    and the plugins' alike (two engines on one SQLite file wait on each other's lock)."""
    from core.db import engine

    first = engine.state.engine
    assert engine.state.registry is not None
    apps = list(engine.state.registry.apps[1:])
    plugin_tables = [t for t in engine.all_tables() if not t.__module__.startswith("core.")]
    try:
        assert engine.configure(database_url, []) is first
        assert all(t._meta.db is first for t in engine.all_tables())
        assert all(t._meta.db is first for t in plugin_tables)
    finally:
        engine.configure(database_url, apps)
    assert engine.state.engine is first
