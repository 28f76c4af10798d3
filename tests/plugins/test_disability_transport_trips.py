"""Social taxi: completing a trip and marking a no-show record the billable delivery
through the core, once, and only as the booking says."""

from __future__ import annotations

from datetime import date

from core.db.market import Delivery
from core.platform import Platform
from plugins.disability_transport.common import today_local
from plugins.disability_transport.tables import Booking
from tests.market.flow import ok
from tests.plugins.test_disability_transport_api import (
    BASE,
    MINE,
    YEAR,
    book,
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
        "delivered_on": min(today_local(), date.today()).isoformat(),
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
    await time_passes(one["id"], date(YEAR - 1, 12, 1))  # before the contract
    r = await w.post("provider", f"{BASE}/bookings/{one['id']}/no-show")
    assert r.status_code == 400
    assert "строком договору" in r.text
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
