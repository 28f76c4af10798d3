"""A request assigned to several contracts, at most once to each; a delivery names its
contract when there are several (a provider's own user gets its own by default)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from core import clock
from core.db.tables import AuditLog
from core.platform import Platform, decode
from tests.market.flow import (
    NIGHT,
    awarded_contract,
    budget_line,
    delivery_month,
    example_form,
    first_of_month,
    homeless_person,
    nights,
    ok,
    second_provider_user,
    served_request,
)
from tests.world import World


async def second_contract(w: World) -> dict[str, Any]:
    """A direct contract for the same service with the world's other provider."""
    line = await budget_line(w, "100000.00", code="2610")
    body = {
        "provider_id": w.other_provider_id,
        "service_code": NIGHT,
        "period_start": f"{delivery_month().year}-01-01",
        "period_end": f"{clock.today().year}-12-31",
        "tariff": {"unit_price": "300.00"},
        "volume_cap": "100",
        "money_cap": "30000.00",
        "budget_line_id": line["id"],
    }
    return await ok(await w.post("admin", "/api/contracts", body), 201)


def night_stay(request_id: int, night: date, key: str, **extra: Any) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "delivered_on": night.isoformat(),
        "idempotency_key": key,
        "data": {"night": night.isoformat()},
        **extra,
    }


async def test_a_request_served_under_two_contracts(world: World, platform: Platform) -> None:
    w = world
    first = await awarded_contract(w)
    second = await second_contract(w)
    await homeless_person(w)
    req = await served_request(w, platform, first["id"])
    url = f"/api/requests/{req['id']}/assign"
    again = await w.post("caseworker", url, {"contract_id": first["id"]})
    assert again.status_code == 409
    assert "contract_id" in again.text
    since = first_of_month().isoformat()
    body = {"contract_id": second["id"], "assigned_on": since}
    added = await ok(await w.post("caseworker", url, body), 201)
    assert added["contract_id"] == second["id"]
    assert added["assigned_on"] == since
    detail = await ok(await w.get("caseworker", f"/api/requests/{req['id']}"))
    assert detail["status"] == "assigned"
    assert [h["to_status"] for h in detail["history"]].count("assigned") == 1

    one, two = nights()[:2]
    which = await w.post("admin", "/api/deliveries", night_stay(req["id"], one, "n-1"))
    assert which.status_code == 400
    assert "contract_id" in which.text
    by_admin = await ok(
        await w.post(
            "admin",
            "/api/deliveries",
            night_stay(req["id"], one, "n-1", contract_id=second["id"]),
        ),
        201,
    )
    assert by_admin["contract_id"] == second["id"]
    assert by_admin["amount"] == "300.00"
    own = await ok(
        await w.post("provider", "/api/deliveries", night_stay(req["id"], two, "n-2")), 201
    )
    assert own["contract_id"] == first["id"]
    assert own["amount"] == "250.00"
    foreign = await w.post(
        "provider",
        "/api/deliveries",
        night_stay(req["id"], two, "n-3", contract_id=second["id"]),
    )
    assert foreign.status_code == 404  # not the provider's contract
    await second_provider_user(w)
    theirs = await w.post("provider2", "/api/deliveries", night_stay(req["id"], two, "n-4"))
    assert theirs.status_code == 409  # that night is already recorded for the person
    assert "already recorded" in theirs.text


async def test_parallel_assignments_to_one_contract_make_one(
    world: World, platform: Platform
) -> None:
    w = world
    first = await awarded_contract(w)
    second = await second_contract(w)
    await homeless_person(w)
    req = await served_request(w, platform, first["id"])
    url = f"/api/requests/{req['id']}/assign"
    results = await asyncio.gather(
        *[w.post("caseworker", url, {"contract_id": second["id"]}) for _ in range(4)]
    )
    codes = sorted(r.status_code for r in results)
    assert codes.count(201) == 1, [r.text for r in results]
    assert set(codes) <= {201, 409, 503}


async def test_an_assignment_entered_later_carries_its_day(
    world: World, platform: Platform
) -> None:
    """``assigned_on`` dates an assignment entered after it was made: not before the
    request was received, not in the future, within ``core.intake_backdate_days``; the
    day is answered and audited, and deliveries under it may be dated from it on."""
    w = world
    contract = await awarded_contract(w)
    today = clock.today()
    await homeless_person(w, registered_on=today - timedelta(days=60))
    received = today - timedelta(days=10)
    form = example_form(platform, NIGHT)
    req = await ok(
        await w.post(
            "intake",
            "/api/requests",
            {
                "service_code": NIGHT,
                "citizen_id": w.citizen_id,
                "form": form,
                "received_on": received.isoformat(),
            },
        ),
        201,
    )
    await ok(
        await w.post("caseworker", f"/api/requests/{req['id']}/decision", {"decision": "approve"})
    )
    url = f"/api/requests/{req['id']}/assign"
    cases = [
        (received - timedelta(days=3), "precedes the request's receipt"),
        (today + timedelta(days=1), "in the future"),
        (today - timedelta(days=31), "at most 30"),
    ]
    for day, words in cases:
        r = await w.post(
            "caseworker", url, {"contract_id": contract["id"], "assigned_on": f"{day}"}
        )
        assert r.status_code == 400, (day, r.text)
        assert r.json()["extra"][0]["key"] == "assigned_on"
        assert words in r.text, (day, r.text)
    day = today - timedelta(days=5)
    made = await ok(
        await w.post("caseworker", url, {"contract_id": contract["id"], "assigned_on": f"{day}"}),
        201,
    )
    assert made["assigned_on"] == day.isoformat()
    audit = (
        await AuditLog.select(AuditLog.details)
        .where((AuditLog.action == "request.assign") & (AuditLog.subject_id == req["id"]))
        .first()
    )
    assert audit is not None
    assert decode(audit["details"], {})["assigned_on"] == day.isoformat()
    if day >= date.fromisoformat(contract["period_start"]):
        on_the_day = night_stay(req["id"], day, "on-the-day")
        assert (await w.post("provider", "/api/deliveries", on_the_day)).status_code == 201
