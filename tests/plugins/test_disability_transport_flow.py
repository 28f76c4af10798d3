"""Social taxi end to end (contract → registration → vehicle → trips → invoice approved, to
the kopiyka) and under concurrency (one vehicle, overlapping trips; one rider, the cap)."""

from __future__ import annotations

import asyncio

from core.db.market import Invoice
from plugins.disability_transport.tables import Booking
from tests.market.flow import ok, period
from tests.plugins.test_disability_transport_api import (
    BASE,
    MINE,
    book,
    contract,
    registration,
    served,
    time_passes,
    trip,
    vehicle,
)
from tests.world import World


@MINE
async def test_parallel_assignments_of_overlapping_trips_leave_exactly_one(world: World) -> None:
    w = world
    c, mine, van = await served(w)
    theirs = await registration(w, c["id"], w.other_citizen_id)
    trips = [
        await book(w, trip(request_id, start=start))
        for request_id, start in (
            (mine, "09:00"),
            (mine, "09:30"),
            (theirs, "09:15"),
            (theirs, "09:45"),
        )
    ]
    answers = await asyncio.gather(
        *[
            w.post(role, f"{BASE}/bookings/{t['id']}/assign", {"vehicle_id": van["id"]})
            for t, role in zip(trips, ("caseworker", "provider", "admin", "provider"), strict=True)
        ]
    )
    codes = sorted(r.status_code for r in answers)
    assert codes == [200, 409, 409, 409], [r.text for r in answers]
    on_van = await Booking.count().where(Booking.vehicle == van["id"])
    assert on_van == 1


@MINE
async def test_parallel_bookings_of_one_rider_never_pass_the_monthly_cap(world: World) -> None:
    w = world
    _, mine, _ = await served(w)
    answers = await asyncio.gather(
        *[
            w.post(role, f"{BASE}/bookings", trip(mine, start=f"{8 + n:02d}:00"))
            for n, role in enumerate(
                ["intake", "caseworker", "citizen", "admin", "intake", "citizen"]
            )
        ]
    )
    codes = sorted(r.status_code for r in answers)
    assert codes == [201, 201, 201, 201, 422, 422], [r.text for r in answers]
    assert await Booking.count().where(Booking.request == mine) == 4


@MINE
async def test_the_money_path_of_a_trip(world: World) -> None:
    w = world
    c = await contract(w)
    assert c["tariff"]["per_started_15_min_waiting"] == "60.00"
    request_id = await registration(w, c["id"])
    van = await vehicle(w)
    ride = await book(w, trip(request_id, start="09:00"))
    missed = await book(w, trip(request_id, start="13:00"))
    called_off = await book(w, trip(request_id, start="15:00"))
    for booking in (ride, missed):
        url = f"{BASE}/bookings/{booking['id']}/assign"
        await ok(await w.post("provider", url, {"vehicle_id": van["id"]}))
        await time_passes(booking["id"])
    await ok(await w.post("citizen", f"{BASE}/bookings/{called_off['id']}/cancel", {}))

    body = {"km": "12.5", "waiting_minutes": 31}
    done = await ok(await w.post("provider", f"{BASE}/bookings/{ride['id']}/complete", body))
    no_show = await ok(await w.post("provider", f"{BASE}/bookings/{missed['id']}/no-show"))
    assert done["status"] == "completed"
    assert no_show["status"] == "no_show"
    recorded = await ok(await w.get("provider", "/api/deliveries", params={"period": period()}))
    items = recorded["items"] if isinstance(recorded, dict) else recorded
    assert sorted(d["amount"] for d in items) == ["200.00", "630.00"]

    drafted = await ok(await w.post("accountant", "/api/invoices/run", {"period": period()}), 201)
    assert len(drafted) == 1
    invoice = drafted[0]
    assert invoice["total"] == "830.00"
    assert invoice["deliveries"] == 2
    # A line per part of the tariff, quantity × price = amount: two trips (the ride and
    # the billed no-show) at 200.00, 12.5 km at 20.00, 3 started quarters at 60.00.
    assert [
        (x["part"], x["unit_uk"], x["quantity"], x["unit_price"], x["amount"])
        for x in invoice["lines"]
    ] == [
        ("trip", "поїздка", "2", "200.00", "400.00"),
        ("km", "км", "12.5", "20.00", "250.00"),
        ("waiting", "розпочаті 15 хв", "3", "60.00", "180.00"),
    ]
    await ok(await w.post("provider", f"/api/invoices/{invoice['id']}/submit"))
    approved = await ok(await w.post("accountant", f"/api/invoices/{invoice['id']}/approve"))
    assert approved["status"] == "approved"
    assert approved["total"] == "830.00"
    stored = await Invoice.select(Invoice.total_kop).where(Invoice.id == invoice["id"]).first()
    assert stored == {"total_kop": 83000}
