"""Pages a plugin adds to the desk, in a real browser: the intake opens the register of
homeless persons from the menu, takes a person on record by keyboard (a wrong number
first: the message beside the field, what was typed kept) and reads the entry and its
certificate."""

from __future__ import annotations

from typing import Any

from tests.e2e.browser import Desk


async def _someone_not_on_the_register(desk: Desk) -> int:
    request = desk.page.request
    on = await request.get("/api/ext/homeless/register?status=active&page_size=500")
    assert on.status == 200, await on.text()
    taken = {item["citizen_id"] for item in (await on.json())["items"]}
    people = await request.get("/api/citizens?page_size=100")
    assert people.status == 200, await people.text()
    items: list[dict[str, Any]] = (await people.json())["items"]
    free = [p["id"] for p in items if p["id"] not in taken]
    assert free, "the demo has citizens not on the register"
    return int(free[0])


async def test_intake_registers_a_homeless_person_by_keyboard(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.intake")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Облік бездомних осіб").click()
    assert await desk.heading() == "Облік бездомних осіб"
    assert await page.locator("main .records li").count() >= 1, "the demo has entries"
    await desk.check("homeless-register")

    citizen = await _someone_not_on_the_register(desk)
    new = page.get_by_role("link", name="Взяти особу на облік")
    await new.focus()
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert await desk.heading() == "Взяти особу на облік"

    await page.locator("#citizen").focus()
    await page.keyboard.type("99999999")
    await page.keyboard.press("Tab")
    await page.keyboard.press("ArrowDown")  # the radio group: found by the social patrol
    await page.keyboard.press("Tab")
    await page.keyboard.press("Space")  # has identity documents
    await page.locator("#confidential_notes").focus()
    await page.keyboard.type("Ночує біля вокзалу")
    await page.keyboard.press("Tab")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert await page.locator("#citizen-error").is_visible()
    assert await page.locator("#citizen").get_attribute("aria-invalid") == "true"
    assert await page.locator("#confidential_notes").input_value() == "Ночує біля вокзалу"
    assert await page.locator("#channel-patrol_detection").is_checked()
    assert await page.locator("#has_identity_documents").is_checked()
    await desk.check("homeless-new-error")

    await page.locator("#citizen").focus()
    await page.keyboard.press("Control+A")
    await page.keyboard.type(str(citizen))
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    main = await page.locator("main").inner_text()
    assert "Особу взято на облік." in main
    assert "Виявлення соціальним патрулем" in main
    assert "Ночує біля вокзалу" in main
    await desk.check("homeless-entry")

    certificate = page.get_by_role("link", name="Довідка про взяття на облік")
    await certificate.focus()
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert "взято на облік" in await page.locator("main").inner_text()
    await desk.check("homeless-certificate")

    await desk.goto("/desk/ext/homeless/register?lang=en")
    assert await desk.heading() == "Register of homeless persons"
    await desk.check("homeless-register-en")


async def test_caseworker_reads_a_household_and_its_calculation(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.caseworker")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Субсидії: домогосподарства").click()
    await desk.check("subsidy-households")
    first = page.locator("main .records h3 a").first
    assert await first.count() == 1, "the demo stores households"
    await first.focus()
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert "Розрахунок субсидії" in await page.locator("main").inner_text()
    await desk.check("subsidy-household")
