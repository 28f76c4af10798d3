"""The citizen in a real browser: what can I get without signing in, applying online for
funeral aid with a photo of a document, the request's page, and who looked at my data —
each page checked at a phone's width (390 px) and a desktop's."""

from __future__ import annotations

from playwright.async_api import FilePayload

from tests.e2e.browser import Desk
from tests.e2e.steps import fill_funeral_aid

SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_the_citizens_cabinet(desk: Desk) -> None:
    page = desk.page
    await desk.goto("/?municipality=lutsk&lang=uk")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Що я можу отримати?", exact=False).click()
    assert await desk.heading() == "Що я можу отримати?"
    await desk.check("cabinet-check")
    await page.get_by_label("Дата народження").first.fill("1948-03-02")
    await page.locator("fieldset", has_text="Про вас").get_by_label("Пенсіонер", exact=True).check()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Перевірити").click()
    results = page.locator("#verdicts")
    await results.get_by_text("Розкажіть більше").first.wait_for()
    await desk.check("cabinet-check-verdicts")

    await desk.goto("/services/funeral_aid.lump_sum?municipality=lutsk&lang=uk")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Подати заяву онлайн").click()
    assert "/sign-in" in page.url
    await desk.sign_in("lutsk.citizen")
    assert "/services/funeral_aid.lump_sum/apply" in page.url
    await desk.check("cabinet-apply")

    # A deceased person nobody else in the browser session applies for (one aid each).
    await fill_funeral_aid(page, last_name="Мельник", first_name="Василь", born="1950-05-04")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Далі: перевірити").click()
    assert (await desk.heading()).startswith("Перевірте заяву")
    assert "Мельник" in await page.locator("main").inner_text()
    await desk.check("cabinet-review")

    photo: FilePayload = {"name": "svidotstvo.pdf", "mimeType": "application/pdf", "buffer": SCAN}
    await page.locator("#documents").set_input_files([photo])
    async with page.expect_navigation():
        await page.get_by_role("button", name="Надіслати заяву").click()
    assert (await desk.heading()).startswith("Номер ")
    mine = page.url.removeprefix(desk.server.url).split("?")[0]
    number = (await desk.heading()).removeprefix("Номер ").strip()
    text = await page.locator("main").inner_text()
    assert "Заяву надіслано" in text
    assert "Подано, чекає рішення" in text
    await desk.check("cabinet-request")
    letter = page.get_by_role("link", name="Заява (PDF)")
    pdf = await page.request.get(str(await letter.get_attribute("href")))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"

    async with page.expect_navigation():
        await page.get_by_role("link", name="Мої дані").click()
    assert await desk.heading() == "Мої дані і хто їх переглядав"
    await desk.check("cabinet-my-data")

    # The caseworker reads and approves it; the citizen sees the decision, its letter and
    # the caseworker's read in "who looked at my data".
    async with page.expect_navigation():
        await page.get_by_role("button", name="Вийти").click()
    await desk.sign_in("lutsk.caseworker")
    await desk.goto("/desk/requests/" + mine.rsplit("/", 1)[1])
    await page.get_by_label("Задовольнити (призначити)").check()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Записати рішення").click()
    assert "Рішення записано." in await page.locator("main").inner_text()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Вийти").click()
    await desk.sign_in("lutsk.citizen")
    await desk.goto(mine)
    decided = await page.locator("main").inner_text()
    assert "Заяву схвалено" in decided
    assert await page.get_by_role("link", name="Лист із рішенням (PDF)").count() >= 1
    await desk.check("cabinet-decided")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Мої дані").click()
    log = await page.locator(".access-log").inner_text()
    assert f"перегляд звернення {number}" in log
    assert "бек-офіс" in log
