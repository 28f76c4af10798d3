"""Social taxi messages to the rider: a trip booked, the reminder the day before (a job
that writes it once however often it runs), a trip cancelled; none without consent; an
SMS in Ukrainian only; delivered by the outbox's job and listed on the request's page."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest

from core.db.jobs import Job
from core.db.tables import OutboxMessage
from core.jobs import queue, runner, store
from core.jobs.builtin import OUTBOX, NoArgs
from core.notify import consent, outbox
from core.platform import Platform
from plugins.disability_transport import notices
from plugins.disability_transport.notices import REMIND_JOB, RemindArgs
from tests.jobs.data import complete
from tests.mailbox import Mailbox, body
from tests.market.flow import ok
from tests.plugins.test_disability_transport_api import (
    BASE,
    book,
    contract,
    first_day,
    registration,
    trip,
    vehicle,
)
from tests.web.conftest import sign_in
from tests.world import World

MINE = pytest.mark.world_plugins("disability_transport")


async def _messages(citizen_id: int, event: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await OutboxMessage.select()
        .where((OutboxMessage.citizen == citizen_id) & (OutboxMessage.event == event))
        .order_by(OutboxMessage.id)
    )
    return rows


async def deliver(platform: Platform, slug: str) -> None:
    """Run the outbox's delivery job (``outbox.deliver``) to the end: on SQLite it runs in
    this process already; on PostgreSQL, where no worker runs in these tests, here. A
    finished run is not kept."""
    job_id, _ = await queue.enqueue(platform, OUTBOX, NoArgs(), key=f"test-outbox:{slug}")
    await runner.settle()
    if await Job.exists().where((Job.id == job_id) & Job.state.is_in(list(store.ACTIVE))):
        await runner.run_here(platform, job_id)
    assert not await Job.exists().where(Job.id == job_id)
    await outbox.settle()


async def _agree(w: World, citizen_id: int, address: str, channel: str = "email") -> None:
    await consent.record(
        w.actors["intake"], citizen_id, agree=True, address=address, channel=channel
    )


@MINE
async def test_booked_reminded_once_cancelled_and_delivered(
    world: World, platform: Platform, app: Any, smtp: Mailbox
) -> None:
    w = world
    c = await contract(w)
    request_id = await registration(w, c["id"])
    other_request = await registration(w, c["id"], citizen_id=w.other_citizen_id)
    await vehicle(w)
    address = f"rider.{w.slug}@example.org"
    await _agree(w, w.citizen_id, address)

    day = first_day()
    one = await book(w, trip(request_id, day, start="09:30"))
    (booked,) = await _messages(w.citizen_id, notices.BOOKED)
    assert booked["recipient"] == address
    assert booked["channel"] == "email"
    assert booked["request"] == request_id
    text = booked["body"]
    assert text.index(f"поїздку соціального таксі № {one['id']}") < text.index("———")
    assert text.index("———") < text.index(f"social taxi trip No. {one['id']}")
    assert f"на {day:%d.%m.%Y} о 09:30" in text
    assert "Ковель, вул. Незалежності, 12 → Ковельська центральна лікарня" in text
    assert "Перевізник: БФ «Надія»" in text
    assert f"[[site]]/desk/citizen/requests/{request_id}" in text
    assert "погодилися на повідомлення" in text

    # No consent, no message: the other rider's trip is booked and reminded silently.
    theirs = await book(w, trip(other_request, day, start="11:00"))
    assert await OutboxMessage.count().where(OutboxMessage.citizen == w.other_citizen_id) == 0

    # The reminder, the day before: once, however often the job runs.
    eve = day - timedelta(days=1)
    assert await notices.remind(w.municipality_id, eve - timedelta(days=1)) == 0
    # Two runs at once write it once (the key is unique), and so does a third after them.
    both = await asyncio.gather(
        notices.remind(w.municipality_id, eve), notices.remind(w.municipality_id, eve)
    )
    assert sorted(both) == [0, 1]
    assert await notices.remind(w.municipality_id, eve) == 0
    args = RemindArgs(on=eve, municipality_id=w.municipality_id)
    job_id, _ = await queue.enqueue(
        platform, REMIND_JOB, args, key=f"test:{w.slug}", municipality_id=w.municipality_id
    )
    job = await complete(platform, job_id)
    assert job.state == "done"
    assert job.result["reminded"] == {str(w.municipality_id): 0}
    (reminder,) = await _messages(w.citizen_id, notices.REMINDER)
    assert reminder["recipient"] == address
    assert f"Нагадуємо про поїздку соціального таксі № {one['id']}" in reminder["body"]
    assert "A reminder of your social taxi trip" in reminder["body"]
    assert await OutboxMessage.count().where(OutboxMessage.citizen == w.other_citizen_id) == 0
    assert not await notices.news.sent_once(notices.reminder_key(theirs["id"]))

    # Delivered by the outbox's job, and listed on the request's page.
    await deliver(platform, w.slug)
    mails = smtp.to(address)
    assert [m["Subject"] for m in mails] == [
        f"Соціальне таксі {day:%d.%m.%Y}: поїздку заброньовано / "
        f"Social taxi {day:%d.%m.%Y}: trip booked",
        f"Соціальне таксі {day:%d.%m.%Y}: нагадування / Social taxi {day:%d.%m.%Y}: reminder",
    ]
    assert "https://hromada.test/desk/citizen/requests/" in body(mails[1])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as staff:
        await sign_in(staff, f"{w.slug}.caseworker")
        page = await staff.get(f"/desk/requests/{request_id}")
        assert "поїздку заброньовано" in page.text
        assert "нагадування" in page.text

    # Cancelled by the front office: the rider is told, with the reason; a cancelled
    # trip is not reminded again.
    cancel = {"reason": "Лікар переніс прийом"}
    await ok(await w.post("intake", f"{BASE}/bookings/{one['id']}/cancel", cancel))
    (cancelled,) = await _messages(w.citizen_id, notices.CANCELLED)
    assert "Скасовано поїздку соціального таксі" in cancelled["body"]
    assert "Причина: Лікар переніс прийом" in cancelled["body"]
    assert "Reason: Лікар переніс прийом" in cancelled["body"]
    # The rider who cancels a trip themselves knows it: no message.
    own = await book(w, trip(request_id, day, start="14:00"))
    await ok(await w.post("citizen", f"{BASE}/bookings/{own['id']}/cancel", {"reason": "Сама"}))
    assert len(await _messages(w.citizen_id, notices.CANCELLED)) == 1
    assert len(await _messages(w.citizen_id, notices.BOOKED)) == 2
    assert await notices.remind(w.municipality_id, eve) == 0


@MINE
async def test_by_sms_a_short_ukrainian_line(world: World) -> None:
    w = world
    c = await contract(w)
    request_id = await registration(w, c["id"])
    await _agree(w, w.citizen_id, "067 765 43 21", channel="sms")
    day = first_day()
    await book(w, trip(request_id, day, start="08:15"))
    (booked,) = await _messages(w.citizen_id, notices.BOOKED)
    assert (booked["channel"], booked["recipient"], booked["subject"]) == (
        "sms",
        "+380677654321",
        "",
    )
    assert booked["body"] == (
        f"Таксі {day:%d.%m.%Y} 08:15 заброньовано: Ковель, вул. Незалежності, 12"
    )
    assert await notices.remind(w.municipality_id, day - timedelta(days=1)) == 1
    (reminder,) = await _messages(w.citizen_id, notices.REMINDER)
    assert reminder["body"].startswith(f"Нагадуємо: таксі {day:%d.%m.%Y} о 08:15")
    assert "———" not in reminder["body"]
