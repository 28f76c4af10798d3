"""Steps several browser tests take the same way."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import Page

from core import clock
from tests.world import IBAN


async def fill_funeral_aid(
    page: Page,
    *,
    last_name: str,
    first_name: str,
    born: str,
    relation: str = "child",
    record: str = "1234",
    days_ago: int = 20,
) -> None:
    """Fill in funeral aid's questions for a deceased person (one aid per person: each
    test names one no other test in the session applies for), eligible on today."""
    death = clock.today() - timedelta(days=days_ago)
    await page.get_by_label("Прізвище померлої особи").fill(last_name)
    await page.get_by_label("Ім'я померлої особи").fill(first_name)
    await page.get_by_label("Дата народження померлої особи").fill(born)
    await page.get_by_label("Дата смерті").fill(death.isoformat())
    await page.get_by_label("Номер актового запису про смерть").fill(record)
    await page.get_by_label("Дата актового запису про смерть").fill(
        (death + timedelta(days=1)).isoformat()
    )
    await page.get_by_label("Населений пункт", exact=False).first.fill("Луцьк")
    await page.locator("#relation").select_option(relation)
    await page.get_by_label("Поховання здійснив заявник за власний рахунок").check()
    await page.get_by_label("Рахунок IBAN заявника").fill(IBAN)
    await page.get_by_label("Іншої допомоги на поховання не отримано").check()
    await page.get_by_label("Заявник підтверджує достовірність даних").check()
