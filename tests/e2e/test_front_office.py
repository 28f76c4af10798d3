"""The front office in a real browser: find a person by typing (htmx), register a new one
by keyboard, fix the errors the form shows beside the fields, and open their card."""

from __future__ import annotations

from stdnum.ua import rntrc

from tests.e2e.browser import Desk


def _tax_number(body: str) -> str:
    return next(body + d for d in "0123456789" if rntrc.is_valid(body + d))


async def test_register_a_person_by_keyboard_and_find_them(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.intake")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Пошук особи").click()
    assert await desk.heading() == "Пошук особи"
    await desk.check("find")

    # Typing updates the list in place, and the address keeps the search.
    await page.locator("#q").fill("Неіснуюча")
    await page.get_by_text("Нікого не знайдено").wait_for()
    await page.wait_for_url("**q=*")
    await desk.check("find-nobody")

    async with page.expect_navigation():
        await page.get_by_role("link", name="Зареєструвати особу").first.click()
    assert await desk.heading() == "Зареєструвати особу"
    await desk.check("new")

    await page.locator("#last_name").focus()
    await page.keyboard.type("Шевчук")
    await page.keyboard.press("Tab")
    await page.keyboard.type("Марія")
    await page.locator("#tax_number").fill("1234567890")
    await page.get_by_text("РНОКПП недійсний").wait_for()
    await page.locator("#birth_date").fill("1958-07-21")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Зареєструвати").click()
    # The bad tax number is refused beside its field; what was typed is kept.
    assert await page.locator("#tax_number-error").is_visible()
    assert await page.locator("#last_name").input_value() == "Шевчук"
    await desk.check("new-errors")

    tax = _tax_number("305121212")
    await page.locator("#tax_number").fill(tax)
    await page.get_by_text("РНОКПП правильний.").wait_for()
    await page.get_by_label("Пенсіонер", exact=True).check()
    await page.locator("#settlement").fill("Луцьк")
    await page.locator("#address").fill("вул. Волі, 5")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Зареєструвати").click()
    assert await desk.heading() == "Шевчук Марія"
    assert "Особу зареєстровано." in await page.locator("main").inner_text()
    await desk.check("card")

    await desk.goto(f"/desk/front-office/citizens?tax_number={tax}")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Шевчук Марія").click()
    assert await desk.heading() == "Шевчук Марія"
