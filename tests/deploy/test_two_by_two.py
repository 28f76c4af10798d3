"""The deployment of ``docs/deployment.md`` exercised: two web processes and two job
workers on one PostgreSQL database, and one month of the social order driven end to end
over HTTP across both web processes.

A fresh database of its own (the test database's name with ``_deploy`` appended) is
migrated once by ``hromada migrate``; the municipality and its admin come from
``hromada municipality create`` and ``hromada user create``; then everything goes over
HTTP, alternating between the two web processes (``hromada serve --no-migrate``): staff
accounts, the provider and the contract, a served person, the month's deliveries, the
invoice run started by the provider desk's button on one process (a job, run by one of
the workers) and followed on the other, and the invoice submitted, approved by another
accountant (four eyes) and paid. The budget line and the payment register then show the
money. Every process is stopped in the end; their logs are printed when the test fails.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from core import clock
from core.config import builtin_plugins
from tests.e2e.server import ROOT, drop_postgres, e2e_database_url, free_port, recreate_postgres
from tests.market.flow import delivery_month, delivery_period, nights

pytestmark = pytest.mark.db

SLUG = "deploy"
PASSWORD = "deploy-password-1"
IBAN = "UA213223130000026007233566001"
TOKEN = re.compile(r'name="_csrf" value="([0-9a-f]{64})"')
START_TIMEOUT = 180.0
JOB_TIMEOUT = 180.0


@dataclass
class Deployment:
    """The processes of one deployment and the environment they share."""

    folder: Path
    env: dict[str, str]
    processes: list[tuple[str, subprocess.Popen[bytes], Path]] = field(default_factory=list)

    def command(self, *args: str) -> str:
        """Run ``hromada ARGS`` to its end; its output, or the test fails with it."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.deploy.clocked", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            timeout=300,
        )
        out = (done.stdout + done.stderr).decode("utf-8", "replace")
        assert done.returncode == 0, f"hromada {' '.join(args)} exited {done.returncode}:\n{out}"
        return out

    def start(self, name: str, *args: str) -> None:
        log = self.folder / f"{name}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "tests.deploy.clocked", *args],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.processes.append((name, proc, log))

    def stop(self) -> None:
        for _, proc, _ in self.processes:
            if proc.poll() is None:
                proc.terminate()
        for _, proc, _ in self.processes:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)

    def logs(self) -> str:
        parts = []
        for name, proc, log in self.processes:
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            parts.append(f"--- {name} (exit {proc.poll()}) ---\n{text[-6000:]}")
        return "\n".join(parts)

    def check_alive(self) -> None:
        for name, proc, _ in self.processes:
            if proc.poll() is not None:
                raise AssertionError(f"{name} exited with {proc.returncode}")


@pytest.fixture
async def deployment(tmp_path: Path) -> AsyncIterator[Deployment]:
    url = e2e_database_url(tmp_path, "deploy")
    await recreate_postgres(url)
    config = tmp_path / "hromada.toml"
    config.write_text(f'mail_dir = "{tmp_path / "mail"}"\n', encoding="utf-8")
    plugins = os.environ.get("HROMADA_TEST_PLUGINS", "") or ",".join(builtin_plugins())
    env = {
        **os.environ,
        "HROMADA_CONFIG": str(config),
        "HROMADA_DATABASE_URL": url,
        "HROMADA_PLUGINS": plugins,
    }
    env.pop("HROMADA_JOB_STEP_PAUSE", None)
    deploy = Deployment(tmp_path, env)
    try:
        yield deploy
    finally:
        deploy.stop()
        print(deploy.logs())  # pytest shows it only when the test fails
        await drop_postgres(url)


async def wait_ready(deploy: Deployment, urls: list[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    async with httpx.AsyncClient(timeout=5) as client:
        for url in urls:
            while True:
                deploy.check_alive()
                try:
                    if (await client.get(f"{url}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"{url} did not answer in {START_TIMEOUT:.0f} s")
                await asyncio.sleep(0.3)


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


class Web:
    """The two web processes: ``web(n)`` is a client of process ``n`` (1 or 2)."""

    def __init__(self, clients: list[httpx.AsyncClient]) -> None:
        self.clients = clients
        self.tokens: dict[str, str] = {}

    def __call__(self, n: int) -> httpx.AsyncClient:
        return self.clients[n - 1]

    async def login(self, n: int, username: str) -> str:
        body = ok(
            await self(n).post("/api/auth/login", json={"username": username, "password": PASSWORD})
        )
        self(n).cookies.clear()  # API calls carry the bearer token, never the cookie
        token: str = body["token"]
        self.tokens[username] = token
        return token

    def auth(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    async def post(
        self, n: int, username: str, url: str, json: Any = None, status: int = 200
    ) -> Any:
        return ok(await self(n).post(url, json=json, headers=self.auth(username)), status)

    async def get(self, n: int, username: str, url: str, **kw: Any) -> httpx.Response:
        return await self(n).get(url, headers=self.auth(username), **kw)


async def test_two_web_processes_two_workers_one_month(deployment: Deployment) -> None:
    deploy = deployment
    assert "migrations applied" in deploy.command("migrate")
    deploy.command(
        "municipality",
        "create",
        SLUG,
        "--name-uk",
        "Тестова громада",
        "--name-en",
        "Test hromada",
        "--settlement",
        "Ковель",
    )
    deploy.command(
        "user", "create", "--municipality", SLUG, "--username", f"{SLUG}.admin",
        "--role", "admin", "--password", PASSWORD,
    )  # fmt: skip

    ports = [free_port(), free_port()]
    for n, port in enumerate(ports, 1):
        deploy.start(f"web{n}", "serve", "--no-migrate", "--port", str(port))
    for n in (1, 2):
        deploy.start(f"worker{n}", "worker", "--concurrency", "2", "--stalled-after", "10")
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    await wait_ready(deploy, urls)

    async with (
        httpx.AsyncClient(base_url=urls[0], timeout=30) as one,
        httpx.AsyncClient(base_url=urls[1], timeout=30) as two,
    ):
        web = Web([one, two])
        admin = f"{SLUG}.admin"
        await web.login(1, admin)

        # Staff and the provider, made by the admin on web 1; each signs in on web 2.
        provider = await web.post(
            1,
            admin,
            "/api/providers",
            {"name": "БФ «Надія»", "kind": "ngo", "edrpou": "37993783", "iban": IBAN},
            201,
        )
        await web.post(1, admin, f"/api/providers/{provider['id']}/verify", {"verified": True})
        staff = {
            "intake": {"role": "intake"},
            "caseworker": {"role": "caseworker"},
            "accountant": {"role": "accountant"},
            "accountant2": {"role": "accountant"},
            "provider": {"role": "provider", "provider_id": provider["id"]},
        }
        for name, extra in staff.items():
            body = {"username": f"{SLUG}.{name}", "password": PASSWORD, **extra}
            await web.post(1, admin, "/api/users", body, 201)
            await web.login(2, f"{SLUG}.{name}")
        intake, caseworker = f"{SLUG}.intake", f"{SLUG}.caseworker"
        accountant, accountant2 = f"{SLUG}.accountant", f"{SLUG}.accountant2"
        provider_user = f"{SLUG}.provider"

        # The contract (web 2), the served person (web 1).
        month = delivery_month()
        await web.post(
            2,
            admin,
            "/api/parameters",
            {
                "key": "core.intake_backdate_days",
                "valid_from": clock.today().isoformat(),
                "value": 800,
                "note": "the month starts before the default backdating window",
            },
            201,
        )
        line = await web.post(
            2,
            accountant,
            "/api/budget-lines",
            {
                "year": clock.today().year,
                "programme_code": "0813241",
                "economic_code": "2610",
                "name": "Соціальні послуги, що надаються надавачами недержавного сектору",
                "allocation": "500000.00",
                "lump_sum_services": [],
            },
            201,
        )
        contract = await web.post(
            2,
            admin,
            "/api/contracts",
            {
                "provider_id": provider["id"],
                "service_code": "homeless.night_stay",
                "period_start": month.isoformat(),
                "period_end": f"{clock.today().year}-12-31",
                "tariff": {"unit_price": "250.00"},
                "volume_cap": "100",
                "money_cap": "25000.00",
                "budget_line_id": line["id"],
            },
            201,
        )
        citizen = await web.post(
            1,
            intake,
            "/api/citizens",
            {"last_name": "Шевченко", "first_name": "Оксана", "settlement": "Ковель"},
            201,
        )
        await web.post(
            1,
            intake,
            "/api/ext/homeless/register",
            {
                "citizen_id": citizen["id"],
                "channel": "application",
                "has_identity_documents": False,
                "registered_address_is_centre": True,
                "registered_on": month.replace(month=1).isoformat(),
            },
            201,
        )
        req = await web.post(
            1,
            intake,
            "/api/requests",
            {
                "service_code": "homeless.night_stay",
                "citizen_id": citizen["id"],
                "form": {
                    "shelter_settlement": "Ковель",
                    "needs_lower_bunk": False,
                    "needs_step_free_access": False,
                },
                "received_on": month.isoformat(),
            },
            201,
        )
        assert req["eligibility"] == "eligible", req
        await web.post(
            2, caseworker, f"/api/requests/{req['id']}/decision", {"decision": "approve"}
        )
        await web.post(
            1,
            caseworker,
            f"/api/requests/{req['id']}/assign",
            {"contract_id": contract["id"], "assigned_on": month.isoformat()},
            201,
        )

        # The month's deliveries, recorded through web 2.
        days = nights()
        for n, night in enumerate(days):
            await web.post(
                2,
                provider_user,
                "/api/deliveries",
                {
                    "request_id": req["id"],
                    "delivered_on": night.isoformat(),
                    "idempotency_key": f"night-{n}",
                    "data": {"night": night.isoformat()},
                },
                201,
            )
        expected = f"{250 * len(days)}.00"

        # The provider desk's run button on web 1 (a browser's session cookie and form
        # token), the job followed on web 2 until a worker has finished it.
        session = {"Cookie": f"hromada_session={web.tokens[provider_user]}"}
        page = await one.get("/desk/provider/invoices", headers=session)
        assert page.status_code == 200, page.text
        found = TOKEN.search(page.text)
        assert found, "the invoices page has no form token"
        csrf = page.cookies["hromada_csrf"]
        one.cookies.clear()
        ran = await one.post(
            "/desk/provider/invoices/run",
            data={"_csrf": found.group(1), "month": delivery_period()},
            headers={"Cookie": f"{session['Cookie']}; hromada_csrf={csrf}"},
        )
        assert ran.status_code == 303, ran.text
        job_id = int(ran.headers["location"].rsplit("job=", 1)[1])
        deadline = time.monotonic() + JOB_TIMEOUT
        while True:
            deploy.check_alive()
            fragment = await two.get(f"/desk/jobs/{job_id}", headers=session)
            two.cookies.clear()
            assert fragment.status_code == 200, fragment.text
            if "Складено рахунків: 1" in fragment.text:
                break
            assert "Не вдалося" not in fragment.text, fragment.text
            assert "Скасовано" not in fragment.text, fragment.text
            assert time.monotonic() < deadline, f"job {job_id} not done:\n{fragment.text}"
            await asyncio.sleep(0.5)
        worked = "".join(
            log.read_text(encoding="utf-8", errors="replace")
            for name, _, log in deploy.processes
            if name.startswith("worker")
        )
        assert "hromada.job[" in worked
        assert f"(job_id={job_id})" in worked, worked
        listed = msgspec.json.decode(deploy.command("jobs", "--json", "--limit", "100"))
        assert [(j["name"], j["state"]) for j in listed if j["id"] == job_id] == [
            ("invoices.run", "done")
        ]

        # Submitted by one accountant, approved by the other (four eyes), paid.
        invoices = ok(await web.get(1, accountant, "/api/invoices"))
        assert len(invoices) == 1
        invoice = invoices[0]
        assert (invoice["total"], invoice["status"]) == (expected, "draft")
        await web.post(1, accountant, f"/api/invoices/{invoice['id']}/submit")
        own = await web(2).post(
            f"/api/invoices/{invoice['id']}/approve", headers=web.auth(accountant)
        )
        assert own.status_code == 403, own.text
        approved = await web.post(2, accountant2, f"/api/invoices/{invoice['id']}/approve")
        assert approved["status"] == "approved"
        paid = await web.post(
            1,
            accountant,
            f"/api/invoices/{invoice['id']}/pay",
            {"paid_on": clock.today().isoformat(), "reference": "ПД-2x2"},
        )
        assert paid["status"] == "paid"

        # The money, read on both processes.
        for n in (1, 2):
            figures = ok(await web.get(n, accountant2, f"/api/budget-lines/{line['id']}"))
            assert figures["committed"] == "25000.00"
            assert figures["paid"] == expected
            assert figures["invoiced"] == "0.00"
        register = await web.get(
            2,
            accountant,
            "/api/registers/payments",
            params={"period": delivery_period(), "format": "csv"},
        )
        assert register.status_code == 200, register.text
        rows = list(csv.reader(io.StringIO(register.content.decode("utf-8-sig")), delimiter=";"))
        assert len(rows) == 3  # the header, the invoice, the total
        assert rows[2][5] == expected
        assert rows[1][3] == "37993783"
        assert rows[1][5] == expected
        assert rows[1][7] == "0813241"
