"""The office's electronic queue: tickets from the kiosk numbered per group and day, the
desk's calls (booked visitors first at their slot), the refused steps, online booking
with its e-mails (through a local SMTP server), cancelling by the link, and the report's
figures. Each test travels to a fixed working morning in Kyiv."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
import time_machine

from core import clock
from core.db.tables import OutboxMessage, ParameterValue, QueueTicket, QueueTicketRequest
from core.notify import outbox
from core.platform import Platform
from core.web.queue_texts import QUEUE_TEXTS
from core.workflow import visit_queue as vq
from tests.funeral import funeral_form
from tests.mailbox import SITE, Mailbox, body
from tests.web.conftest import form_token, sign_in
from tests.web.test_single_window import _posted
from tests.world import World

#: A Wednesday morning; Monday is two days before (the reminder goes on Tuesday).
WEDNESDAY = datetime(2026, 12, 2, 9, 50, tzinfo=clock.KYIV)
MONDAY = datetime(2026, 11, 30, 12, 0, tzinfo=clock.KYIV)


def test_texts_have_the_same_keys_in_both_languages() -> None:
    assert set(QUEUE_TEXTS["uk"]) == set(QUEUE_TEXTS["en"])


async def _take(visitor: httpx.AsyncClient, office_id: int, group: str) -> httpx.Response:
    kiosk = await visitor.get(f"/queue/{office_id}/kiosk")
    assert kiosk.status_code == 200, kiosk.text
    return await visitor.post(
        f"/queue/{office_id}/kiosk", data={"_csrf": form_token(kiosk.text), "group": group}
    )


async def _ticket_number(visitor: httpx.AsyncClient, response: httpx.Response) -> str:
    assert response.status_code == 303, response.text
    page = await visitor.get(response.headers["location"])
    assert page.status_code == 200
    found = re.search(r'id="ticket-number" class="slip-number">([A-Z]-\d{3})<', page.text)
    assert found, page.text
    return found.group(1)


async def test_the_kiosk_numbers_tickets_per_group_and_day(
    world: World, visitor: httpx.AsyncClient
) -> None:
    with time_machine.travel(WEDNESDAY, tick=False) as travel:
        office = world.office_id
        kiosk = await visitor.get(f"/queue/{office}/kiosk")
        assert "Соціальна допомога" in kiosk.text  # the default groups
        first = await _take(visitor, office, "A")
        assert await _ticket_number(visitor, first) == "A-001"
        second = await _take(visitor, office, "A")
        slip = await visitor.get(second.headers["location"])
        assert "A-002" in slip.text
        assert "Ваше місце в черзі" in slip.text
        assert re.search(r"<dt>Ваше місце в черзі</dt><dd>2</dd>", slip.text)
        assert "~10 хв" in slip.text  # one ahead, 10 minutes per visit, one desk
        assert await _ticket_number(visitor, await _take(visitor, office, "B")) == "B-001"
        unknown = await _take(visitor, office, "Z")
        assert unknown.status_code == 400
        assert 'id="group-error"' in unknown.text
        assert (await visitor.get("/queue/999999/kiosk")).status_code == 404

        travel.move_to(WEDNESDAY + timedelta(days=1))
        assert await _ticket_number(visitor, await _take(visitor, office, "A")) == "A-001"


async def test_tickets_taken_at_once_get_different_numbers(world: World) -> None:
    with time_machine.travel(WEDNESDAY, tick=True):
        tickets = await asyncio.gather(*(vq.issue_ticket(world.office_id, "C") for _ in range(8)))
    numbers = sorted(t.number for t in tickets)
    assert numbers == [f"C-{n:03d}" for n in range(1, 9)]


@asynccontextmanager
async def _staff(app: Any, world: World, role: str = "intake") -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as staff:
        assert (await sign_in(staff, f"{world.slug}.{role}")).status_code == 303
        yield staff


async def _desk(
    staff: httpx.AsyncClient, world: World, desk: int, action: str, ticket_id: int | None = None
) -> httpx.Response:
    page = await staff.get("/desk/queue", params={"office": world.office_id, "desk": desk})
    assert page.status_code == 200, page.text
    path = "/desk/queue/call" if ticket_id is None else f"/desk/queue/tickets/{ticket_id}/{action}"
    return await staff.post(
        path, data={"_csrf": form_token(page.text), "office": world.office_id, "desk": desk}
    )


async def _current(staff: httpx.AsyncClient, world: World, desk: int) -> str:
    page = await staff.get("/desk/queue", params={"office": world.office_id, "desk": desk})
    found = re.search(r'id="current-number">([A-Z]-\d{3})<', page.text)
    return found.group(1) if found else ""


async def test_a_booked_visitor_is_called_first_at_the_slot(world: World, app: Any) -> None:
    with time_machine.travel(WEDNESDAY, tick=False) as travel:
        await vq.issue_ticket(world.office_id, "A")  # A-001 at 09:50
        travel.move_to(WEDNESDAY + timedelta(minutes=2))
        await vq.issue_ticket(world.office_id, "C")  # C-001 at 09:52
        booking = await vq.book(
            app.state.platform.settings,
            office_id=world.office_id,
            letter="B",
            slot_start=WEDNESDAY.replace(hour=10, minute=0),
            name="Ірина Бойко",
            email="iryna.boiko@example.org",
        )
        travel.move_to(WEDNESDAY + timedelta(minutes=5))
        booked = await vq.check_in(world.office_id, booking.code.lower())
        assert booked.number == "B-001"
        assert booked.booked
        with pytest.raises(vq.NotFound):
            await vq.check_in(world.office_id, booking.code)  # used once

        async with _staff(app, world) as staff:
            travel.move_to(WEDNESDAY + timedelta(minutes=7))
            assert (await _desk(staff, world, 1, "call")).status_code == 303
            assert await _current(staff, world, 1) == "A-001"  # the slot has not begun
            travel.move_to(WEDNESDAY + timedelta(minutes=11))  # 10:01
            assert (await _desk(staff, world, 2, "call")).status_code == 303
            assert await _current(staff, world, 2) == "B-001"  # before C-001, taken earlier

            screen = await staff.get(f"/queue/{world.office_id}/screen/now")
            assert screen.text.lstrip().startswith('<section id="queue-calls"')
            assert 'hx-trigger="every 3s"' in screen.text
            numbers = re.findall(r'class="screen-number">([A-Z]-\d{3})<', screen.text)
            assert numbers == ["B-001", "A-001"]  # the newest call first
            assert re.search(r"B-001</td><td class=\"screen-desk\">2<", screen.text)


async def test_desk_steps_and_their_refusals(world: World, app: Any) -> None:
    with time_machine.travel(WEDNESDAY, tick=False) as travel:
        first = await vq.issue_ticket(world.office_id, "A")
        second = await vq.issue_ticket(world.office_id, "A")
        async with _staff(app, world) as staff:
            bad_desk = await staff.get("/desk/queue", params={"office": world.office_id, "desk": 0})
            assert bad_desk.status_code == 400
            assert 'id="desk-error"' in bad_desk.text

            travel.move_to(WEDNESDAY + timedelta(minutes=1))
            assert (await _desk(staff, world, 1, "call")).status_code == 303
            # The desk must finish its ticket before calling another.
            busy = await _desk(staff, world, 1, "call")
            assert busy.status_code == 409
            assert 'id="desk-error"' in busy.text
            assert "A-001" in busy.text
            # "Done" needs a ticket being served.
            early = await _desk(staff, world, 1, "done", first.id)
            assert early.status_code == 409
            assert 'id="ticket-error"' in early.text
            recalled = await _desk(staff, world, 1, "recall", first.id)
            assert recalled.status_code == 303
            row = await QueueTicket.select().where(QueueTicket.id == first.id).first()
            assert row is not None
            assert row["calls"] == 2
            assert row["wait_seconds"] == 60
            assert (await _desk(staff, world, 1, "no-show", first.id)).status_code == 303
            again = await _desk(staff, world, 1, "recall", first.id)
            assert again.status_code == 409  # a no-show is not called again

            travel.move_to(WEDNESDAY + timedelta(minutes=3))
            assert (await _desk(staff, world, 1, "call")).status_code == 303
            start = await _desk(staff, world, 1, "start", second.id)
            assert start.status_code == 303
            assert start.headers["location"] == "/desk/front-office/citizens"
            assert "hromada_queue_ticket" in start.headers["set-cookie"]
            async with _staff(app, world, "auditor") as other:
                assert await _desk_as_auditor(other, world) == 403


async def _desk_as_auditor(client: httpx.AsyncClient, world: World) -> int:
    page = await client.get("/desk/queue", params={"office": world.office_id, "desk": 1})
    return page.status_code


@pytest.mark.world_plugins("funeral_aid")
async def test_requests_made_while_serving_are_linked_to_the_ticket(world: World, app: Any) -> None:
    with time_machine.travel(WEDNESDAY, tick=False) as travel:
        ticket = await vq.issue_ticket(world.office_id, "A")
        async with _staff(app, world) as staff:
            assert (await _desk(staff, world, 3, "call")).status_code == 303
            assert (await _desk(staff, world, 3, "start", ticket.id)).status_code == 303
            apply = await staff.get(f"/desk/front-office/citizens/{world.citizen_id}/apply")
            done = await staff.post(
                f"/desk/front-office/citizens/{world.citizen_id}/apply",
                data={
                    **_posted(funeral_form()),
                    "_csrf": form_token(apply.text),
                    "channel": "front_office",
                    "apply_for": "funeral_aid.lump_sum",
                },
            )
            assert done.status_code == 303, done.text
            links = await QueueTicketRequest.select().where(QueueTicketRequest.ticket == ticket.id)
            assert len(links) == 1
            desk = await staff.get("/desk/queue", params={"office": world.office_id, "desk": 3})
            assert "Подані звернення" in desk.text
            assert re.search(r"\d{4}-\d{6}", desk.text)

            travel.move_to(WEDNESDAY + timedelta(minutes=4))
            finished = await _desk(staff, world, 3, "done", ticket.id)
            assert finished.status_code == 303
            assert 'hromada_queue_ticket=""' in finished.headers["set-cookie"]
    row = await QueueTicket.select().where(QueueTicket.id == ticket.id).first()
    assert row is not None
    assert row["status"] == "done"
    assert row["service_seconds"] == 240
    assert row["citizen"] == world.citizen_id


async def _book(
    visitor: httpx.AsyncClient, world: World, group: str, day: date, hour: int, **person: str
) -> httpx.Response:
    form = await visitor.get(
        f"/queue/{world.office_id}/book", params={"group": group, "day": day.isoformat()}
    )
    assert form.status_code == 200, form.text
    slot = datetime(day.year, day.month, day.day, hour, 0, tzinfo=clock.KYIV).isoformat()
    assert f'value="{slot}"' in form.text
    return await visitor.post(
        f"/queue/{world.office_id}/book",
        data={
            "_csrf": form_token(form.text),
            "group": group,
            "day": day.isoformat(),
            "slot": slot,
            "name": person.get("name", "Марія Гуменюк"),
            "email": person["email"],
        },
    )


async def test_a_full_slot_is_refused(world: World, visitor: httpx.AsyncClient) -> None:
    await ParameterValue(
        municipality=world.municipality_id,
        key="core.queue_slot_capacity",
        valid_from=date(2020, 1, 1),
        value="1",
    ).save()
    with time_machine.travel(MONDAY, tick=False):
        day = WEDNESDAY.date()
        ok = await _book(visitor, world, "A", day, 11, email="first@example.org")
        assert ok.status_code == 201, ok.text
        full = await _book(visitor, world, "A", day, 11, email="second@example.org")
        assert full.status_code == 409
        assert 'id="slot-error"' in full.text
        assert "місць немає" in full.text
        # Another group's slot at the same time still has room.
        other = await _book(visitor, world, "B", day, 11, email="third@example.org")
        assert other.status_code == 201
        weekend = await visitor.get(
            f"/queue/{world.office_id}/book", params={"group": "A", "day": "2026-12-05"}
        )
        assert weekend.status_code == 400
        assert 'id="day-error"' in weekend.text


async def test_booking_mails_the_confirmation_then_the_reminder_the_day_before(
    world: World, visitor: httpx.AsyncClient, smtp: Mailbox, platform: Platform
) -> None:
    address = f"visitor-{world.slug}@example.org"
    with time_machine.travel(MONDAY, tick=False) as travel:
        booked = await _book(visitor, world, "C", WEDNESDAY.date(), 14, email=address)
        assert booked.status_code == 201, booked.text
        code = re.search(r'id="booking-code">([A-Z2-9]{6})<', booked.text)
        assert code, booked.text
        await outbox.settle()
        mails = smtp.to(address)
        assert [m["Subject"] for m in mails] == [
            "Запис на прийом підтверджено / Your visit is booked"
        ]
        text = body(mails[0])
        assert code.group(1) in text
        assert "02.12.2026 14:00" in text
        assert f"{SITE}/queue/bookings/cancel?token=" in text
        assert await outbox.deliver_due(platform.settings) == 0  # the reminder waits

        travel.move_to(datetime(2026, 12, 1, 9, 59, tzinfo=clock.KYIV))
        await outbox.deliver_due(platform.settings)
        assert len(smtp.to(address)) == 1
        travel.move_to(datetime(2026, 12, 1, 10, 0, tzinfo=clock.KYIV))
        await outbox.deliver_due(platform.settings)
        mails = smtp.to(address)
        assert len(mails) == 2
        assert mails[1]["Subject"].startswith("Нагадування")
        assert code.group(1) in body(mails[1])


async def test_cancel_by_the_link_withdraws_the_reminder(
    world: World, visitor: httpx.AsyncClient, smtp: Mailbox, platform: Platform
) -> None:
    address = f"cancel-{world.slug}@example.org"
    with time_machine.travel(MONDAY, tick=False) as travel:
        booked = await _book(visitor, world, "A", WEDNESDAY.date(), 9, email=address)
        assert booked.status_code == 201, booked.text
        await outbox.settle()
        mail = smtp.to(address)[0]
        found = re.search(re.escape(SITE) + r"(/queue/bookings/cancel\?token=[\w-]+)", body(mail))
        assert found, body(mail)
        page = await visitor.get(found.group(1))
        assert page.status_code == 200
        assert "Скасувати запис на 02.12.2026 09:00?" in page.text
        token = found.group(1).split("token=")[1]
        done = await visitor.post(
            "/queue/bookings/cancel", data={"_csrf": form_token(page.text), "token": token}
        )
        assert done.status_code == 200
        assert "Запис скасовано" in done.text
        again = await visitor.post(
            "/queue/bookings/cancel", data={"_csrf": form_token(page.text), "token": token}
        )
        assert again.status_code == 409
        reminder = (
            await OutboxMessage.select(OutboxMessage.status)
            .where((OutboxMessage.recipient == address) & (OutboxMessage.event == "queue.reminder"))
            .first()
        )
        assert reminder is not None
        assert reminder["status"] == "cancelled"
        # The slot is free again; the kiosk does not know the code any more.
        travel.move_to(datetime(2026, 12, 1, 10, 0, tzinfo=clock.KYIV))
        await outbox.deliver_due(platform.settings)
        assert len(smtp.to(address)) == 1


async def test_the_report_gives_average_and_90th_percentile(world: World, app: Any) -> None:
    with time_machine.travel(WEDNESDAY, tick=False) as travel:
        tickets = [await vq.issue_ticket(world.office_id, "A") for _ in range(3)]
        async with _staff(app, world) as staff:
            # Waits of 1, 3 and 7 minutes; services of 2, 4 and 6 minutes, at desk 1.
            moment = WEDNESDAY + timedelta(minutes=1)
            for n, ticket in enumerate(tickets):
                travel.move_to(moment)
                assert (await _desk(staff, world, 1, "call")).status_code == 303
                assert (await _desk(staff, world, 1, "start", ticket.id)).status_code == 303
                moment += timedelta(minutes=2 * (n + 1))
                travel.move_to(moment)
                assert (await _desk(staff, world, 1, "done", ticket.id)).status_code == 303
            report = await staff.get(
                "/desk/queue/stats", params={"start": "2026-12-01", "end": "2026-12-02"}
            )
            assert report.status_code == 200, report.text
            section = report.text.split('id="stats-table-office"')[1].split("</table>")[0]
            cells = re.findall(r'<td class="num">([\d.]+)</td>', section)
            # Waits 60, 180, 420 s: 3.7 min on average, 7.0 the 90th percentile.
            assert cells == ["3", "3.7", "7.0", "3", "4.0", "6.0"]
            by_desk = report.text.split('id="stats-table-desk"')[1].split("</table>")[0]
            assert "<td>1</td>" in by_desk
            wrong = await staff.get(
                "/desk/queue/stats", params={"start": "2026-12-02", "end": "2026-12-01"}
            )
            assert wrong.status_code == 400
            assert 'id="end-error"' in wrong.text
