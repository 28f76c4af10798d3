"""The social taxi's dispatch as desk pages: the trips of a day with each vehicle's
schedule, assigning a vehicle (a busy vehicle refused beside the choice), cancelling,
completing a trip (a bad distance beside its field, what was typed kept), the vehicles;
a role not allowed gets 403, a municipality without the plugin 404."""

from __future__ import annotations

import re

import httpx
import pytest

from core import clock
from core.db.tables import AuditLog
from plugins.disability_transport.common import today_local
from tests.market.flow import ok
from tests.plugins.test_disability_transport_api import book, first_day, served, time_passes, trip
from tests.web.conftest import form_token, sign_in
from tests.world import World

BASE = "/desk/ext/disability_transport"


async def _sign_out(visitor: httpx.AsyncClient, page: httpx.Response) -> None:
    await visitor.post("/sign-out", data={"_csrf": form_token(page.text)})


@pytest.mark.world_plugins("disability_transport")
async def test_dispatch_a_day_assign_cancel_and_complete(
    world: World, visitor: httpx.AsyncClient
) -> None:
    _, request_id, van = await served(world)
    one = await book(world, trip(request_id, start="09:00"))
    two = await book(world, trip(request_id, start="09:30"))
    day = first_day().isoformat()

    await sign_in(visitor, f"{world.slug}.caseworker")
    home = await visitor.get("/desk/back-office")
    assert f'href="{BASE}/bookings"' in home.text
    listed = await visitor.get(f"{BASE}/bookings", params={"day": day})
    assert listed.status_code == 200, listed.text
    assert "Поїздок цього дня: 2" in listed.text
    assert "Без автомобіля" in listed.text
    assert "Ковельська центральна лікарня" in listed.text
    bad = await visitor.get(f"{BASE}/bookings", params={"day": "31.02"})
    assert bad.status_code == 400
    assert 'id="day-error"' in bad.text

    token = form_token(listed.text)
    assign = {"_csrf": token, "vehicle_id": str(van["id"]), "day": day}
    done = await visitor.post(f"{BASE}/bookings/{one['id']}/assign", data=assign)
    assert done.status_code == 303, done.text
    after = await visitor.get(done.headers["location"])
    assert "Автомобіль призначено." in after.text
    assert "Розклад автомобіля ВС 1001 ТХ" in after.text
    busy = await visitor.post(f"{BASE}/bookings/{two['id']}/assign", data=assign)
    assert busy.status_code == 409
    assert f'id="vehicle_id-{two["id"]}-error"' in busy.text
    assert "зайнятий" in busy.text

    cancelled = await visitor.post(
        f"{BASE}/bookings/{two['id']}/cancel",
        data={"_csrf": token, "reason": "Передумала", "day": day},
    )
    assert cancelled.status_code == 303, cancelled.text
    after = await visitor.get(cancelled.headers["location"])
    assert "Поїздку скасовано." in after.text
    assert "Передумала" in after.text
    fleet = await visitor.get(f"{BASE}/vehicles")
    assert fleet.status_code == 200
    assert "ВС 1001 ТХ" in fleet.text
    actions = {
        r["action"]
        for r in await AuditLog.select(AuditLog.action).where(
            AuditLog.municipality == world.municipality_id
        )
    }
    assert "transport.booking.list" in actions
    await _sign_out(visitor, fleet)

    await time_passes(one["id"])
    today = min(today_local(), clock.today()).isoformat()
    await sign_in(visitor, f"{world.slug}.provider")
    mine = await visitor.get(f"{BASE}/bookings", params={"day": today})
    assert mine.status_code == 200, mine.text
    assert f'action="{BASE}/bookings/{one["id"]}/complete"' in mine.text
    assert "/cancel" not in mine.text
    url = f"{BASE}/bookings/{one['id']}/complete"
    form = {"_csrf": form_token(mine.text), "day": today, "waiting_minutes": "31"}
    wrong = await visitor.post(url, data={**form, "km": "-3"})
    assert wrong.status_code == 400
    assert f'id="km-{one["id"]}-error"' in wrong.text
    assert 'value="-3"' in wrong.text
    completed = await visitor.post(url, data={**form, "km": "12,5"})
    assert completed.status_code == 303, completed.text
    after = await visitor.get(completed.headers["location"])
    assert "Поїздку позначено виконаною." in after.text
    assert "Виконано" in after.text
    assert (
        await ok(await world.get("provider", f"/api/ext/disability_transport/bookings/{one['id']}"))
    )["status"] == "completed"


@pytest.mark.world_plugins("disability_transport")
async def test_roles_not_allowed_get_403(world: World, visitor: httpx.AsyncClient) -> None:
    _, request_id, van = await served(world)
    one = await book(world, trip(request_id))
    await sign_in(visitor, f"{world.slug}.intake")
    assert (await visitor.get(f"{BASE}/bookings")).status_code == 403
    home = await visitor.get("/desk/front-office")
    assert f"{BASE}/bookings" not in home.text
    await _sign_out(visitor, home)
    await sign_in(visitor, f"{world.slug}.provider")
    listed = await visitor.get(f"{BASE}/bookings", params={"day": first_day().isoformat()})
    assert listed.status_code == 200
    refused = await visitor.post(
        f"{BASE}/bookings/{one['id']}/cancel", data={"_csrf": form_token(listed.text)}
    )
    assert refused.status_code == 403
    assert re.search(rf'action="{BASE}/bookings/{one["id"]}/assign"', listed.text)
    assert van["plate"] in listed.text


@pytest.mark.world_plugins("homeless")
async def test_closed_where_the_plugin_is_not_enabled(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.caseworker")
    home = await visitor.get("/desk/back-office")
    assert f"{BASE}/bookings" not in home.text
    r = await visitor.get(f"{BASE}/bookings")
    assert r.status_code == 404
    assert "<html" in r.text
