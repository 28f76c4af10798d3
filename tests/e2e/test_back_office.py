"""The back office in a real browser: the queue, refusing one request with a ground from
the card, approving an eligible one, and the decision letter."""

from __future__ import annotations

from tests.e2e.browser import Desk


async def test_caseworker_refuses_one_and_approves_one(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.caseworker")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Черга звернень").click()
    assert await desk.heading() == "Черга звернень"
    await desk.check("queue")
    links = page.locator("main .records h3 a")
    hrefs = [await links.nth(i).get_attribute("href") for i in range(await links.count())]
    assert len(hrefs) >= 2, "the demo has submitted requests"

    # Refuse the first, citing a ground from the card.
    await desk.goto(str(hrefs[0]))
    await desk.check("request")
    await page.get_by_label("Відмовити").check()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Записати рішення").click()
    assert await page.locator("#refusal_ground-error").is_visible()  # a ground is needed
    await page.locator("#refusal_ground").select_option(index=1)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Записати рішення").click()
    assert "Рішення записано." in await page.locator("main").inner_text()
    letter = await page.request.get(f"{hrefs[0]}/decision.pdf")
    assert letter.status == 200
    assert letter.headers["content-type"] == "application/pdf"
    await desk.check("refused")

    # Approve the first eligible one among the rest.
    for href in hrefs[1:]:
        await desk.goto(str(href))
        if "Відповідає умовам" in await page.locator("main").inner_text():
            break
    else:
        raise AssertionError("no eligible request in the demo queue")
    await page.get_by_label("Задовольнити (призначити)").check()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Записати рішення").click()
    assert "Рішення записано." in await page.locator("main").inner_text()
    letter = await page.request.get(str(href) + "/decision.pdf")
    assert letter.status == 200
