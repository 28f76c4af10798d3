"""Social taxi: completing a trip and marking a no-show record the billable delivery
through the core, once, and only as the booking says; deactivating a vehicle hands its
planned trips back to dispatch."""

from __future__ import annotations

import asyncio
from datetime import date

from core import clock
from core.db.market import Delivery
from core.db.tables import AuditLog
from core.platform import Platform, decode
from plugins.disability_transport.common import today_local
from plugins.disability_transport.tables import Booking, Vehicle
from tests.market.flow import ok, this_year
from tests.plugins.test_disability_transport_api import (
    BASE,
    MINE,
    book,
    first_day,
    served,
    time_passes,
    trip,
)
from tests.world import World


@MINE
async def test_completing_records_the_delivery_once(world: World, platform: Platform) -> None:
    w = world
    _, request_id, van = await served(w)
    one = await book(w, trip(request_id, start="09:00"))
    url = f"{BASE}/bookings/{one['id']}"
    body = {"km": "12.5", "waiting_minutes": 31}
    r = await w.post("provider", f"{url}/complete", body)
    assert r.status_code == 409  # no vehicle yet
    await ok(await w.post("provider", f"{url}/assign", {"vehicle_id": van["id"]}))
    r = await w.post("provider", f"{url}/complete", body)
    assert r.status_code == 409
    assert "ще не почалася" in r.text
    await time_passes(one["id"])
    assert (await w.post("caseworker", f"{url}/complete", body)).status_code == 403
    r = await w.post("provider", f"{url}/complete", {"km": "-3"})
    assert r.status_code == 400
    done = await ok(await w.post("provider", f"{url}/complete", body))
    assert done["status"] == "completed"
    assert done["km"] == "12.5"
    stored = await Delivery.select().where(Delivery.id == done["delivery_id"]).first()
    assert stored is not None
    assert stored["amount_kop"] == 63000
    assert stored["unique_key"] == f"trip:{one['id']}"
    retry = await ok(await w.post("provider", f"{url}/complete", body))
    assert retry["delivery_id"] == done["delivery_id"]
    other = await w.post("provider", f"{url}/complete", {"km": "13", "waiting_minutes": 31})
    assert other.status_code == 409
    assert (await w.post("provider", f"{url}/no-show")).status_code == 409

    # The core's own delivery route checks the trip against the booking.
    core = {
        "request_id": request_id,
        "delivered_on": min(today_local(), clock.today()).isoformat(),
        "idempotency_key": "by-hand",
        "data": {"booking_id": one["id"], "outcome": "completed", "km": "99", "waiting_minutes": 0},
    }
    r = await w.post("provider", "/api/deliveries", core)
    assert r.status_code == 422
    assert "інший пробіг" in r.text
    core["data"] = {"booking_id": 0, "outcome": "completed", "km": "5"}
    r = await w.post("provider", "/api/deliveries", core)
    assert r.status_code == 422
    assert "без бронювання" in r.text
    core["data"] = {
        "booking_id": one["id"],
        "outcome": "completed",
        "km": "12.5",
        "waiting_minutes": 31,
    }
    r = await w.post("provider", "/api/deliveries", core)
    assert r.status_code == 409  # one delivery per booking


@MINE
async def test_a_refused_delivery_leaves_the_booking_planned(world: World) -> None:
    w = world
    c, request_id, van = await served(w)
    one = await book(w, trip(request_id))
    await ok(
        await w.post("provider", f"{BASE}/bookings/{one['id']}/assign", {"vehicle_id": van["id"]})
    )
    await time_passes(one["id"], date(this_year() - 1, 12, 1))  # before the contract
    r = await w.post("provider", f"{BASE}/bookings/{one['id']}/no-show")
    assert r.status_code == 422, r.text
    assert "core.delivery_in_contract_period" in [e["key"] for e in r.json()["extra"]]
    row = (
        await Booking.select(Booking.status, Booking.delivery_id)
        .where(Booking.id == one["id"])
        .first()
    )
    assert row == {"status": "planned", "delivery_id": None}
    assert await Delivery.count().where(Delivery.contract == c["id"]) == 0
    await time_passes(one["id"])
    missed = await ok(await w.post("provider", f"{BASE}/bookings/{one['id']}/no-show"))
    assert missed["status"] == "no_show"


async def _vehicle_of(booking_id: int) -> int | None:
    row = await Booking.select(Booking.vehicle).where(Booking.id == booking_id).first()
    assert row is not None
    return row["vehicle"]


@MINE
async def test_deactivating_a_vehicle_unassigns_its_planned_trips(world: World) -> None:
    w = world
    _, request_id, van = await served(w)
    assign = f"{BASE}/bookings/{{}}/assign"
    to_van = {"vehicle_id": van["id"]}
    ahead = await book(w, trip(request_id, start="09:00"))
    done = await book(w, trip(request_id, start="11:00"))
    dropped = await book(w, trip(request_id, start="13:00"))
    under_way = await book(w, trip(request_id, start="15:00"))
    for one in (ahead, done, dropped, under_way):
        await ok(await w.post("caseworker", assign.format(one["id"]), to_van))
    await ok(await w.post("citizen", f"{BASE}/bookings/{dropped['id']}/cancel", {}))
    await time_passes(done["id"])
    await ok(
        await w.post(
            "provider", f"{BASE}/bookings/{done['id']}/complete", {"km": "5", "waiting_minutes": 0}
        )
    )
    await time_passes(under_way["id"])  # planned, its time has come: not marked yet
    day = {"day": first_day().isoformat()}
    schedule = f"{BASE}/vehicles/{van['id']}/schedule"
    plan = await ok(await w.get("caseworker", schedule, params=day))
    assert [b["id"] for b in plan] == [ahead["id"]]
    locks = await Vehicle.select(Vehicle.assignments).where(Vehicle.id == van["id"]).first()
    assert locks is not None

    off = await ok(await w.patch("provider", f"{BASE}/vehicles/{van['id']}", {"active": False}))
    assert off["active"] is False
    assert off["unassigned_trips"] == 1
    assert off["unassigned_booking_ids"] == [ahead["id"]]
    assert await _vehicle_of(ahead["id"]) is None
    for kept in (done, dropped, under_way):
        assert await _vehicle_of(kept["id"]) == van["id"]
    assert (await ok(await w.get("caseworker", f"{BASE}/bookings/{ahead['id']}")))[
        "vehicle_id"
    ] is None
    assert await ok(await w.get("caseworker", schedule, params=day)) == []
    on_van = await ok(
        await w.get("caseworker", f"{BASE}/bookings", params={"vehicle_id": van["id"]})
    )
    assert {b["id"] for b in on_van["items"]} == {done["id"], dropped["id"], under_way["id"]}
    after = await Vehicle.select(Vehicle.assignments).where(Vehicle.id == van["id"]).first()
    assert after is not None
    assert after["assignments"] == locks["assignments"] + 1  # the assignments' row lock
    audit = (
        await AuditLog.select(AuditLog.details)
        .where(
            (AuditLog.action == "transport.vehicle.unassign") & (AuditLog.subject_id == van["id"])
        )
        .first()
    )
    assert audit is not None
    assert decode(audit["details"], {}) == {"bookings": [ahead["id"]], "count": 1}
    assert await AuditLog.count().where(
        (AuditLog.action == "transport.booking.unassign") & (AuditLog.subject_id == ahead["id"])
    )

    again = await ok(await w.patch("provider", f"{BASE}/vehicles/{van['id']}", {"active": False}))
    assert (again["unassigned_trips"], again["unassigned_booking_ids"]) == (0, [])
    r = await w.post("caseworker", assign.format(ahead["id"]), to_van)
    assert r.status_code == 409
    assert r.json()["extra"][0]["key"] == "vehicle_id"
    assert "не працює" in r.text
    assert "inactive" in r.text
    r = await w.post("provider", assign.format(ahead["id"]), to_van)
    assert r.status_code == 409
    assert await _vehicle_of(ahead["id"]) is None

    on = await ok(await w.patch("provider", f"{BASE}/vehicles/{van['id']}", {"active": True}))
    assert on["active"] is True
    assert (on["unassigned_trips"], on["unassigned_booking_ids"]) == (0, [])
    back = await ok(await w.post("caseworker", assign.format(ahead["id"]), to_van))
    assert back["vehicle_id"] == van["id"]
    plan = await ok(await w.get("caseworker", schedule, params=day))
    assert [b["id"] for b in plan] == [ahead["id"]]


@MINE
async def test_an_assignment_racing_a_deactivation_never_leaves_a_trip_on_it(
    world: World,
) -> None:
    w = world
    _, request_id, van = await served(w)
    one = await book(w, trip(request_id))
    off, assigned = await asyncio.gather(
        w.patch("provider", f"{BASE}/vehicles/{van['id']}", {"active": False}),
        w.post("caseworker", f"{BASE}/bookings/{one['id']}/assign", {"vehicle_id": van["id"]}),
    )
    deactivated = await ok(off)
    assert await _vehicle_of(one["id"]) is None
    if assigned.status_code == 200:  # it came first: the deactivation took the trip off
        assert deactivated["unassigned_booking_ids"] == [one["id"]]
    else:
        assert assigned.status_code == 409
        assert deactivated["unassigned_booking_ids"] == []
