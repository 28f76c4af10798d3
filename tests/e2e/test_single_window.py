"""The single window in a real browser: from a person's card to a submitted funeral-aid
application, the verdict updating as the answers are given."""

from __future__ import annotations

import re
from io import BytesIO

from playwright.async_api import FilePayload
from pypdf import PdfReader

from tests.e2e.browser import Desk
from tests.e2e.steps import fill_funeral_aid

SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages)


async def test_apply_for_funeral_aid_from_the_persons_card(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.intake")
    await desk.goto("/desk/front-office/citizens?q=%D0%B0")  # everyone with an "а"
    async with page.expect_navigation():
        await page.locator("#citizen-results h3 a").first.click()
    person = await desk.heading()
    async with page.expect_navigation():
        await page.get_by_role("link", name="Нова заява (єдине вікно)").click()
    assert await desk.heading() == f"Заява: {person}"
    await desk.check("questionnaire")

    funeral = page.locator("details", has=page.get_by_text("Допомога на поховання", exact=True))
    await funeral.locator("summary").click()
    # A deceased person nobody else in the browser session applies for (one aid each).
    await fill_funeral_aid(page, last_name="Гнатюк", first_name="Остап", born="1947-08-19")

    verdict = page.locator("#screening li", has=page.get_by_text("Допомога на поховання"))
    await verdict.get_by_text("Відповідає умовам").wait_for()
    await verdict.get_by_role("checkbox", name="Допомога на поховання").check()
    # A second application the person insists on although not eligible: confirmed.
    other = page.locator("#screening li", has=page.get_by_text("Нічне перебування"))
    await other.get_by_text("Не відповідає умовам").wait_for()
    await other.get_by_role("checkbox", name="Нічне перебування").check()
    confirm = other.get_by_label("Особа наполягає на поданні", exact=False)
    await confirm.wait_for()
    await confirm.check()
    scan: FilePayload = {
        "name": "Свідоцтво про смерть.pdf",
        "mimeType": "application/pdf",
        "buffer": SCAN,
    }
    await page.locator("#documents").set_input_files([scan])
    await desk.check("questionnaire-filled")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Подати вибрані заяви").click()
    assert await desk.heading() == "Заяви прийнято"
    text = await page.locator("main").inner_text()
    assert len(re.findall(r"Номер \d{4}-\d{6}", text)) == 2, text
    assert "Допомога на поховання" in text
    assert "Нічне перебування" in text
    await desk.check("submitted")
    receipt = page.get_by_role("link", name="Друкувати розписку (PDF)").first
    pdf = await page.request.get(str(await receipt.get_attribute("href")))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Свідоцтво про смерть.pdf" in _pdf_text(await pdf.body())
