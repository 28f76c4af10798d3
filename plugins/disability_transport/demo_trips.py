"""Demo trips: a registration served under the carrier's contract, last month's trips in
every state (completed, no-show, cancelled) and one planned ahead, made through the
plugin's and the core's use cases (completions and no-shows record their deliveries)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import msgspec

from core.sdk import (
    Actor,
    Citizen,
    DecisionIn,
    DomainError,
    Platform,
    Request,
    RequestIn,
    assignments,
    citizen_flow,
    clock,
    is_working_day,
    request_flow,
)
from plugins.disability_transport import bookings, dispatch
from plugins.disability_transport.common import today_local
from plugins.disability_transport.forms import example_registration
from plugins.disability_transport.schemas import BookingIn, CompleteIn
from plugins.disability_transport.service import CODE
from plugins.disability_transport.tables import Booking

PLACES = [
    ("вул. Незалежності, 12", "Центральна міська лікарня"),
    ("вул. Шевченка, 4", "Реабілітаційний центр «Надія»"),
    ("просп. Миру, 30", "Управління соціального захисту"),
]
STATES = ["completed", "no_show", "cancelled", "completed"]


async def registration(
    platform: Platform,
    admin: Actor,
    citizen_id: int,
    contract: int,
    rng: random.Random,
    since: date,
) -> int | None:
    person = await Citizen.select().where(Citizen.id == citizen_id).first()
    if person is None:
        return None
    form = example_registration(rng, citizen_flow.snapshot(person), since)
    body = RequestIn(
        service_code=CODE,
        citizen_id=citizen_id,
        form=msgspec.to_builtins(form),
        channel="front_office",
        received_on=since,
    )
    detail = await request_flow.submit(platform, admin, body)
    if detail.eligibility != "eligible":
        return None
    try:
        await request_flow.decide(platform, admin, detail.id, DecisionIn(decision="approve"))
        await assignments.assign(
            admin, detail.id, assignments.AssignIn(contract_id=contract, assigned_on=since)
        )
    except DomainError:
        return None
    return detail.id


async def past_trips(
    platform: Platform,
    carrier: Actor,
    request_id: int,
    contract: int,
    fleet: list[int],
    n: int,
    rng: random.Random,
) -> None:
    today = clock.today()
    last = today.replace(day=1) - timedelta(days=1)
    days = [last.replace(day=d) for d in range(1, last.day + 1)]
    days = [d for d in days if is_working_day(d)]
    citizen = await _citizen(request_id)
    for k, state in enumerate(STATES):
        day = days[(n * 5 + k * 4) % len(days)]
        start = 8 * 60 + 100 * (n % 5)
        pickup, destination = PLACES[(n + k) % len(PLACES)]
        row = Booking(
            municipality=carrier.municipality_id,
            request=request_id,
            citizen=citizen,
            contract=contract,
            vehicle=fleet[(n + k) % len(fleet)],
            pickup_address=pickup,
            destination_address=destination,
            purpose="medical",
            trip_date=day,
            start_minute=start,
            duration_minutes=90,
            end_minute=start + 90,
            wheelchair="manual",
            created_by=carrier.id,
        )
        await row.save()
        if state == "completed":
            km = Decimal(rng.randint(40, 220)) / 10
            body = CompleteIn(km=km, waiting_minutes=rng.choice([0, 15, 25, 40]))
            await dispatch.complete(platform, carrier, int(row.id), body)
        elif state == "no_show":
            await dispatch.no_show(platform, carrier, int(row.id))
        else:
            await Booking.update(
                {
                    Booking.status: "cancelled",
                    Booking.cancel_reason: "Захворів",
                    Booking.closed_at: clock.now(),
                }
            ).where(Booking.id == row.id)


async def _citizen(request_id: int) -> int:
    row = await Request.select(Request.citizen).where(Request.id == request_id).first()
    assert row is not None
    return int(row["citizen"])


async def planned(platform: Platform, admin: Actor, request_id: int, n: int) -> None:
    day = today_local() + timedelta(days=2)
    while not is_working_day(day):
        day += timedelta(days=1)
    pickup, destination = PLACES[n % len(PLACES)]
    body = BookingIn(
        request_id=request_id,
        pickup_address=pickup,
        destination_address=destination,
        purpose="rehabilitation",
        trip_date=day,
        start_time=f"{9 + n % 6:02d}:00",
        duration_minutes=120,
        return_trip=True,
    )
    try:
        await bookings.create(platform, admin, body)
    except DomainError:  # a cap of the coming month, say
        return
