"""Steps of the social order shared by the marketplace tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from core import clock
from core.db.market import CallForProposals
from core.platform import Platform
from tests.world import World

NIGHT = "homeless.night_stay"
MEAL = "homeless.hot_meal"


def this_year() -> int:
    """The current year, read when a test runs (a run may cross New Year)."""
    return clock.today().year


async def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def allow_backdating(w: World, days: int = 800) -> None:
    """Let staff date receipts and assignments up to ``days`` back (the municipality's
    ``core.intake_backdate_days``, 30 by default), for tests set in last year."""
    await ok(
        await w.post(
            "admin",
            "/api/parameters",
            {
                "key": "core.intake_backdate_days",
                "valid_from": clock.today().isoformat(),
                "value": days,
                "note": "tests",
            },
        ),
        201,
    )


async def budget_line(
    w: World, allocation: str = "500000.00", code: str = "2240", lump_sums: list[str] | None = None
) -> dict[str, Any]:
    return await ok(
        await w.post(
            "accountant",
            "/api/budget-lines",
            {
                "year": this_year(),
                "programme_code": "0813241",
                "economic_code": code,
                "name": "Соціальні послуги, що надаються надавачами недержавного сектору",
                "allocation": allocation,
                "lump_sum_services": lump_sums or [],
            },
        ),
        201,
    )


async def verify_providers(w: World) -> None:
    for pid in (w.provider_id, w.other_provider_id):
        await ok(await w.post("admin", f"/api/providers/{pid}/verify", {"verified": True}))


async def second_provider_user(w: World) -> str:
    """A user for the world's other provider; returns its bearer token."""
    from core.workflow import users

    user = await ok(
        await w.post(
            "admin",
            "/api/users",
            {
                "username": f"{w.slug}.provider2",
                "password": "provider-two-pw",
                "role": "provider",
                "provider_id": w.other_provider_id,
            },
        ),
        201,
    )
    actor = w.actors["provider"].__class__(
        id=user["id"],
        username=user["username"],
        full_name="",
        role="provider",
        municipality_id=w.municipality_id,
        municipality_slug=w.slug,
        provider_id=w.other_provider_id,
    )
    token, _ = await users.open_session(actor, 3600)
    w.tokens["provider2"] = token
    w.actors["provider2"] = actor
    return token


async def call(
    w: World, line_id: int, service: str = NIGHT, volume: str = "1000", max_price: str = "300.00"
) -> dict[str, Any]:
    return await ok(
        await w.post(
            "caseworker",
            "/api/calls",
            {
                "service_code": service,
                "title": "Нічне перебування бездомних осіб",
                "volume": volume,
                "max_unit_price": max_price,
                "period_start": f"{delivery_month().year}-01-01",
                "period_end": f"{this_year()}-12-31",
                "criteria": [
                    {"code": "price", "name": "Ціна", "weight": 40},
                    {"code": "quality", "name": "Якість і досвід", "weight": 60},
                ],
                "deadline": (clock.now() + timedelta(days=30)).isoformat(),
                "budget_line_id": line_id,
            },
        ),
        201,
    )


async def direct_contract(
    w: World,
    start: date,
    end: date,
    *,
    service: str = NIGHT,
    price: str = "250.00",
    volume: str = "100",
    money: str = "25000.00",
) -> dict[str, Any]:
    """A direct contract with the world's (verified) provider over ``start``–``end``."""
    line = await budget_line(w, "500000.00", code="2610")
    await verify_providers(w)
    body = {
        "provider_id": w.provider_id,
        "service_code": service,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "tariff": {"unit_price": price},
        "volume_cap": volume,
        "money_cap": money,
        "budget_line_id": line["id"],
    }
    return await ok(await w.post("admin", "/api/contracts", body), 201)


async def pass_deadline(call_id: int) -> None:
    """Time passes: the call's deadline is behind us."""
    await CallForProposals.update(
        {CallForProposals.deadline: clock.now() - timedelta(minutes=1)}
    ).where(CallForProposals.id == call_id)


async def awarded_contract(
    w: World,
    service: str = NIGHT,
    price: str = "250.00",
    volume: str = "800",
    allocation: str = "500000.00",
    line_id: int | None = None,
) -> dict[str, Any]:
    """A call for the service, one bid by the world's provider, scored and awarded (paid
    from a new budget line, or from ``line_id``)."""
    if line_id is None:
        line_id = int((await budget_line(w, allocation))["id"])
    await verify_providers(w)
    c = await call(w, line_id, service)
    bid = await ok(
        await w.post(
            "provider",
            f"/api/calls/{c['id']}/bids",
            {
                "unit_price": price,
                "volume": volume,
                "answers": {"quality": "Нічліжка на 40 місць, 5 років досвіду"},
            },
        ),
        201,
    )
    await pass_deadline(c["id"])
    await ok(
        await w.post(
            "caseworker", f"/api/bids/{bid['id']}/score", {"scores": {"price": 80, "quality": 90}}
        )
    )
    return await ok(await w.post("admin", f"/api/calls/{c['id']}/award", {}), 201)


async def homeless_person(
    w: World, citizen_id: int | None = None, registered_on: date | None = None
) -> dict[str, Any]:
    return await ok(
        await w.post(
            "intake",
            "/api/ext/homeless/register",
            {
                "citizen_id": citizen_id or w.citizen_id,
                "channel": "application",
                "has_identity_documents": False,
                "registered_address_is_centre": True,
                "registered_on": (registered_on or date(delivery_month().year, 1, 1)).isoformat(),
            },
        ),
        201,
    )


async def served_request(
    w: World,
    platform: Platform,
    contract_id: int,
    service: str = NIGHT,
    citizen_id: int | None = None,
    since: date | None = None,
    assigned_on: date | None = None,
) -> dict[str, Any]:
    """A request of the service, received on ``since`` (by default the first of this month,
    so that every day of :func:`nights` may be served) and assigned to the contract then
    (or on ``assigned_on``)."""
    from core.db.tables import Citizen

    since = since or first_of_month()
    if (clock.today() - since).days > 30:  # the delivery month on the 1st or 2nd
        await allow_backdating(w)
    if (clock.today() - since).days > 30:  # beyond the default core.intake_backdate_days
        await allow_backdating(w)
    cid = citizen_id or w.citizen_id
    await Citizen.update({Citizen.settlement: "Ковель"}).where(Citizen.id == cid)
    form = example_form(platform, service)
    req = await ok(
        await w.post(
            "intake",
            "/api/requests",
            {
                "service_code": service,
                "citizen_id": cid,
                "form": form,
                "received_on": since.isoformat(),
            },
        ),
        201,
    )
    assert req["eligibility"] == "eligible", req["findings"]
    await ok(
        await w.post("caseworker", f"/api/requests/{req['id']}/decision", {"decision": "approve"})
    )
    await ok(
        await w.post(
            "caseworker",
            f"/api/requests/{req['id']}/assign",
            {"contract_id": contract_id, "assigned_on": (assigned_on or since).isoformat()},
        ),
        201,
    )
    return req


def delivery_month() -> date:
    """The first day of the month the money-path tests deliver and invoice in: this month
    once three of its days have come, else the month before (on the 1st and 2nd)."""
    today = clock.today()
    first = today.replace(day=1)
    return first if today.day >= 3 else (first - timedelta(days=1)).replace(day=1)


def first_of_month() -> date:
    return delivery_month()


def example_form(platform: Platform, service: str) -> dict[str, Any]:
    """A valid form of the service, as the plugin builds it for demo data."""
    import random

    import msgspec

    from core.service import Applicant

    platform_service = platform.host.services[service]
    assert platform_service.example_form is not None
    form = platform_service.example_form(
        random.Random(1), Applicant(settlement="Ковель"), clock.today()
    )
    return msgspec.to_builtins(form)


def nights() -> list[date]:
    """Three days of the delivery month, none in the future."""
    first = delivery_month()
    return [first + timedelta(days=d) for d in range(3)]


def period() -> str:
    """This month (payouts, registers, trips billed as they happen)."""
    return f"{clock.today():%Y-%m}"


def delivery_period() -> str:
    """The month of :func:`nights`, which the bed-night tests deliver and invoice."""
    return f"{delivery_month():%Y-%m}"
