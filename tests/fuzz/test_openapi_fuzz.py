"""The OpenAPI document keeps telling the truth: schemathesis fuzzes every operation of
``/schema/openapi.json`` as each kind of caller and checks each answer against it.

The server is a real ``uvicorn`` in a subprocess with the demo loaded in a database of
its own (``tests/e2e/server.py``: a SQLite file in the session's folder, or on
PostgreSQL the test database's name with ``_fuzz`` appended), as the browser tests do:
the suite's asyncpg pool belongs to the test's event loop and schemathesis calls
synchronously. Every operation runs as anonymous, citizen, provider, accountant and
admin (the demo's ``lutsk.*`` users) with a fixed seed and a bounded number of examples,
and every check is on: no answer may be a 5xx, and status codes, content types,
bodies and headers must be the documented ones; data the schema refuses must be
refused and data it allows must not be refused for its shape.

Run it alone with ``pytest tests/fuzz`` (add ``HROMADA_TEST_DATABASE_URL`` for
PostgreSQL); ``HROMADA_FUZZ_EXAMPLES`` changes the examples per operation and role,
``HROMADA_FUZZ_COVERAGE=1`` adds schemathesis's coverage phase.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema
from schemathesis.schemas import BaseSchema

from tests.e2e.server import Server, e2e_database_url

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "fuzz"
PASSWORD = "hromada-demo"
ROLES = ("anonymous", "citizen", "provider", "accountant", "admin")
#: Examples per operation and role in the fuzzing phase; with the explicit examples and
#: the other roles this sends well over 2,000 requests in a few minutes.
EXAMPLES = int(os.environ.get("HROMADA_FUZZ_EXAMPLES", "4"))
SEED = 20261130
#: The coverage phase too (a deep run, some 7,000 more requests per role).
COVERAGE = os.environ.get("HROMADA_FUZZ_COVERAGE", "") == "1"

#: Operations not fuzzed, and why. Nothing else is left out.
EXCLUDED: dict[str, tuple[tuple[str, str], ...]] = {
    # Ends the session whose token the rest of the run uses.
    "*": (("POST", "/api/auth/logout"),),
    "admin": (
        # Replacing the municipality's plugins (e.g. with []) closes every plugin route
        # (404) for the rest of the run.
        ("PUT", "/api/plugins/enabled"),
        # The admin could deactivate, demote or re-password their own account (user ids
        # are small numbers), which ends the session the run uses.
        ("PATCH", "/api/users/{user_id}"),
    ),
}

#: Statuses that are not a failure of "positive_data_acceptance" (data the schema
#: allows, refused anyway): the schema cannot say that a tax number's check digit or an
#: IBAN must be right, that a date lies in the future or in a contract's period, that an
#: id names a row of the municipality, or that a plugin's rules pass (400, 422).
ACCEPTED = ["2xx", "400", "401", "403", "404", "409", "422", "429"]

#: How many requests the run sent (the calls of every case), checked at the end.
SENT: dict[str, int] = {}

pytestmark = pytest.mark.db


@pytest.fixture(scope="package")
async def fuzz_server(tmp_session_dir: Path) -> AsyncIterator[Server]:
    url = e2e_database_url(tmp_session_dir, "fuzz")
    engine = "postgres" if url.startswith("postgres") else "sqlite"
    server = await Server.start(url, ARTIFACTS / f"server-{engine}.log", citizens=10)
    yield server
    await server.stop()


@pytest.fixture(scope="package")
def tokens(fuzz_server: Server) -> dict[str, str]:
    found = {}
    for role in ROLES[1:]:
        # A client of its own for each: a kept session cookie would make the next login
        # a cookie-authenticated write without an Origin (403).
        answer = httpx.post(
            f"{fuzz_server.url}/api/auth/login",
            json={"username": f"lutsk.{role}", "password": PASSWORD},
            timeout=30,
        )
        answer.raise_for_status()
        found[role] = answer.json()["token"]
    return found


def _config(token: str | None) -> SchemathesisConfig:
    checks: dict[str, Any] = {
        "positive_data_acceptance": {"expected-statuses": ACCEPTED},
    }
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "warnings": False,
            "cache": {"enabled": False},
            "headers": {"Authorization": f"Bearer {token}"} if token else {},
            "request-timeout": 60,
            "generation": {
                "max-examples": EXAMPLES,
                "deterministic": True,
                "no-shrink": True,
            },
            "checks": checks,
            "phases": {
                # The coverage phase (every boundary and negative value of every
                # parameter) sends some 7,000 requests per role, minutes beyond this
                # suite's budget: HROMADA_FUZZ_COVERAGE=1 adds it for a deep run. The
                # fuzzing phase generates negative data as well. The stateful phase
                # chains calls by links, which the document does not declare.
                "coverage": {"enabled": COVERAGE},
                "stateful": {"enabled": False},
            },
        }
    )


def _fuzz(url: str, role: str, token: str | None) -> tuple[int, list[str]]:
    """Run every phase of schemathesis as ``role``; the requests sent and the failures."""
    schema: BaseSchema = schemathesis.openapi.from_url(
        f"{url}/schema/openapi.json", config=_config(token)
    )
    for method, path in EXCLUDED["*"] + EXCLUDED.get(role, ()):
        schema = schema.exclude(method=method, path=path)
    sent = 0
    failures: list[str] = []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            sent += len(event.recorder.interactions)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.status == Status.FAILURE and check.failure_info is not None:
                        failure = check.failure_info.failure
                        failures.append(
                            f"{role} {event.recorder.label} [{check.name}] {failure.title}: "
                            f"{failure.message}\n    {check.failure_info.code_sample}"
                        )
        elif isinstance(event, events.NonFatalError):
            failures.append(f"{role} {event.label}: error {event.value!r}")
        elif isinstance(event, events.FatalError):
            failures.append(f"{role}: fatal {event.exception!r}")
        elif isinstance(event, events.EngineFinished):
            failures.extend(f"{role}: {f.title}: {f.message}" for f in event.failures)
    return sent, failures


@pytest.mark.parametrize("role", ROLES)
def test_openapi_document_holds(role: str, fuzz_server: Server, tokens: dict[str, str]) -> None:
    sent, failures = _fuzz(fuzz_server.url, role, tokens.get(role))
    SENT[role] = sent
    print(f"schema fuzz as {role}: {sent} requests, {len(set(failures))} failures")
    unique = sorted(set(failures))
    assert not unique, f"{len(unique)} failures as {role}:\n" + "\n".join(unique[:60])


def test_fuzz_sent_enough_requests() -> None:
    """The run above sent at least 2,000 requests, by every role."""
    if not SENT:
        # Only when the per-role fuzz tests were deselected (-k): nothing was sent to count.
        # Under CI=true a skip fails the run (tests/conftest.py), so it cannot hide a failure.
        pytest.skip("the per-role fuzz tests were deselected in this session")
    assert set(SENT) == set(ROLES), SENT
    assert sum(SENT.values()) >= 2000, SENT
