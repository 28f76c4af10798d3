"""The server the browser tests drive: a real ``uvicorn`` in a subprocess, on a free port,
with its own database holding the demo.

Its database is never the main suite's: that one has its ``public`` schema dropped at the
start of every session and is written by the tests in this process. On SQLite it is a
file in the session's temporary folder; on PostgreSQL (when ``HROMADA_TEST_DATABASE_URL``
names one) it is a database of its own on the same server, named after the test
database with ``_e2e`` appended (``test`` → ``test_e2e``), dropped and created afresh
for each session and dropped at the end (``HROMADA_E2E_DATABASE_URL`` names another).
The schema fuzz (``tests/fuzz``) serves its own the same way, with the suffix ``fuzz``.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

from tests.e2e.serve import SESSION_CACHE_SECONDS

ROOT = Path(__file__).resolve().parents[2]
#: Loading the demo takes most of the start-up; a busy 2-core machine needs minutes.
START_TIMEOUT = 420.0
#: An expiry in the past whatever instant the session runs at.
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def e2e_database_url(tmp: Path, suffix: str = "e2e") -> str:
    """The served database: ``<tmp>/<suffix>.sqlite3``, or on PostgreSQL the test
    database's name with ``_<suffix>`` appended (the browser tests use ``e2e``, the
    schema fuzz ``fuzz``: each its own)."""
    chosen = os.environ.get(f"HROMADA_{suffix.upper()}_DATABASE_URL", "")
    if chosen:
        return chosen
    main = os.environ.get("HROMADA_TEST_DATABASE_URL", "")
    if not main:
        return f"sqlite:///{tmp / f'{suffix}.sqlite3'}"
    parts = urlsplit(main)
    name = parts.path.lstrip("/") or "postgres"
    return urlunsplit(parts._replace(path=f"/{name}_{suffix}"))


def _admin_url(url: str) -> str:
    """The main test database's URL: where ``CREATE DATABASE`` of the e2e one is sent."""
    return os.environ.get("HROMADA_TEST_DATABASE_URL", "") or urlunsplit(
        urlsplit(url)._replace(path="/postgres")
    )


def _db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


async def recreate_postgres(url: str) -> None:
    name = _db_name(url).replace('"', '""')
    conn = await asyncpg.connect(_admin_url(url))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def drop_postgres(url: str) -> None:
    name = _db_name(url).replace('"', '""')
    conn = await asyncpg.connect(_admin_url(url))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def _spawn(
    port: int, database_url: str, log: Path, citizens: int, smtp_port: int
) -> subprocess.Popen[bytes]:
    """Start ``tests.e2e.serve`` (a fresh SQLite file, or the database just created)."""
    if not database_url.startswith("postgres"):
        Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.e2e.serve",
                "--port",
                str(port),
                "--database-url",
                database_url,
                "--citizens",
                str(citizens),
                "--public-url",
                f"http://127.0.0.1:{port}",
                "--mail-dir",
                str(log.parent / "mail"),
                "--smtp-port",
                str(smtp_port),
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _spawn_worker(
    port: int, database_url: str, log: Path, smtp_port: int
) -> subprocess.Popen[bytes]:
    """A ``hromada worker`` with the server's settings (its e-mail to the same SMTP
    server, at the session's instant), for the jobs the pages start on PostgreSQL."""
    from tests.e2e.serve import plugins

    config = log.parent / "worker.toml"
    lines = [
        f'database_url = "{database_url}"',
        "plugins = [" + ", ".join(f'"{p}"' for p in plugins()) + "]",
        f'public_url = "http://127.0.0.1:{port}"',
        f'mail_dir = "{log.parent / "mail"}"',
    ]
    if smtp_port:
        lines += ['smtp_host = "127.0.0.1"', f"smtp_port = {smtp_port}"]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {
        k: v for k, v in os.environ.items() if k not in ("HROMADA_DATABASE_URL", "HROMADA_PLUGINS")
    }
    env["HROMADA_CONFIG"] = str(config)
    with (log.parent / "worker.log").open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.deploy.clocked", "worker", "--concurrency", "2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


@dataclass
class Server:
    url: str
    database_url: str
    process: subprocess.Popen[bytes]
    log: Path
    #: On PostgreSQL, the job worker beside the server (jobs run in workers there).
    worker: subprocess.Popen[bytes] | None = None

    @classmethod
    async def start(
        cls, database_url: str, log: Path, citizens: int = 60, smtp_port: int = 0
    ) -> Server:
        """Serve the demo (``citizens`` per municipality) on a free port; its e-mail goes
        to the SMTP server on ``smtp_port`` (or, with 0, into files beside the log)."""
        if database_url.startswith("postgres"):
            await recreate_postgres(database_url)
        port = free_port()
        process = _spawn(port, database_url, log, citizens, smtp_port)
        server = cls(f"http://127.0.0.1:{port}", database_url, process, log)
        await server._wait_ready()
        if database_url.startswith("postgres"):
            server.worker = _spawn_worker(port, database_url, log, smtp_port)
        return server

    def _tail(self) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return text[-4000:]

    async def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        async with httpx.AsyncClient(base_url=self.url, timeout=2) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"the e2e server exited ({self.process.returncode}); its log "
                        f"{self.log}:\n{self._tail()}"
                    )
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.5)
        self.process.terminate()
        raise RuntimeError(
            f"the e2e server did not start in {START_TIMEOUT:.0f} s:\n{self._tail()}"
        )

    async def stop(self) -> None:
        if self.worker is not None and self.worker.poll() is None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.worker.kill()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        if self.database_url.startswith("postgres"):
            await drop_postgres(self.database_url)

    async def expire_sessions(self, username: str) -> None:
        """Let every session of a user run out, as if its time had passed (the server
        sees it once its copy of the session is no longer kept, as another process's
        change: ``session_cache_seconds``)."""
        await self._expire_sessions(username)
        await asyncio.sleep(SESSION_CACHE_SECONDS + 0.1)

    async def _expire_sessions(self, username: str) -> None:
        sql = (
            'UPDATE session_token SET expires_at = {p} WHERE "user" = '
            "(SELECT id FROM hromada_user WHERE username = {q})"
        )
        if self.database_url.startswith("postgres"):
            conn = await asyncpg.connect(self.database_url)
            try:
                await conn.execute(sql.format(p="$1", q="$2"), LONG_AGO, username)
            finally:
                await conn.close()
            return
        with sqlite3.connect(self.database_url.removeprefix("sqlite:///"), timeout=30) as db:
            db.execute(sql.format(p="?", q="?"), (LONG_AGO.isoformat(), username))
