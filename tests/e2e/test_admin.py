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


async def test_admin_completes_a_service_card(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.admin")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Картки послуг").click()
    await desk.check("local-cards")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Допомога на поховання").click()
    await page.get_by_label("Хто надає послугу (українською)").fill("Відділ соцзахисту, каб. 5")
    await page.get_by_label("Хто надає послугу (англійською)").fill("Social department, room 5")
    await page.get_by_label("Телефон").fill("0332 72 00 05")
    await page.get_by_label("Строк розгляду в громаді, днів").fill("12")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Зберегти").click()
    assert await page.locator("#term_days-error").is_visible()
    assert "не більше 10 дн." in await page.locator("#term_days-error").inner_text()
    await desk.check("local-card-error")
    await page.get_by_label("Строк розгляду в громаді, днів").fill("7")
    group = page.get_by_role("group", name="Документ 1")
    await group.get_by_label("Назва (українською)").fill("Довідка старости")
    await group.get_by_label("Назва (англійською)").fill("Certificate of the starosta")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Зберегти").click()
    assert "Збережено." in await page.locator("main").inner_text()
    assert await page.locator("#history-title ~ ol details").count() == 1
    await desk.check("local-card")
    await desk.goto(page.url.split("?")[0] + "?lang=en")
    assert await desk.heading() == "Service cards: Funeral aid"
    await desk.check("local-card-en")

    await desk.goto("/services/funeral_aid.lump_sum?municipality=lutsk&lang=uk")
    card = await page.locator("main").inner_text()
    assert "Довідка старости" in card
    assert "7 робочих днів" in card
    assert "0332 72 00 05" in card
    await desk.check("service-local-card")
