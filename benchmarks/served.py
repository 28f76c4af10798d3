"""Benchmark: Hromada served as in production, under wrk, against bare references served
the same way, in one run: the catalogue, a submission and a screening of every service.

In a fresh database (SQLite: a file in a temporary folder; PostgreSQL: a database created
beside ``--postgres`` and dropped at the end) it sets up a municipality with every
built-in plugin enabled (12 services), an intake user with a session and 200 citizens,
then starts, each as its own uvicorn process on 127.0.0.1 (``uvicorn core.asgi:app``, as
docs/deployment.md runs it, and ``benchmarks.bare_apps`` for the references):

- the **bare catalogue** (one Litestar route returning the 12 cards Hromada returned);
- **Hromada** with one worker, and on PostgreSQL also with two (``--workers 2``);
- the **bare submission** (one ``INSERT`` and one audit ``INSERT`` in a transaction, the
  driver alone), with one worker, and on PostgreSQL also with two.

wrk (Debian's package ``wrk``) then drives each case for ``--seconds``, the cases
interleaved over ``--rounds`` rounds, medians reported, tables analysed between rounds
and before each submission case (these machines' PostgreSQL runs without autovacuum):

1. ``GET /api/services`` of the bare catalogue and of Hromada, the page ``/``, and the
   API again with ``If-None-Match`` (a client revalidating its copy: 304, no body);
2. ``POST /api/screening`` of one applicant against all 12 services, at 1 connection
   (the latency a person waits) and at ``--connections``;
3. ``POST /api/requests`` (funeral aid: validate, screen, journal number, store, history,
   audit; every body about another deceased person, so the tables grow as in a day's
   work) beside the bare submission, with 1 worker and, on PostgreSQL, 2.

It prints requests per second, p50 and p99 of each case and its ratio to its reference,
the submission rate of the first and of the last round (does it fall as rows grow?), and
the peak resident memory (``VmHWM``) of every Hromada worker process under these loads.

    python -m benchmarks.served                          # SQLite
    python -m benchmarks.served --postgres postgresql://postgres@127.0.0.1:5432/postgres

Targets and figures: docs/performance.md, "Served: catalogue, submission, screening".
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from core.config import Settings, builtin_plugins
from core.db import engine as db_engine
from core.db.migrate import migrate
from core.platform import Platform
from core.service import Applicant

CODE = "funeral_aid.lump_sum"
ROOT = Path(__file__).resolve().parent.parent


async def _scaffold(platform: Platform) -> tuple[str, list[int]]:
    """A municipality with every plugin, its intake user's session token, 200 citizens."""
    from core.actor import Actor
    from core.db.tables import Citizen, Municipality, User
    from core.workflow import users

    muni = Municipality(
        slug="bench",
        name_uk="Бенчмарк",
        name_en="Benchmark",
        settlements='["Ковель"]',
        enabled_plugins=msgspec.json.encode(list(platform.host.plugins)).decode(),
    )
    await muni.save()
    user = User(
        municipality=muni.id,
        username="bench.intake",
        password_hash=users.hash_password("bench password 1"),
        role="intake",
        full_name="Bench",
    )
    await user.save()
    actor = Actor(
        id=int(user.id),
        username="bench.intake",
        full_name="Bench",
        role="intake",
        municipality_id=int(muni.id),
        municipality_slug="bench",
    )
    token, _ = await users.open_session(actor, 24 * 3600)
    citizens = []
    for n in range(200):
        citizen = Citizen(
            municipality=muni.id,
            last_name=f"Бенч{n}",
            first_name="Олена",
            search_name=f"бенч{n} олена",
            settlement="Ковель",
            categories="[]",
        )
        await citizen.save()
        citizens.append(int(citizen.id))
    return token, citizens


# --- wrk -------------------------------------------------------------------------------


@dataclass
class Figure:
    rate: float
    p50_ms: float
    p99_ms: float
    failed: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    assert match, text
    return float(match[1]) * _UNITS[match[2]]


def _wrk(url: str, script: Path, seconds: float, connections: int) -> Figure:
    threads = min(2, connections)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds:.0f}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out)[1])  # type: ignore[index]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out)[1])  # type: ignore[index]
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    if errors:
        print(f"  wrk {url}: socket errors {errors[1]}", file=sys.stderr)
    return Figure(rate, p50, p99, int(failed[1]) if failed else 0)


def _lua_get(headers: dict[str, str]) -> str:
    lines = ['wrk.method = "GET"']
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
    return "\n".join(lines) + "\n"


def _lua_post(path: str, template: bytes, headers: dict[str, str], citizens: list[int]) -> str:
    """A wrk script posting ``template`` with ``@@N@@`` replaced by a number unique across
    wrk's threads and ``"@@CITIZEN@@"`` by one of ``citizens`` in turn."""
    pieces = re.split(rb'(@@N@@|"@@CITIZEN@@")', template)
    parts = []
    for piece in pieces:
        if piece == b"@@N@@":
            parts.append("tostring(tid * 100000000 + counter)")
        elif piece == b'"@@CITIZEN@@"':
            parts.append("tostring(citizens[counter % #citizens + 1])")
        else:
            parts.append("[==[" + piece.decode() + "]==]")
    header_table = ", ".join(f'["{k}"] = "{v}"' for k, v in headers.items())
    return f"""
counter = 0
tid = 0
local started = 0
citizens = {{{", ".join(map(str, citizens))}}}
local headers = {{{header_table}}}
function setup(thread)
  started = started + 1
  thread:set("tid", started)
end
function request()
  counter = counter + 1
  local body = {" .. ".join(parts)}
  return wrk.format("POST", "{path}", headers, body)
end
"""


# --- servers ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    name: str
    target: str
    workers: int
    env: dict[str, str]
    factory: bool = False
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, cwd: Path) -> None:
        command = [sys.executable, "-m", "uvicorn", self.target, "--port", str(self.port)]
        command += ["--workers", str(self.workers), "--no-access-log", "--log-level", "warning"]
        if self.factory:
            command.append("--factory")
        env = {**os.environ, **self.env, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True)

    def wait_ready(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process is not None
            assert self.process.poll() is None, f"{self.name} stopped"
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                time.sleep(0.2)
                continue
            if len(self.worker_pids()) >= self.workers:
                return
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} did not start")

    def worker_pids(self) -> list[int]:
        """The processes that serve: the server itself, or its spawned workers."""
        assert self.process is not None
        if self.workers == 1:
            return [self.process.pid]
        pids = []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        for pid in children.read_text().split():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"spawn_main" in cmdline:
                pids.append(int(pid))
        return pids

    def peak_rss_mb(self) -> list[float]:
        """``VmHWM`` (the peak resident set) of each worker process, in MB."""
        peaks = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            assert match
            peaks.append(int(match[1]) / 1024)
        return peaks

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


@dataclass
class Case:
    name: str
    server: Server
    path: str
    script: Path
    connections: int
    reference: str  # the case whose rate is this one's 1.00
    figures: list[Figure] = field(default_factory=list)


# --- the run ---------------------------------------------------------------------------


async def _prepare(url: str) -> tuple[Platform, str, list[int], list[Any], bytes, str]:
    """Migrate, scaffold, and read what the references and scripts need."""
    import httpx

    from core.api.app import create_app

    platform = Platform(Settings(database_url=url, plugins=builtin_plugins()))
    platform.bind_database()
    db = db_engine.engine()
    await db_engine.start(db)
    await migrate()
    token, citizens = await _scaffold(platform)
    app = create_app(platform)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
        base_url="http://bench",
    ) as client:
        answer = await client.get("/api/services")
    cards, etag = answer.json(), answer.headers["etag"]
    assert len(cards) == 12, len(cards)
    service = platform.host.services[CODE]
    assert service.example_form is not None
    import random

    form: dict[str, Any] = msgspec.to_builtins(
        service.example_form(random.Random(1), Applicant(settlement="Ковель"), date.today())
    )
    form["deceased_first_name"] = "Особа@@N@@"
    body = {
        "service_code": CODE,
        "citizen_id": "@@CITIZEN@@",
        "form": form,
        "received_on": date.today().isoformat(),
    }
    await _bare_tables(url)
    await _analyse()
    await db_engine.stop(db)
    return platform, token, citizens, cards, msgspec.json.encode(body), etag


async def _bare_tables(url: str) -> None:
    from benchmarks import bare_apps

    db = db_engine.engine()
    statements = (
        bare_apps.TABLES_POSTGRES if url.startswith("postgres") else bare_apps.TABLES_SQLITE
    )
    for statement in statements:
        await db.run_ddl(statement)


async def _analyse() -> None:
    await db_engine.engine().run_ddl("ANALYZE")


def _analyse_now(url: str) -> None:
    async def run() -> None:
        db = db_engine.engine()
        await db_engine.start(db)
        await _analyse()
        await db_engine.stop(db)

    asyncio.run(run())


def _print(cases: list[Case], engine: str, args: argparse.Namespace) -> None:
    print(
        f"engine: {engine}; wrk, {args.rounds} rounds of {args.seconds:.0f} s, medians; "
        f"{date.today()}"
    )
    print(
        f"{'case':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} "
        f"{'each round':>13} {'failed':>6}"
    )
    rates = {c.name: statistics.median(f.rate for f in c.figures) for c in cases}
    for case in cases:
        rate = rates[case.name]
        p50 = statistics.median(f.p50_ms for f in case.figures)
        p99 = statistics.median(f.p99_ms for f in case.figures)
        reference = rates[case.reference]
        ratio = f"{rate / reference:.2f}" if reference else "—"
        trend = "/".join(f"{f.rate:.0f}" for f in case.figures)
        failed = sum(f.failed for f in case.figures)
        print(
            f"{case.name:<44} {rate:>8.0f} {p50:>8.1f} {p99:>8.1f} {ratio:>6} "
            f"{trend:>13} {failed:>6}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--postgres", default="", help="a PostgreSQL URL to create a database beside"
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    logging.disable(logging.INFO)
    from benchmarks.billing import _drop_postgres, _fresh_postgres

    tmp = Path(tempfile.mkdtemp(prefix="hromada-served-"))
    pg_name = ""
    if args.postgres:
        url, pg_name = asyncio.run(_fresh_postgres(args.postgres))
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    servers: list[Server] = []
    try:
        platform, token, citizens, cards, template, etag = asyncio.run(_prepare(url))
        (tmp / "cards.json").write_bytes(msgspec.json.encode(cards))
        postgres = bool(args.postgres)
        hromada_env = {
            "HROMADA_DATABASE_URL": url,
            "HROMADA_PLUGINS": ",".join(platform.settings.plugins),
        }
        bare_env = {"BENCH_DATABASE_URL": url, "BENCH_CARDS": str(tmp / "cards.json")}
        bare_cat = Server("bare catalogue", "benchmarks.bare_apps:catalogue", 1, bare_env, True)
        hromada = {1: Server("Hromada, 1 worker", "core.asgi:app", 1, hromada_env)}
        bare_sub = {
            1: Server("bare submission", "benchmarks.bare_apps:submission", 1, bare_env, True)
        }
        if postgres:
            hromada[2] = Server("Hromada, 2 workers", "core.asgi:app", 2, hromada_env)
            bare_sub[2] = Server(
                "bare submission, 2", "benchmarks.bare_apps:submission", 2, bare_env, True
            )
        servers = [bare_cat, *hromada.values(), *bare_sub.values()]
        for server in servers:
            server.start(tmp)
        for server in servers:
            server.wait_ready()

        def script(name: str, text: str) -> Path:
            path = tmp / f"{name}.lua"
            path.write_text(text)
            return path

        get_json = script("get", _lua_get({}))
        get_html = script("page", _lua_get({"Accept": "text/html"}))
        revalidate = script("revalidate", _lua_get({"If-None-Match": etag.replace('"', '\\"')}))
        profile = {"answers": {}, "applicant": {"disability_group": 1}}
        screening = script(
            "screening",
            'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            f"wrk.body = [==[{msgspec.json.encode(profile).decode()}]==]\n",
        )
        json_headers = {"Content-Type": "application/json"}
        bare_post = script("bare", _lua_post("/bare", template, json_headers, citizens))
        submit = script(
            "submit",
            _lua_post(
                "/api/requests",
                template,
                {**json_headers, "Authorization": f"Bearer {token}"},
                citizens,
            ),
        )
        c = args.connections
        bare_name = "bare Litestar, 12 cards"
        cases = [
            Case(bare_name, bare_cat, "/api/services", get_json, c, bare_name),
            Case("GET /api/services", hromada[1], "/api/services", get_json, c, bare_name),
            Case("catalogue page /", hromada[1], "/", get_html, c, bare_name),
            Case(
                "GET /api/services, If-None-Match (304)",
                hromada[1],
                "/api/services",
                revalidate,
                c,
                bare_name,
            ),
            Case(
                "POST /api/screening, 1 connection",
                hromada[1],
                "/api/screening",
                screening,
                1,
                "POST /api/screening, 1 connection",
            ),
            Case(
                f"POST /api/screening, {c} connections",
                hromada[1],
                "/api/screening",
                screening,
                c,
                f"POST /api/screening, {c} connections",
            ),
        ]
        for workers in sorted(hromada):
            bare_case = f"bare INSERT + audit, {workers} worker(s)"
            cases.append(Case(bare_case, bare_sub[workers], "/bare", bare_post, c, bare_case))
            cases.append(
                Case(
                    f"POST /api/requests, {workers} worker(s)",
                    hromada[workers],
                    "/api/requests",
                    submit,
                    c,
                    bare_case,
                )
            )
        writes = {bare_post, submit}
        for round_number in range(args.rounds):
            for case in cases:
                if round_number == 0:
                    _wrk(case.server.url + case.path, case.script, 2, case.connections)
                if case.script in writes:
                    # The earlier cases' rows analysed, as autovacuum would have: else
                    # a server's first statements are planned for the tables' last
                    # statistics (the first round of two workers ran at a third of the
                    # others', its plans made for empty tables).
                    _analyse_now(url)
                case.figures.append(
                    _wrk(case.server.url + case.path, case.script, args.seconds, case.connections)
                )
            _analyse_now(url)
        _print(cases, "PostgreSQL" if postgres else "SQLite", args)
        for server in hromada.values():
            peaks = ", ".join(f"{p:.0f}" for p in server.peak_rss_mb())
            print(f"peak RSS of each worker, {server.name}: {peaks} MB")
    finally:
        for server in servers:
            server.stop()
        if pg_name:
            asyncio.run(_drop_postgres(args.postgres, pg_name))
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
