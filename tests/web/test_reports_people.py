"""People served are counted once per group and once in all, whatever the deliveries:
the coverage and money reports cut the deliveries down to distinct requests and count a
person who is served under two services, in two settlements or in two months once in
each group and once in the totals (on SQLite and PostgreSQL alike)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from core.db.market import Assignment, Delivery
from core.reports.common import Filters
from core.reports.coverage import coverage
from core.reports.money import spending
from tests.web.test_reports import NOVEMBER, TODAY, A, B, build
from tests.world import World

pytestmark = pytest.mark.db

AUTUMN = Filters(start=date(2026, 10, 1), end=date(2026, 11, 30))


async def _more_deliveries(w: World, ids: dict[str, int]) -> None:
    """The other citizen's request r8 (A, Дубове) gets three deliveries in November; r1
    (A, Ковель, the citizen) one more in October."""
    first = await Delivery.select().where(Delivery.request == ids["r1"]).first()
    assert first is not None
    assignment = await Assignment.select().where(Assignment.id == first["assignment"]).first()
    assert assignment is not None
    rows = [(ids["r8"], date(2026, 11, day), f"r8-{day}") for day in (12, 13, 14)]
    rows.append((ids["r1"], date(2026, 10, 20), "r1-oct"))
    for request_id, day, key in rows:
        await Delivery(
            municipality=w.municipality_id,
            contract=first["contract"],
            sheet=first["sheet"],
            assignment=assignment["id"],
            request=request_id,
            provider=w.provider_id,
            service_code=A,
            delivered_on=day,
            quantity_milli=1000,
            amount_kop=60_000,
            idempotency_key=key,
            recorded_at=TODAY,
        ).save()


async def test_each_person_once_per_group_and_in_all(world: World) -> None:
    with time_machine.travel(TODAY, tick=False):
        ids = await build(world)
        await _more_deliveries(world, ids)

        c = await coverage(world.municipality_id, NOVEMBER)
        assert sorted((r.service_code, r.settlement, r.served) for r in c.rows) == [
            (A, "Дубове", 1),
            (A, "Ковель", 1),
            (B, "Дубове", 1),
        ]
        # The other citizen is served under A and B in Дубове: once there.
        assert {s.settlement: s.served for s in c.settlements} == {"Дубове": 1, "Ковель": 1}
        assert c.totals.served == 2
        autumn = await coverage(world.municipality_id, AUTUMN)
        assert autumn.totals.served == 2

        by_service = await spending(world.municipality_id, NOVEMBER, "service")
        assert {r.key: r.persons for r in by_service.rows} == {A: 2, B: 1}
        assert by_service.totals.persons == 2
        by_month = await spending(world.municipality_id, AUTUMN, "month")
        assert {r.key: r.persons for r in by_month.rows} == {"2026-10": 1, "2026-11": 2}
        assert by_month.totals.persons == 2
        by_line = await spending(world.municipality_id, AUTUMN, "budget_line")
        assert [r.persons for r in by_line.rows] == [2]
        by_provider = await spending(world.municipality_id, AUTUMN, "provider")
        assert {r.key: r.persons for r in by_provider.rows} == {
            str(world.provider_id): 2,
            "citizens": 1,
        }
        assert by_provider.totals.persons == 2
