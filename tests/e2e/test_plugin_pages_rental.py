"""The rental point in a real browser: the caseworker opens it from the menu, opens an
active loan from the list and takes the item back by keyboard; the inventory and the
waiting list."""

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
