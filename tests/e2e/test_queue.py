"""The electronic queue in a real browser: a visit booked online (the confirmation comes
by e-mail), the visitor's ticket from the kiosk by the booking code, the hall screen
showing it when a desk calls it, serving it through the front office, and done.

The server's clock cannot travel, so once booked the visit is moved to now in its
database, as if the day had come."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from datetime import UTC, datetime, timedelta

import asyncpg

from tests.e2e.browser import Desk
from tests.e2e.server import Server
from tests.mailbox import Mailbox, body

ADDRESS = "queue.visitor.e2e@example.org"
DESK = 7


async def _slot_now(server: Server, code: str) -> None:
    """Move the booking's slot to a minute ago."""
    moment = datetime.now(UTC) - timedelta(minutes=1)
    if server.database_url.startswith("postgres"):
        conn = await asyncpg.connect(server.database_url)
        try:
            await conn.execute(
                "UPDATE queue_booking SET slot_start = $1 WHERE code = $2", moment, code
            )
        finally:
            await conn.close()
        return
    with sqlite3.connect(server.database_url.removeprefix("sqlite:///"), timeout=30) as db:
        db.execute("UPDATE queue_booking SET slot_start = ? WHERE code = ?", (str(moment), code))


async def test_book_online_take_the_ticket_be_called_and_served(
    desk: Desk, mailbox: Mailbox
) -> None:
    page = desk.page
    await desk.sign_in("lutsk.intake")
    await desk.goto("/desk/queue")
    office = await page.locator("#office option", has_text="ЦНАП м. Луцька").get_attribute("value")
    assert office

    # The visitor books a visit on a phone.
    await page.set_viewport_size({"width": 390, "height": 844})
    await desk.goto(f"/queue/{office}/book")
    await page.locator("#group").select_option("C")
    last_day = await page.locator("#day option").last.get_attribute("value")
    assert last_day
    await page.locator("#day").select_option(last_day)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Показати вільний час").click()
    await page.locator("label", has_text="11:00").click()
    await page.locator("#name").fill("Олена Кравчук")
    await page.locator("#email").fill(ADDRESS)
    await desk.check("book")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Записатися").click()
    assert await desk.heading() == "Запис підтверджено"
    code = (await page.locator("#booking-code").inner_text()).strip()
    await desk.check("booked")
    for _ in range(100):
        if mailbox.to(ADDRESS):
            break
        await asyncio.sleep(0.1)
    mail = mailbox.to(ADDRESS)
    assert mail, [m["To"] for m in mailbox.mails]
    assert mail[0]["Subject"] == "Запис на прийом підтверджено / Your visit is booked"
    assert code in body(mail[0])
    assert "/queue/bookings/cancel?token=" in body(mail[0])

    # The day has come: at the kiosk, the code gives a ticket.
    await _slot_now(desk.server, code)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await desk.goto(f"/queue/{office}/kiosk")
    await desk.check("kiosk")
    await page.locator("#code").fill(code.lower())
    async with page.expect_navigation():
        await page.get_by_role("button", name="Отримати талон за записом").click()
    number = (await page.locator("#ticket-number").inner_text()).strip()
    assert re.fullmatch(r"C-\d{3}", number), number
    assert "За попереднім записом" in await page.locator("main").inner_text()
    await desk.check("ticket")

    # The hall screen, on its own display, shows the call when the desk makes it.
    screen = await page.context.new_page()
    await screen.goto(f"/queue/{office}/screen")
    await desk.goto(f"/desk/queue?office={office}&desk={DESK}")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Викликати наступного").click()
    assert (await page.locator("#current-number").inner_text()).strip() == number
    await desk.check("desk-called")
    row = screen.locator("#queue-calls tr", has_text=number)
    await row.wait_for(timeout=10_000)
    assert (await row.locator(".screen-desk").inner_text()).strip() == str(DESK)
    screen_desk = Desk(page=screen, server=desk.server, folder=desk.folder)
    await screen_desk.check("screen")
    await screen.close()

    # Serving opens the front office; done closes the ticket.
    async with page.expect_navigation():
        await page.get_by_role("button", name="Почати обслуговування").click()
    assert page.url.endswith("/desk/front-office/citizens")
    await desk.goto(f"/desk/queue?office={office}&desk={DESK}")
    assert "обслуговується" in await page.locator("main").inner_text()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Завершити").click()
    assert "Талона у вікні немає" in await page.locator("main").inner_text()
