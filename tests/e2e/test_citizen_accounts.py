"""A citizen's ways into the cabinet in a real browser: the front office hands over a
slip with a code and the person opens the cabinet from a phone; a forgotten password is
reset by the e-mailed link; a stranger registers online and confirms by e-mail. The
e-mails go through the SMTP server the tests run (``mailbox``)."""

from __future__ import annotations

import asyncio
import io
import re
from email.message import EmailMessage

from pypdf import PdfReader
from stdnum.ua import rntrc

from tests.e2e.browser import Desk
from tests.mailbox import Mailbox, link

SLIP = re.compile(r"\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\b")


def _tax_number(body: str) -> str:
    return next(body + d for d in "0123456789" if rntrc.is_valid(body + d))


async def _mail_to(mailbox: Mailbox, address: str, count: int = 1) -> EmailMessage:
    for _ in range(100):
        found = mailbox.to(address)
        if len(found) >= count:
            return found[count - 1]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no e-mail to {address}: {[m['To'] for m in mailbox.mails]}")


async def _fill_and_send(desk: Desk, values: dict[str, str], button: str) -> None:
    for field, value in values.items():
        await desk.page.locator(f"#{field}").fill(value)
    async with desk.page.expect_navigation():
        await desk.page.get_by_role("button", name=button).click()


async def test_a_slip_opens_the_cabinet_and_a_mail_resets_the_password(
    desk: Desk, mailbox: Mailbox
) -> None:
    page = desk.page
    await desk.sign_in("lutsk.intake")
    await desk.goto("/desk/front-office/citizens/new")
    tax = _tax_number("305131313")
    address = "ostap.hnatiuk@example.org"
    await _fill_and_send(
        desk,
        {
            "last_name": "Гнатюк",
            "first_name": "Остап",
            "tax_number": tax,
            "birth_date": "1951-02-11",
            "settlement": "Луцьк",
            "email": address,
        },
        "Зареєструвати",
    )
    assert await desk.heading() == "Гнатюк Остап"
    assert "Кабінету немає" in await page.locator("main").inner_text()
    await desk.check("card-without-cabinet")
    form = page.locator("form[action$='/cabinet-code']")
    token = await form.locator("input[name=_csrf]").input_value()
    # The button opens the PDF in a new tab; the test reads the same answer directly.
    slip = await page.request.post(str(await form.get_attribute("action")), form={"_csrf": token})
    assert slip.status == 200
    text = PdfReader(io.BytesIO(await slip.body())).pages[0].extract_text()
    found = SLIP.search(text)
    assert found, text
    code = found.group(1)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Вийти").click()

    # The person, on a phone.
    await page.set_viewport_size({"width": 390, "height": 844})
    async with page.expect_navigation():
        await page.get_by_role("link", name="Маєте код із ЦНАП? Відкрийте кабінет").click()
    assert await desk.heading() == "Відкрити кабінет за кодом"
    await desk.check("activate")
    await _fill_and_send(
        desk,
        {
            "code": code,
            "birth_date": "1951-02-12",
            "username": "ostap.h",
            "password": "Lypa-1951",
            "password_repeat": "Lypa-1951",
        },
        "Відкрити кабінет",
    )
    assert await page.locator("#code-error").is_visible()
    await desk.check("activate-refused")
    await _fill_and_send(
        desk,
        {
            "birth_date": "1951-02-11",
            "password": "Lypa-1951",
            "password_repeat": "Lypa-1951",
        },
        "Відкрити кабінет",
    )
    assert page.url.endswith("/desk/citizen"), page.url
    await desk.check("cabinet-opened")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Вийти").click()

    # A forgotten password.
    async with page.expect_navigation():
        await page.get_by_role("link", name="Забули пароль?").click()
    assert await desk.heading() == "Відновити пароль"
    await desk.check("reset")
    await _fill_and_send(desk, {"email": address}, "Надіслати посилання")
    assert "Якщо ця адреса записана" in await page.locator("main").inner_text()
    mail = await _mail_to(mailbox, address)
    await desk.goto(link(mail, desk.server.url, "/password-reset/new"))
    assert await desk.heading() == "Новий пароль"
    await desk.check("new-password")
    await _fill_and_send(
        desk, {"password": "Kashtan-2026", "password_repeat": "Kashtan-2026"}, "Зберегти пароль"
    )
    assert "Пароль змінено" in await page.locator("main").inner_text()
    await desk.sign_in("ostap.h", "Kashtan-2026")
    assert page.url.endswith("/desk/citizen"), page.url


async def test_registering_online_is_confirmed_by_email(desk: Desk, mailbox: Mailbox) -> None:
    page = desk.page
    address = "iryna.savchuk@example.org"
    await desk.goto("/sign-in")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Немає кабінету? Зареєструйтеся").click()
    assert await desk.heading() == "Зареєструватися"
    await desk.check("register")
    await desk.goto("/cabinet/activate?lang=en")
    assert await desk.heading() == "Open your account with a code"
    await desk.check("activate-en")
    await desk.goto("/cabinet/register?lang=uk")
    await _fill_and_send(
        desk,
        {
            "last_name": "Савчук",
            "first_name": "Ірина",
            "birth_date": "1979-10-05",
            "email": address,
            "password": "Yalyna-79",
            "password_repeat": "Yalyna-79",
        },
        "Зареєструватися",
    )
    assert await desk.heading() == "Перевірте пошту"
    await desk.check("register-sent")
    mail = await _mail_to(mailbox, address)
    await desk.goto(link(mail, desk.server.url, "/cabinet/confirm"))
    await desk.check("confirm")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Підтвердити й відкрити кабінет").click()
    assert page.url.endswith("/desk/citizen"), page.url
