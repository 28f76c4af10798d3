"""The satisfaction loop in a real browser: a caseworker decides a request of a demo
citizen, the citizen finds the invitation in the cabinet and rates it, and the admin sees
the rating in the quality report. Only Prylisne's citizen and requests are used here (no
other browser test touches them)."""

from __future__ import annotations

from typing import Any

from tests.e2e.browser import Desk
from tests.funeral import funeral_form

COMMENT = "Усе пояснили чітко, дякую працівникам Прилісного"


async def _sign_out(desk: Desk) -> None:
    async with desk.page.expect_navigation():
        await desk.page.get_by_role("button", name="Вийти").click()


async def test_decision_invitation_rating_report(desk: Desk) -> None:
    page = desk.page
    origin = {"Origin": desk.server.url}
    await desk.sign_in("prylisne.citizen")
    me: dict[str, Any] = await (await page.request.get("/api/auth/me")).json()
    made = await page.request.post(
        "/api/requests",
        headers=origin,
        data={
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": me["citizen_id"],
            "form": funeral_form(
                None, deceased_last_name="Опитуваний", deceased_settlement="Прилісне"
            ),
            "channel": "online",
        },
    )
    assert made.status == 201, await made.text()
    req: dict[str, Any] = await made.json()
    await _sign_out(desk)

    await desk.sign_in("prylisne.caseworker")
    await desk.goto(f"/desk/requests/{req['id']}")
    await page.get_by_label("Задовольнити (призначити)").check()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Записати рішення").click()
    assert "Рішення записано." in await page.locator("main").inner_text()
    await _sign_out(desk)

    await desk.sign_in("prylisne.citizen")
    assert page.url.endswith("/desk/citizen")
    invited = page.locator("#surveys-title")
    assert await invited.inner_text() == "Оцініть послугу"
    await desk.check("survey-invitation")
    link = page.get_by_role(
        "link", name=f"Оцінити: Рішення за зверненням № {req['journal_number']}"
    )
    async with page.expect_navigation():
        await link.click()
    assert await desk.heading() == "Оцініть послугу"
    await desk.check("survey-form")
    groups = page.locator("fieldset.rating")
    assert await groups.count() == 3
    for i, words in enumerate(("5 — дуже добре", "4 — добре", "5 — дуже добре")):
        await groups.nth(i).get_by_label(words).check()
    await page.get_by_label("Коментар").fill(COMMENT)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Надіслати оцінку").click()
    assert await desk.heading() == "Дякуємо за оцінку"
    await desk.check("survey-thanks")
    await desk.goto("/desk/citizen")
    # This request's invitation is gone (the demo may have invited the citizen to rate
    # an earlier decision of theirs, still open on some dates).
    assert await link.count() == 0
    await _sign_out(desk)

    await desk.sign_in("prylisne.admin")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Якість і задоволеність").click()
    assert await desk.heading() == "Якість і задоволеність"
    by_service = await page.locator("#satisfaction-service").inner_text()
    assert "4.67" in by_service
    assert COMMENT in await page.locator("main").inner_text()
    await desk.check("quality-report")
