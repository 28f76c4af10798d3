"""The electronic queue in a real browser: a visit booked online (the confirmation comes
by e-mail), the visitor's ticket from the kiosk by the booking code, the hall screen
showing it when a desk calls it, serving it through the front office (the person
registered with a consent to news, an application at the single window linked to the
ticket), done; then the caseworker's decision comes to the visitor by e-mail.

The server's clock cannot travel, so once booked the visit is moved to now in its
database, as if the day had come."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import asyncpg
from stdnum.ua import rntrc

from core.clock import KYIV
from tests.e2e.browser import Desk
from tests.e2e.server import Server
from tests.e2e.steps import fill_funeral_aid
from tests.mailbox import Mailbox, body

ADDRESS = "queue.visitor.e2e@example.org"
DESK = 7


async def _slot_now(server: Server, code: str) -> None:
    """Move the booking's slot to a minute ago, or to midnight if that was yesterday (the
    kiosk looks for today's bookings)."""
    now = datetime.now(KYIV)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    moment = max(now - timedelta(minutes=1), midnight).astimezone(UTC)
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
    rating_code = (await page.locator("#rating-code").inner_text()).strip()
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

    # Serving opens the front office: the visitor is registered with a consent to news
    # and applies at the single window; the request is linked to the ticket.
    async with page.expect_navigation():
        await page.get_by_role("button", name="Почати обслуговування").click()
    assert page.url.endswith("/desk/front-office/citizens")
    request_id, journal = await _register_and_apply(desk)
    await desk.goto(f"/desk/queue?office={office}&desk={DESK}")
    serving = await page.locator("main").inner_text()
    assert "обслуговується" in serving
    assert journal in serving
    async with page.expect_navigation():
        await page.get_by_role("button", name="Завершити").click()
    assert "Талона у вікні немає" in await page.locator("main").inner_text()

    # On the way out, the visitor rates the visit at the kiosk with the ticket's code.
    await desk.goto(f"/queue/{office}/rate")
    await desk.check("rate-code")
    await page.locator("#code").fill(rating_code)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Оцінити", exact=True).click()
    await page.locator(".rating-choice label").nth(3).click()
    await page.locator("#comment").fill("Швидко і ввічливо")
    await desk.check("rate-answer")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Надіслати оцінку").click()
    assert await desk.heading() == "Дякуємо за оцінку"
    await desk.check("rated")

    received = await _mail(mailbox, ADDRESS, f"Звернення № {journal}", 1)
    assert "прийнято до розгляду" in body(received)

    # The caseworker decides; the decision comes to the visitor by e-mail.
    async with page.expect_navigation():
        await page.get_by_role("button", name="Вийти").click()
    await desk.sign_in("lutsk.caseworker")
    await desk.goto(f"/desk/requests/{request_id}")
    await page.get_by_label("Задовольнити (призначити)").check()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Записати рішення").click()
    assert "Рішення записано." in await page.locator("main").inner_text()
    decided = await _mail(mailbox, ADDRESS, f"Звернення № {journal}", 2)
    assert "рішення — надати послугу" in body(decided)
    assert f"/desk/citizen/requests/{request_id}" in body(decided)
    await desk.goto(f"/desk/requests/{request_id}")
    messages = await page.locator("section", has_text="Повідомлення заявнику").inner_text()
    assert messages.count("надіслано") >= 2, messages
    await desk.check("request-with-messages")


async def _mail(mailbox: Mailbox, address: str, subject: str, count: int) -> EmailMessage:
    """The ``count``-th message to ``address`` with ``subject`` in its subject."""
    for _ in range(200):
        found = [m for m in mailbox.to(address) if subject in str(m["Subject"])]
        if len(found) >= count:
            return found[count - 1]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no message {count} «{subject}» to {address}")


async def _register_and_apply(desk: Desk) -> tuple[str, str]:
    """Register the visitor, record their consent, apply for funeral aid; the request's
    id and journal number."""
    page = desk.page
    async with page.expect_navigation():
        await page.get_by_role("link", name="Зареєструвати особу").first.click()
    tax = next("305141414" + d for d in "0123456789" if rntrc.is_valid("305141414" + d))
    for field, value in (
        ("last_name", "Кравчук"),
        ("first_name", "Олена"),
        ("tax_number", tax),
        ("birth_date", "1961-04-09"),
        ("settlement", "Луцьк"),
        ("email", ADDRESS),
    ):
        await page.locator(f"#{field}").fill(value)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Зареєструвати").click()
    assert await desk.heading() == "Кравчук Олена"
    assert await page.locator("#notify_email").input_value() == ADDRESS
    await page.locator("#notify_agree").check()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Зберегти").click()
    assert f"Лист на {ADDRESS}" in await page.locator("main").inner_text()
    await desk.check("card-with-consent")

    async with page.expect_navigation():
        await page.get_by_role("link", name="Нова заява (єдине вікно)").click()
    funeral = page.locator("details", has=page.get_by_text("Допомога на поховання", exact=True))
    await funeral.locator("summary").click()
    # A deceased person nobody else in the browser session applies for (one aid each).
    await fill_funeral_aid(
        page,
        last_name="Кравчук",
        first_name="Степан",
        born="1936-02-14",
        relation="spouse",
        record="4321",
        days_ago=12,
    )
    verdict = page.locator("#screening li", has=page.get_by_text("Допомога на поховання"))
    await verdict.get_by_text("Відповідає умовам").wait_for()
    await verdict.get_by_role("checkbox", name="Допомога на поховання").check()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Подати вибрані заяви").click()
    assert await desk.heading() == "Заяви прийнято"
    text = await page.locator("main").inner_text()
    found = re.search(r"Номер (\d{4}-\d{6})", text)
    assert found, text
    receipt = page.get_by_role("link", name="Друкувати розписку (PDF)").first
    href = str(await receipt.get_attribute("href"))
    request_id = re.search(r"/desk/requests/(\d+)/", href)
    assert request_id, href
    return request_id.group(1), found.group(1)
