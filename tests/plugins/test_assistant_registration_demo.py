"""Assistant registration: demo rows, and the on_event path ignoring other events."""

from __future__ import annotations

from datetime import timedelta

from core import clock
from core.events import Event
from plugins.assistant_registration import demo, events
from plugins.assistant_registration.service import CODE
from plugins.assistant_registration.tables import AssistantEntry
from tests.world import World

E = AssistantEntry


async def test_prepare_demo_registers_assistants_and_terminates_one(world: World) -> None:
    since = clock.today() - timedelta(days=20)
    citizens = [world.citizen_id, world.other_citizen_id]
    await demo.prepare(world.actors["admin"], citizens, since)
    rows = (
        await E.select(E.person, E.status, E.number, E.registered_on, E.termination_reason)
        .where(E.municipality == world.municipality_id)
        .order_by(E.id)
    )
    assert [r["person"] for r in rows] == citizens
    assert [r["status"] for r in rows] == ["active", "terminated"]
    assert rows[1]["termination_reason"] == "assistant_request"
    assert all(r["registered_on"] == since for r in rows)
    assert all(r["number"].startswith(f"ПМ-{since.year}-") for r in rows)
    # run again: the pair still active is not registered twice
    await demo.prepare(world.actors["admin"], citizens, since)
    active = await E.count().where(
        (E.municipality == world.municipality_id) & (E.person == citizens[0])
    )
    assert active == 1


async def test_other_events_schedule_nothing(world: World) -> None:
    for kind, data in (
        ("request.submitted", {"service": CODE}),
        ("request.decided", {"service": CODE, "status": "refused"}),
        ("request.decided", {"service": "funeral_aid.lump_sum", "status": "approved"}),
    ):
        events.handle(
            Event(
                kind=kind,
                municipality_id=world.municipality_id,
                subject="request",
                subject_id=1,
                data=data,
            )
        )
        assert not events.PENDING


async def test_an_event_about_a_missing_request_is_logged_not_raised(world: World) -> None:
    events.handle(
        Event(
            kind="request.decided",
            municipality_id=world.municipality_id,
            subject="request",
            subject_id=2_000_000_000,
            data={"service": CODE, "status": "approved"},
        )
    )
    assert len(events.PENDING) == 1
    await events.drain()
    assert not events.PENDING
    assert await E.count().where(E.municipality == world.municipality_id) == 0


def test_without_a_running_loop_the_event_is_only_logged() -> None:
    event = Event(
        kind="request.decided",
        municipality_id=1,
        subject="request",
        subject_id=1,
        data={"service": CODE, "status": "approved"},
    )
    events.handle(event)
    assert not events.PENDING
