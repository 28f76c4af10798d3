"""People waiting in the coverage report, from the plugins through ``report_waiting``: the
rental point's waiting list today and the social-taxi riders refused a trip by their cap
in the period, per service and settlement, added to the core's waiting."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
import time_machine

from core.platform import Platform
from core.reports.common import Filters
from core.reports.coverage import coverage
from core.reports.waiting import PluginWaiting, from_plugins
from plugins.disability_transport.service import CODE as TAXI
from plugins.disability_transport.tables import CapRefusal
from plugins.rental_aids.service import CODE as RENTAL
from plugins.rental_aids.tables import RentalWaiting
from tests.market.flow import budget_line, ok, verify_providers
from tests.plugins.test_disability_transport_api import BASE, TARIFF, registration, trip
from tests.web.conftest import sign_in
from tests.web.test_reports import _request
from tests.world import World

pytestmark = pytest.mark.db

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
NOVEMBER = Filters(start=date(2026, 11, 1), end=date(2026, 11, 30))


async def _taxi_refused_by_cap(w: World) -> int:
    """The world's citizen (Ковель) books the month's four trips; the fifth and sixth are
    refused by the monthly cap; one before them only because it was too soon. Their request id."""
    await verify_providers(w)
    line = await budget_line(w)
    made = await ok(
        await w.post(
            "admin",
            "/api/contracts",
            {
                "provider_id": w.provider_id,
                "service_code": TAXI,
                "period_start": "2026-01-01",
                "period_end": "2026-12-31",
                "tariff": TARIFF,
                "volume_cap": "500",
                "money_cap": "100000.00",
                "budget_line_id": line["id"],
            },
        ),
        201,
    )
    request_id = await registration(w, made["id"])
    early = await w.post("intake", f"{BASE}/bookings", trip(request_id, date(2026, 11, 10)))
    assert early.status_code == 422  # too soon, not the cap: not kept
    day = date(2026, 11, 17)
    for start in ("08:00", "10:00", "12:00", "14:00"):
        await ok(await w.post("intake", f"{BASE}/bookings", trip(request_id, day, start)), 201)
    for start in ("16:00", "18:00"):
        refused = await w.post("intake", f"{BASE}/bookings", trip(request_id, day, start))
        assert refused.status_code == 422
        assert "Ліміт 4 поїздок за місяць вичерпано" in refused.json()["detail"]
    return request_id


async def _rental_list(w: World) -> None:
    """Two entries of the citizen in Ковель (one waiting, one offered), one of the other
    citizen in Дубове, and two that no longer wait (served, cancelled)."""
    for n, (citizen, settlement, status) in enumerate(
        (
            (w.citizen_id, "Ковель", "waiting"),
            (w.citizen_id, "Ковель", "offered"),
            (w.other_citizen_id, "Дубове", "waiting"),
            (w.other_citizen_id, "Дубове", "served"),
            (w.citizen_id, "Колодяжне", "cancelled"),
        )
    ):
        request_id = await _request(
            w,
            100 + n,
            RENTAL,
            date(2026, 11, 2),
            date(2026, 11, 12),
            "assigned",
            decided=NOW,
            citizen=citizen,
            settlement=settlement,
        )
        await RentalWaiting(
            municipality=w.municipality_id,
            request=request_id,
            citizen=citizen,
            provider=w.provider_id,
            device_code="wheelchair",
            requested_on=date(2026, 11, 3),
            status=status,
        ).save()


def _figures(found: list[PluginWaiting]) -> set[tuple[str, str, int, str]]:
    return {(w.service_code, w.settlement, w.people, w.source) for w in found}


async def test_hook_report_waiting_of_both_plugins(
    world: World, platform: Platform, visitor: httpx.AsyncClient
) -> None:
    with time_machine.travel(NOW, tick=False):
        request_id = await _taxi_refused_by_cap(world)
        await _rental_list(world)
        rows = await CapRefusal.select().where(CapRefusal.municipality == world.municipality_id)
        assert [(r["request"], r["rules"]) for r in rows] == [
            (request_id, "disability_transport.monthly_cap"),
            (request_id, "disability_transport.monthly_cap"),
        ]
        enabled = await platform.enabled_plugins(world.municipality_id)
        found = await from_plugins(
            platform.host, enabled, world.municipality_id, NOVEMBER.start, NOVEMBER.end
        )
        assert _figures(found) == {
            (TAXI, "Ковель", 1, "disability_transport.cap_refusals"),
            (RENTAL, "Ковель", 1, "rental_aids.waiting_list"),
            (RENTAL, "Дубове", 1, "rental_aids.waiting_list"),
        }
        # Refused in November: nobody refused in October.
        october = await from_plugins(
            platform.host, enabled, world.municipality_id, date(2026, 10, 1), date(2026, 10, 31)
        )
        assert {w.source for w in october} == {"rental_aids.waiting_list"}
        # A municipality without the plugins asks neither.
        assert (
            await from_plugins(platform.host, [], world.municipality_id, NOW.date(), NOW.date())
            == []
        )

        report = await coverage(world.municipality_id, NOVEMBER, found)
        places = {s.settlement: s.waiting for s in report.settlements}
        assert places == {"Ковель": 2, "Дубове": 1}
        assert report.totals.waiting == 3
        pairs = {(r.service_code, r.settlement): r.waiting for r in report.rows}
        assert pairs == {(TAXI, "Ковель"): 1, (RENTAL, "Ковель"): 1, (RENTAL, "Дубове"): 1}
        only_taxi = await coverage(
            world.municipality_id,
            Filters(start=NOVEMBER.start, end=NOVEMBER.end, service_code=TAXI),
            found,
        )
        assert only_taxi.totals.waiting == 1

        await sign_in(visitor, f"{world.slug}.admin")
        csv = await visitor.get("/desk/reports/coverage?start=2026-11-01&end=2026-11-30&format=csv")
        assert csv.status_code == 200
        lines = csv.content.decode("utf-8-sig").splitlines()
        assert any(line.startswith("Ковель;0;") and line.endswith(";2") for line in lines), lines
        page = await visitor.get("/desk/reports/coverage?start=2026-11-01&end=2026-11-30")
        assert page.status_code == 200
        assert "Чекають, осіб" in page.text


async def test_a_failing_plugin_is_left_out(world: World, platform: Platform) -> None:
    class Broken:
        plugin_name = "broken"
        argnames = ("municipality_id",)

        @staticmethod
        def function(**_: Any) -> Any:
            raise RuntimeError("no")

    class Hook:
        @staticmethod
        def get_hookimpls() -> list[Any]:
            return [Broken()]

    class Host:
        class pm:  # noqa: N801
            class hook:  # noqa: N801
                report_waiting = Hook()

    found = await from_plugins(Host(), ["broken"], world.municipality_id, NOW.date(), NOW.date())
    assert found == []
