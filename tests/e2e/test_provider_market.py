"""The provider in a real browser: corrects its organisation's profile (a wrong IBAN said
beside the field first), adds an offer for a service it has none for, and bids on the
demo's open call, withdrawing the bid in place (htmx) and bidding again. No other browser
test touches the profile's contacts, offers or the open call."""

from __future__ import annotations

from tests.e2e.browser import Desk


async def test_provider_edits_profile_offers_and_bids(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.provider")

    async with page.expect_navigation():
        await page.get_by_role("link", name="Профіль організації").click()
    assert await desk.heading() == "Профіль організації"
    iban = page.locator("#profile-iban")
    original = await iban.input_value()
    await desk.check("profile")
    await iban.fill("UA00 0000")
    await page.locator("#profile-phone").fill("+380 33 270 11 22")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Зберегти зміни").click()
    assert "недійсний" in await page.locator("#profile-iban-error").inner_text()
    assert await page.locator("#profile-phone").input_value() == "+380 33 270 11 22"
    await desk.check("profile-error")
    await page.locator("#profile-iban").fill(original)  # the verified IBAN stays
    await page.locator("#profile-email").fill("office@nadiya.example.org")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Зберегти зміни").click()
    assert "Зміни збережено." in await page.locator("main").inner_text()
    assert await page.locator("#profile-phone").input_value() == "+380 33 270 11 22"
    assert "перевірено адміністратором" in await page.locator("main").inner_text()

    async with page.expect_navigation():
        await page.get_by_role("link", name="Пропозиції").click()
    before = await page.locator("main .records > li").count()
    await desk.check("offers")
    options = page.locator("#offer-service_code option:not([value=''])")
    assert await options.count(), "the demo provider has a service left to offer"
    await page.locator("#offer-service_code").select_option(
        str(await options.first.get_attribute("value"))
    )
    await page.locator("#offer-unit_price").fill("123,45")
    await page.locator("#offer-capacity").fill("5")
    await page.locator("#offer-area-1").check()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Додати пропозицію").click()
    assert "Пропозицію додано." in await page.locator("main").inner_text()
    assert await page.locator("main .records > li").count() == before + 1
    assert "123,45" in (await page.locator("main").inner_text()).replace("\u00a0", " ")
    await desk.check("offer-added")

    async with page.expect_navigation():
        await page.get_by_role("link", name="Оголошення і заявки").click()
    call = page.locator("main .calls > li", has=page.locator("form[action$='/bid']")).first
    assert await call.count(), "the demo has an open call"
    key = await call.get_attribute("id")
    call = page.locator(f"main .calls > li[id='{key}']")
    await desk.check("calls")
    # A one-price service asks a unit price and a volume; a multi-part one (the social
    # taxi) a price and an expected quantity of each part.
    one_price = await call.locator("input[name=unit_price]").count() > 0

    async def price(value: str) -> None:
        if one_price:
            await call.locator("input[name=unit_price]").fill(value)
        else:
            prices = call.locator("input[name^='prices.']")
            for i in range(await prices.count()):
                await prices.nth(i).fill(value)

    await price("1,00")
    if one_price:
        await call.locator("input[name=volume]").fill("100")
    else:
        volumes = call.locator("input[name^='volumes.']")
        for i in range(await volumes.count()):
            await volumes.nth(i).fill("100")
    await call.locator("textarea[name='answers.quality']").fill("Досвід 4 роки, 12 фахівців")
    async with page.expect_navigation():
        await call.get_by_role("button", name="Подати пропозицію").click()
    assert "Пропозицію подано." in await call.inner_text()
    await desk.check("bid")

    # Withdrawing swaps only the call's card (htmx); then the provider bids again.
    await call.get_by_role("button", name="Відкликати пропозицію").click()
    await call.get_by_text("Пропозицію відкликано.").wait_for()
    assert "Відкликано" in await call.inner_text()
    await price("1,50")
    async with page.expect_navigation():
        await call.get_by_role("button", name="Подати пропозицію").click()
    text = (await call.inner_text()).replace("\u00a0", " ")
    assert "Пропозицію подано." in text
    assert "1,50 грн" in text
    await desk.check("bid-again")
