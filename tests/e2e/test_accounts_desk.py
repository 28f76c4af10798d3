"""The accountant in a real browser: approve a submitted invoice, pay it, and see the
budget lines and the registers."""

from __future__ import annotations

from tests.e2e.browser import Desk


async def test_accountant_approves_and_pays_an_invoice(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.accountant")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Опрацювання рахунків").click()
    assert await desk.heading() == "Опрацювання рахунків"
    await desk.check("invoices")
    form = page.locator("main form[action$='/approve']:has(button:not([disabled]))").first
    approve = form.get_by_role("button", name="Затвердити")
    action = str(await form.get_attribute("action"))
    invoice_id = action.split("/")[-2]
    async with page.expect_navigation():
        await approve.click()
    assert "Рахунок опрацьовано." in await page.locator("main").inner_text()

    await desk.goto("/desk/accounts/invoices?status=approved")
    item = page.locator(f"#invoice-{invoice_id}")
    await item.get_by_label("Номер платіжного доручення").fill("ПД-2001")
    async with page.expect_navigation():
        await item.get_by_role("button", name="Позначити оплаченим").click()
    await desk.goto("/desk/accounts/invoices?status=paid")
    assert "ПД-2001" in await page.locator(f"#invoice-{invoice_id}").inner_text()
    await desk.check("paid")

    async with page.expect_navigation():
        await page.get_by_role("link", name="Бюджетні програми").click()
    await desk.check("budget")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Звіти й реєстри").click()
    await desk.check("reports")
