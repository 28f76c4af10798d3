"""The department head (the admin) in a real browser: the reports' index with this
month's figures, each report at a phone's width and a desktop's (axe, no overflow), and
an XLSX prepared by an export job and downloaded that opens."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from tests.e2e.browser import Desk


async def test_admin_reads_the_reports(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.admin")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Звіти", exact=True).click()
    assert await desk.heading() == "Звіти"
    assert "Вирішено вчасно" in await page.locator("main").inner_text()
    await desk.check("reports-index")
    for name, heading in (
        ("applications", "Звернення"),
        ("terms", "Дотримання строків"),
        ("coverage", "Охоплення"),
        ("money", "Кошти"),
    ):
        await desk.goto(f"/desk/reports/{name}")
        assert await desk.heading() == heading
        await desk.check(f"report-{name}")
    # The button starts an export job; its page shows the link once the file is made.
    async with page.expect_navigation():
        await page.get_by_role("button", name="XLSX").click()
    assert await desk.heading() == "Підготовка файлу"
    link = page.get_by_role("link", name=re.compile("^Завантажити: money-"))
    await link.wait_for(timeout=30_000)
    async with page.expect_download() as info:
        await link.click()
    download = await info.value
    path = await download.path()
    book = load_workbook(io.BytesIO(path.read_bytes()))
    assert book.worksheets[0].cell(row=1, column=2).value == "Затверджено, до оплати"
