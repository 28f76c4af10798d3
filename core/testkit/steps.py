"""A service's life through the API, one step a call, as the municipality's staff, the
provider and the accountant of a :class:`~core.testkit.world.World` would take it.

Each step sends one request as the role that may, asserts the status the API answers on
success (an ``AssertionError`` carrying the response's body otherwise) and returns the
decoded JSON. A test of an outside plugin reads as the service's story::

    req = await steps.submit(world, "meals_on_wheels.meals", form)
    await steps.decide(world, req["id"])
    contract = await steps.contract(world, "meals_on_wheels.meals", {"meal": "85.00"}, ...)
    await steps.assign(world, req["id"], contract["id"])
    await steps.deliver(world, req["id"], on, {"meals": 1})
    (invoice,) = await steps.run_invoices(world, "2026-11")
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core import clock
from core.testkit.world import World


def expect(response: Any, status: int = 200) -> Any:
    """The response's JSON, after asserting its status."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    return response.json()


async def screen(
    world: World,
    answers: dict[str, Any],
    *,
    applicant: dict[str, Any] | None = None,
    on: date | None = None,
    role: str | None = "intake",
) -> dict[str, Any]:
    """Screen the applicant and answers against every enabled service; the verdicts by
    service code."""
    body: dict[str, Any] = {"answers": answers, "applicant": applicant or {}}
    if on is not None:
        body["on"] = on.isoformat()
    found = expect(await world.post(role, "/api/screening", body))
    return {s["service"]: s for s in found["results"]}


async def submit(
    world: World,
    service_code: str,
    form: dict[str, Any],
    *,
    citizen_id: int | None = None,
    received_on: date | None = None,
) -> dict[str, Any]:
    """A request received at the front office for the world's citizen (or ``citizen_id``)."""
    body: dict[str, Any] = {
        "service_code": service_code,
        "citizen_id": citizen_id or world.citizen_id,
        "form": form,
    }
    if received_on is not None:
        body["received_on"] = received_on.isoformat()
    return expect(await world.post("intake", "/api/requests", body), 201)


async def decide(world: World, request_id: int, decision: str = "approve") -> dict[str, Any]:
    """The caseworker's decision: ``approve`` or ``reject``."""
    body = {"decision": decision}
    return expect(await world.post("caseworker", f"/api/requests/{request_id}/decision", body))


async def budget_line(world: World, allocation: str = "500000.00") -> dict[str, Any]:
    """A budget line of this year for social services bought from providers."""
    body = {
        "year": clock.today().year,
        "programme_code": "0813241",
        "economic_code": "2240",
        "name": "Соціальні послуги / Social services",
        "allocation": allocation,
        "lump_sum_services": [],
    }
    return expect(await world.post("accountant", "/api/budget-lines", body), 201)


async def contract(
    world: World,
    service_code: str,
    tariff: dict[str, Any],
    *,
    volume: str = "1000",
    money: str = "100000.00",
    start: date | None = None,
    end: date | None = None,
    line_id: int | None = None,
) -> dict[str, Any]:
    """A direct contract of the service with the world's provider (verified here), for
    this year by default, paid from a new budget line (or ``line_id``)."""
    year = clock.today().year
    if line_id is None:
        line_id = int((await budget_line(world))["id"])
    expect(
        await world.post("admin", f"/api/providers/{world.provider_id}/verify", {"verified": True})
    )
    body = {
        "provider_id": world.provider_id,
        "service_code": service_code,
        "period_start": (start or date(year, 1, 1)).isoformat(),
        "period_end": (end or date(year, 12, 31)).isoformat(),
        "tariff": tariff,
        "volume_cap": volume,
        "money_cap": money,
        "budget_line_id": line_id,
    }
    return expect(await world.post("admin", "/api/contracts", body), 201)


async def assign(
    world: World, request_id: int, contract_id: int, on: date | None = None
) -> dict[str, Any]:
    """The caseworker assigns an approved request to the contract (on ``on``, else today)."""
    body: dict[str, Any] = {"contract_id": contract_id}
    if on is not None:
        body["assigned_on"] = on.isoformat()
    return expect(await world.post("caseworker", f"/api/requests/{request_id}/assign", body), 201)


async def deliver(
    world: World,
    request_id: int,
    on: date,
    data: dict[str, Any],
    *,
    key: str | None = None,
    status: int = 201,
) -> dict[str, Any]:
    """The provider records a delivery; ``status=422`` expects a refusal (its body)."""
    body = {
        "request_id": request_id,
        "delivered_on": on.isoformat(),
        "idempotency_key": key or f"{request_id}-{on.isoformat()}-{sorted(data.items())}",
        "data": data,
    }
    return expect(await world.post("provider", "/api/deliveries", body), status)


async def run_invoices(world: World, period: str) -> list[dict[str, Any]]:
    """The accountant drafts the invoices of the month ``YYYY-MM``."""
    return expect(await world.post("accountant", "/api/invoices/run", {"period": period}), 201)


async def approve_and_pay(world: World, invoice_id: int, paid_on: date) -> dict[str, Any]:
    """The provider submits the invoice, an accountant approves and pays it."""
    expect(await world.post("provider", f"/api/invoices/{invoice_id}/submit"))
    expect(await world.post("accountant", f"/api/invoices/{invoice_id}/approve"))
    body = {"paid_on": paid_on.isoformat(), "reference": f"PP-{invoice_id}"}
    return expect(await world.post("accountant", f"/api/invoices/{invoice_id}/pay", body))
