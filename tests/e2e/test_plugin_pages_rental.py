"""The rental point in a real browser: the caseworker opens it from the menu, opens an
active loan from the list and takes the item back by keyboard; the inventory and the
waiting list; the admin previews last month's billing, runs it again (the demo billed it:
nothing is recorded twice) and follows the month's invoice."""

from __future__ import annotations

from tests.e2e.browser import Desk


async def test_caseworker_takes_an_item_back(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.caseworker")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Пункт прокату", exact=True).click()
    assert await desk.heading() == "Пункт прокату: видачі"
    await desk.check("rental-loans")

    found = await page.request.get("/api/ext/rental_aids/loans?status=active")
    assert found.status == 200, await found.text()
    items = (await found.json())["items"]
    assert items, "the demo has items on loan"
    loan = items[0]
    async with page.expect_navigation():
        await page.get_by_role("link", name=f"Видача № {loan['id']}").first.click()
    assert await desk.heading() == f"Видача № {loan['id']}"
    await desk.check("rental-loan")

    await page.locator("#condition").select_option("worn")
    await page.get_by_role("button", name="Прийняти повернення").focus()
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    main = await page.locator("main").inner_text()
    assert "Повернення прийнято." in main
    assert "Акт приймання-передачі та повернення (PDF)" in main
    await desk.check("rental-returned")

    async with page.expect_navigation():
        await page.get_by_role("link", name="Пункт прокату: засоби").click()
    assert await desk.heading() == "Пункт прокату: засоби"
    await desk.check("rental-inventory")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Пункт прокату: черга").click()
    assert await desk.heading() == "Пункт прокату: черга"
    await desk.check("rental-waiting")


async def test_admin_bills_last_month_again_and_opens_its_invoice(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.admin")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Пункт прокату", exact=True).click()
    async with page.expect_navigation():
        await page.get_by_role("link", name="Пункт прокату: рахунок за місяць").click()
    assert await desk.heading() == "Пункт прокату: рахунок за місяць"
    month = await page.locator("#month").input_value()
    main = await page.locator("main").inner_text()
    assert f"Що буде виставлено за {month}" in main, main
    assert "предмет-дні" in main
    assert "уже записано" in main  # the demo billed last month
    await desk.check("rental-billing")

    await page.get_by_role("button", name="Виставити за місяць").focus()
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    main = await page.locator("main").inner_text()
    assert f"Місяць {month} уже виставлено: нового не записано" in main, main
    assert "буде записано" not in main
    await desk.check("rental-billed-again")

    invoice = page.locator("#invoices-title + ul a").first
    assert await invoice.count() == 1, "the demo invoiced last month"
    async with page.expect_navigation():
        await invoice.click()
    assert "/desk/accounts/invoices" in page.url
    assert await page.locator(f"#{page.url.split('#')[1]}").count() == 1

    response = await desk.goto("/desk/ext/rental_aids/billing?month=2026-13")
    assert response.status == 400
    error = await page.locator("#month-error").inner_text()
    assert "Місяць: вкажіть рік і місяць у вигляді РРРР-ММ" in error
    assert await page.locator("#month").get_attribute("aria-invalid") == "true"
    await desk.check("rental-billing-bad-month")
