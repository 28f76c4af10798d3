"""Social taxi over HTTP: vehicles, bookings and their rules, dispatch, trips recorded as
deliveries, and who may do what."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from core import clock
from core.db.market import Delivery
from core.parameters import Parameters
from plugins.disability_transport.booking_rules import earliest_trip_date
from plugins.disability_transport.common import today_local
from plugins.disability_transport.service import CODE, PARAMETERS
from plugins.disability_transport.tables import Booking
from tests.market.flow import budget_line, ok, second_provider_user, this_year, verify_providers
from tests.world import World

BASE = "/api/ext/disability_transport"
MINE = pytest.mark.world_plugins("disability_transport")
TARIFF = {
    "base_fee": "200.00",
    "per_km": "20.00",
    "per_started_15_min_waiting": "60.00",
    "bill_no_shows": True,
    "bill_late_cancellations": False,
}
FORM = {"wheelchair": "manual", "disability_group": 1, "impairments": ["musculoskeletal"]}
VAN = {"plate": "вс 1001 тх", "model": "Ford Transit", "has_lift": True, "wheelchair_places": 2}


async def contract(w: World, tariff: dict[str, Any] | None = None) -> dict[str, Any]:
    """A direct contract of the world's provider for the social taxi."""
    await verify_providers(w)
    line = await budget_line(w)
    body = {
        "provider_id": w.provider_id,
        "service_code": CODE,
        "period_start": f"{this_year()}-01-01",
        "period_end": f"{this_year()}-12-31",
        "tariff": tariff or TARIFF,
        "volume_cap": "500",
        "money_cap": "100000.00",
        "budget_line_id": line["id"],
    }
    return await ok(await w.post("admin", "/api/contracts", body), 201)


async def registration(w: World, contract_id: int | None, citizen_id: int | None = None) -> int:
    """A registration, approved and (with a contract) assigned; its request id."""
    body = {"service_code": CODE, "citizen_id": citizen_id or w.citizen_id, "form": FORM}
    req = await ok(await w.post("intake", "/api/requests", body), 201)
    assert req["eligibility"] == "eligible", req["findings"]
    await ok(
        await w.post("caseworker", f"/api/requests/{req['id']}/decision", {"decision": "approve"})
    )
    if contract_id is not None:
        assign = {"contract_id": contract_id}
        await ok(await w.post("caseworker", f"/api/requests/{req['id']}/assign", assign), 201)
    return int(req["id"])


async def vehicle(w: World, role: str = "provider", **changes: Any) -> dict[str, Any]:
    return await ok(await w.post(role, f"{BASE}/vehicles", {**VAN, **changes}), 201)


def first_day() -> date:
    return earliest_trip_date(Parameters(PARAMETERS), today_local())


def trip(
    request_id: int, day: date | None = None, start: str = "09:00", **kw: Any
) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "pickup_address": "Ковель, вул. Незалежності, 12",
        "destination_address": "Ковельська центральна лікарня",
        "purpose": "medical",
        "trip_date": (day or first_day()).isoformat(),
        "start_time": start,
        "duration_minutes": 60,
        **kw,
    }


async def book(w: World, body: dict[str, Any], role: str = "intake", status: int = 201) -> Any:
    return await ok(await w.post(role, f"{BASE}/bookings", body), status)


async def time_passes(booking_id: int, day: date | None = None) -> None:
    """The trip's time has come: it moves to today (or ``day``), from midnight."""
    row = await Booking.select(Booking.duration_minutes).where(Booking.id == booking_id).first()
    assert row is not None
    await Booking.update(
        {
            Booking.trip_date: day or min(today_local(), clock.today()),
            Booking.start_minute: 0,
            Booking.end_minute: row["duration_minutes"],
        }
    ).where(Booking.id == booking_id)


async def served(w: World) -> tuple[dict[str, Any], int, dict[str, Any]]:
    c = await contract(w)
    return c, await registration(w, c["id"]), await vehicle(w)


@MINE
async def test_vehicles_belong_to_their_carrier(world: World) -> None:
    w = world
    van = await vehicle(w)
    assert van["plate"] == "ВС 1001 ТХ"
    assert van["provider_id"] == w.provider_id
    dup = await w.post("provider", f"{BASE}/vehicles", VAN)
    assert dup.status_code == 409
    bad = await w.post("provider", f"{BASE}/vehicles", {**VAN, "plate": "<script>"})
    assert bad.status_code == 400
    assert "plate" in bad.text
    assert (await w.post("caseworker", f"{BASE}/vehicles", VAN)).status_code == 403
    await second_provider_user(w)
    assert await ok(await w.get("provider2", f"{BASE}/vehicles")) == []
    theirs = await w.patch("provider2", f"{BASE}/vehicles/{van['id']}", {"seats": 3})
    assert theirs.status_code == 404
    mine = await ok(await w.patch("provider", f"{BASE}/vehicles/{van['id']}", {"seats": 3}))
    assert mine["seats"] == 3
    staff = await ok(await w.get("auditor", f"{BASE}/vehicles"))
    assert [v["id"] for v in staff] == [van["id"]]


@MINE
async def test_a_booking_needs_an_assigned_registration_and_keeps_the_rules(
    world: World,
) -> None:
    w = world
    c, request_id, _ = await served(w)
    made = await book(w, trip(request_id))
    assert made["status"] == "planned"
    assert made["wheelchair"] == "manual"  # from the registration
    assert made["contract_id"] == c["id"]
    assert made["end_time"] == "10:00"
    own = await book(w, trip(request_id, start="12:00"), role="citizen")
    assert own["citizen_id"] == w.citizen_id

    unassigned = await registration(w, None, w.other_citizen_id)
    r = await w.post("intake", f"{BASE}/bookings", trip(unassigned))
    assert r.status_code == 409
    assert "не передано перевізнику" in r.text
    r = await w.post("citizen", f"{BASE}/bookings", trip(unassigned))
    assert r.status_code == 404  # not the citizen's own

    r = await w.post("intake", f"{BASE}/bookings", trip(request_id, day=today_local()))
    assert r.status_code == 422
    assert "найраніша дата" in r.json()["detail"]
    r = await w.post("intake", f"{BASE}/bookings", trip(request_id, purpose="shops"))
    assert r.status_code == 422
    assert "не обслуговується" in r.json()["detail"]
    r = await w.post("intake", f"{BASE}/bookings", trip(request_id, duration_minutes=200))
    assert r.status_code == 422
    assert "довше ніж 3 год" in r.json()["detail"]
    for start in ("14:00", "16:00"):
        await book(w, trip(request_id, start=start))
    r = await w.post("intake", f"{BASE}/bookings", trip(request_id, start="18:00"))
    assert r.status_code == 422
    assert "Ліміт 4 поїздок за місяць вичерпано" in r.json()["detail"]
    r = await w.post("provider", f"{BASE}/bookings", trip(request_id))
    assert r.status_code == 403

    listed = await ok(
        await w.get("caseworker", f"{BASE}/bookings", params={"day": first_day().isoformat()})
    )
    assert listed["total"] == 4
    assert [b["start_time"] for b in listed["items"]] == [
        "09:00",
        "12:00",
        "14:00",
        "16:00",
    ]
    mine = await ok(await w.get("citizen", f"{BASE}/bookings"))
    assert mine["total"] == 4
    await second_provider_user(w)
    assert (await ok(await w.get("provider2", f"{BASE}/bookings")))["total"] == 0
    assert (await w.get("provider2", f"{BASE}/bookings/{made['id']}")).status_code == 404
    assert (await ok(await w.get("provider", f"{BASE}/bookings")))["total"] == 4


@MINE
async def test_a_vehicle_is_never_double_booked_and_must_fit(world: World) -> None:
    w = world
    _, request_id, van = await served(w)
    first = await book(w, trip(request_id, start="09:00"))
    overlapping = await book(w, trip(request_id, start="09:30"))
    adjacent = await book(w, trip(request_id, start="10:00", wheelchair="electric"))
    url = f"{BASE}/bookings/{{}}/assign"
    assigned = await ok(
        await w.post("caseworker", url.format(first["id"]), {"vehicle_id": van["id"]})
    )
    assert assigned["vehicle_id"] == van["id"]
    r = await w.post("provider", url.format(overlapping["id"]), {"vehicle_id": van["id"]})
    assert r.status_code == 409
    assert "зайнятий 09:00–10:00" in r.text
    await ok(await w.post("provider", url.format(adjacent["id"]), {"vehicle_id": van["id"]}))

    car = await vehicle(w, plate="ВС 2002 ТХ", has_lift=False, wheelchair_places=1, seats=3)
    r = await w.post("caseworker", url.format(overlapping["id"]), {"vehicle_id": car["id"]})
    assert r.status_code == 200  # a manual wheelchair fits the car
    await ok(await w.patch("provider", f"{BASE}/vehicles/{car['id']}", {"wheelchair_places": 0}))
    r = await w.post("caseworker", url.format(adjacent["id"]), {"vehicle_id": car["id"]})
    assert r.status_code == 422
    assert "немає місця для крісла" in r.json()["detail"]

    await second_provider_user(w)
    r = await w.post("provider2", url.format(first["id"]), {"vehicle_id": van["id"]})
    assert r.status_code == 404
    assert (
        await w.post("intake", url.format(first["id"]), {"vehicle_id": van["id"]})
    ).status_code == 403

    day = first_day().isoformat()
    plan = await ok(
        await w.get("caseworker", f"{BASE}/vehicles/{van['id']}/schedule", params={"day": day})
    )
    assert [(b["id"], b["start_time"]) for b in plan] == [
        (first["id"], "09:00"),
        (adjacent["id"], "10:00"),
    ]
    r = await w.get("provider2", f"{BASE}/vehicles/{van['id']}/schedule", params={"day": day})
    assert r.status_code == 404


@MINE
async def test_cancelling_on_time_and_late(world: World) -> None:
    w = world
    c = await contract(w, {**TARIFF, "bill_late_cancellations": True})
    request_id = await registration(w, c["id"])
    van = await vehicle(w)
    early = await book(w, trip(request_id, start="08:00"))
    done = await ok(
        await w.post("citizen", f"{BASE}/bookings/{early['id']}/cancel", {"reason": "Захворів"})
    )
    assert done["status"] == "cancelled"
    again = await w.post("citizen", f"{BASE}/bookings/{early['id']}/cancel", {})
    assert again.status_code == 409

    later = await book(w, trip(request_id, start="11:00"))
    await ok(
        await w.post("provider", f"{BASE}/bookings/{later['id']}/assign", {"vehicle_id": van["id"]})
    )
    window = {
        "key": "disability_transport.cancellation_deadline_hours",
        "valid_from": f"{this_year() - 1}-01-01",
        "value": 240,
    }
    await ok(await w.post("admin", "/api/parameters", window), 201)
    late = await ok(await w.post("intake", f"{BASE}/bookings/{later['id']}/cancel", {}))
    assert late["status"] == "late_cancellation"
    delivery = await Delivery.select().where(Delivery.id == late["delivery_id"]).first()
    assert delivery is not None
    assert delivery["amount_kop"] == 20000
    assert delivery["idempotency_key"] == f"trip-{later['id']}"
    assert (
        await w.post("provider", f"{BASE}/bookings/{later['id']}/cancel", {})
    ).status_code == 403
