"""The provider in a real browser: its contracts and the people served, ticking days on
the month grid, the month's sheet, and running and submitting the month's invoice."""

from __future__ import annotations

from tests.e2e.browser import Desk


async def test_provider_records_a_month_and_submits_its_invoice(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.provider")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Договори й отримувачі").click()
    assert await desk.heading() == "Договори й отримувачі"
    assert await page.locator("main .people li").count() >= 1, "the demo serves people"
    await desk.check("contracts")

    links = page.locator("main a", has_text="Записати надання")
    hrefs = [await links.nth(i).get_attribute("href") for i in range(await links.count())]
    assert hrefs, "the provider has a contract in force"
    for href in hrefs:  # the contract of a service recorded on the grid (bed-nights)
        await desk.goto(str(href))
        if await page.locator("input[name=cell]").count():
            break
    else:
        raise AssertionError("no contract of the demo provider is recorded on a grid")
    await desk.check("grid")
    cells = page.locator("input[name=cell]")
    for i in range(min(3, await cells.count())):
        await cells.nth(i).check()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Записати позначені").click()
    assert "Записано надань:" in await page.locator("main").inner_text()
    await desk.check("recorded")

    async with page.expect_navigation():
        await page.get_by_role("link", name="Відомість надань").first.click()
    assert await page.locator("main form[action$='/void']").count() >= 1
    await desk.check("sheet")

    async with page.expect_navigation():
        await page.get_by_role("link", name="Рахунки надавача").first.click()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Сформувати рахунки за місяць").click()
    # The run is a background job: its panel shows the progress until it is done.
    job = page.locator("section.job")
    await job.wait_for()
    await job.get_by_text("Складено рахунків: 1").wait_for(timeout=60_000)
    await desk.check("invoices-job-done")
    async with page.expect_navigation():
        await job.get_by_role("link").first.click()
    await desk.check("invoices")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Подати рахунок").first.click()
    assert "Рахунок подано бухгалтерові." in await page.locator("main").inner_text()
    act = page.locator("main a", has_text="Акт (PDF)").first
    pdf = await page.request.get(str(await act.get_attribute("href")))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    await desk.check("submitted")
