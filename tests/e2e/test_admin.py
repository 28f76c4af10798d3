"""The admin in a real browser: disable and re-enable a plugin, add a parameter value."""

from __future__ import annotations

from tests.e2e.browser import Desk


async def test_admin_switches_a_plugin_and_changes_a_parameter(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.admin")
    await desk.check("admin-home")
    box = page.locator("#plugin-rental_aids")
    assert await box.is_checked()
    await box.uncheck()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Зберегти вибір послуг").click()
    assert "Вибір послуг громади збережено." in await page.locator("main").inner_text()
    assert not await page.locator("#plugin-rental_aids").is_checked()
    await page.locator("#plugin-rental_aids").check()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Зберегти вибір послуг").click()
    assert await page.locator("#plugin-rental_aids").is_checked()

    async with page.expect_navigation():
        await page.get_by_role("link", name="Параметри").click()
    assert await desk.heading() == "Параметри"
    await desk.check("parameters")
    item = page.locator("#funeral_aid-amount")
    await item.locator("summary").click()
    await item.get_by_label("Діє з").fill("2027-01-01")
    await item.get_by_label("Нове значення").fill("сто")
    async with page.expect_navigation():
        await item.get_by_role("button", name="Додати значення").click()
    item = page.locator("#funeral_aid-amount")
    assert await item.locator("#funeral_aid-amount-value-error").is_visible()
    await desk.check("parameters-error")
    await item.get_by_label("Нове значення").fill("3600.00")
    await item.get_by_label("Підстава (рішення, наказ)").fill("Рішення виконкому № 15")
    async with page.expect_navigation():
        await item.get_by_role("button", name="Додати значення").click()
    assert "Значення збережено." in await page.locator("main").inner_text()
    history = await page.locator("#funeral_aid-amount").inner_text()
    assert "3600" in history


async def test_admin_previews_a_message_wording(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.admin")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Тексти повідомлень").click()
    await desk.check("messages")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Рішення: відмовити").click()
    await page.locator("#sms_uk").fill("Звернення {{ number }}: відмова. {{ link }}")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Переглянути").click()
    preview = await page.locator("#preview-title").locator("..").inner_text()
    assert "Звернення 2026-000123: відмова." in preview
    await desk.check("message-preview")
