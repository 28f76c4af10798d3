"""Rental point messages to the borrower: the return date is near (``return_reminder_days``
before it) and the return is overdue, each written once per loan, kind and return date by
the morning job however often it runs; none without consent, none for a loan returned;
delivered by the outbox's job."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine

from core import clock
from core.db.tables import OutboxMessage
from core.jobs import queue
from core.notify import consent
from core.platform import Platform
from plugins.rental_aids import notices
from plugins.rental_aids.notices import JOB, NoticeArgs
from tests.jobs.data import complete
from tests.mailbox import Mailbox, body
from tests.market.flow import ok
from tests.plugins.test_rental_aids_api import BASE, assigned, issue, item, rental_contract
from tests.web.test_trip_notices import deliver
from tests.world import World

MINE = pytest.mark.world_plugins("rental_aids")


async def _messages(citizen_id: int, event: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await OutboxMessage.select()
        .where((OutboxMessage.citizen == citizen_id) & (OutboxMessage.event == event))
        .order_by(OutboxMessage.id)
    )
    return rows


def _morning(day: Any) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=clock.KYIV)


@MINE
async def test_due_then_overdue_once_each_and_delivered(
    world: World, platform: Platform, smtp: Mailbox
) -> None:
    w = world
    contract = await rental_contract(w)
    address = f"borrower.{w.slug}@example.org"
    mine = await assigned(w, contract["id"])
    theirs = await assigned(w, contract["id"], citizen_id=w.other_citizen_id)
    loan = await ok(await issue(w, mine["id"], (await item(w))["id"]), 201)
    other = await ok(await issue(w, theirs["id"], (await item(w))["id"]), 201)
    await consent.record(w.actors["intake"], w.citizen_id, agree=True, address=address)
    due = date.fromisoformat(loan["due_on"])
    mid = w.municipality_id

    # Four days before: not yet (the lead is 3 days).
    assert await notices.notify_loans(platform, mid, due - timedelta(days=4)) == {
        "due": 0,
        "overdue": 0,
    }
    # Three days before, on that morning: the due notice, once however often it runs.
    with time_machine.travel(_morning(due - timedelta(days=3)), tick=False):
        written = []
        for run in ("first", "again"):
            args = NoticeArgs(on=clock.today(), municipality_id=mid)
            job_id, _ = await queue.enqueue(
                platform, JOB, args, key=f"test:{w.slug}:{run}", municipality_id=mid
            )
            job = await complete(platform, job_id)
            assert job.state == "done"
            written.append(job.result["written"][str(mid)])
        assert written == [{"due": 1, "overdue": 0}, {"due": 0, "overdue": 0}]
        await deliver(platform, w.slug)  # sent that morning
    (reminder,) = await _messages(w.citizen_id, notices.DUE)
    assert reminder["recipient"] == address
    assert reminder["request"] == mine["id"]
    text = reminder["body"]
    assert f"Строк прокату Тип wheelchair (інв. № {loan['inventory_number']})" in text
    assert f"спливає {due:%d.%m.%Y}" in text
    assert text.index("Пункт прокату: БФ «Надія»") < text.index("———")
    assert text.index("———") < text.index("The loan of the Type wheelchair")
    assert await notices.notify_loans(platform, mid, due - timedelta(days=1)) == {
        "due": 0,
        "overdue": 0,
    }

    # The day after the return date: the overdue notice, once.
    after = due + timedelta(days=2)
    assert await notices.notify_loans(platform, mid, after) == {"due": 0, "overdue": 1}
    assert await notices.notify_loans(platform, mid, after) == {"due": 0, "overdue": 0}
    assert await notices.notify_loans(platform, mid, after + timedelta(days=7)) == {
        "due": 0,
        "overdue": 0,
    }
    (late,) = await _messages(w.citizen_id, notices.OVERDUE)
    assert f"сплив {due:%d.%m.%Y} (прострочено днів: 2)" in late["body"]
    assert "(2 days overdue)" in late["body"]

    # The other borrower gave no consent: nothing, and nothing claimed for them.
    assert await OutboxMessage.count().where(OutboxMessage.citizen == w.other_citizen_id) == 0
    assert not await notices.news.sent_once(notices.key(notices.DUE, other["id"], due))

    await deliver(platform, f"{w.slug}-later")
    assert [m["Subject"] for m in smtp.to(address)] == [
        f"Повернення Тип wheelchair до {due:%d.%m.%Y} / "
        f"Return the Type wheelchair by {due:%d.%m.%Y}",
        "Прострочено повернення Тип wheelchair / The Type wheelchair is overdue",
    ]
    assert "https://hromada.test/desk/citizen/requests/" in body(smtp.to(address)[0])


@MINE
async def test_by_sms_and_never_after_the_return(world: World, platform: Platform) -> None:
    w = world
    contract = await rental_contract(w)
    mine = await assigned(w, contract["id"])
    loan = await ok(await issue(w, mine["id"], (await item(w))["id"]), 201)
    await consent.record(
        w.actors["intake"], w.citizen_id, agree=True, address="067 765 43 21", channel="sms"
    )
    due = date.fromisoformat(loan["due_on"])
    mid = w.municipality_id
    assert await notices.notify_loans(platform, mid, due) == {"due": 1, "overdue": 0}
    (sms,) = await _messages(w.citizen_id, notices.DUE)
    assert (sms["channel"], sms["recipient"], sms["subject"]) == ("sms", "+380677654321", "")
    assert sms["body"] == f"Поверніть Тип wheelchair до {due:%d.%m.%Y}: БФ «Надія», —"

    await ok(await w.post("provider", f"{BASE}/loans/{loan['id']}/return", {"condition": "good"}))
    assert await notices.notify_loans(platform, mid, due + timedelta(days=1)) == {
        "due": 0,
        "overdue": 0,
    }
    assert await _messages(w.citizen_id, notices.OVERDUE) == []
