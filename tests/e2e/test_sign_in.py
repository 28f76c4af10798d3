"""Signing in and out in a real browser, each role landing on its own home."""

from __future__ import annotations

import pytest

from core.web.menus import HOMES
from tests.e2e.browser import Desk

#: The heading each role's home opens with, and how the header names the role.
HOME_HEADINGS = {
    "admin": ("Адміністрування громади", "адміністратор громади"),
    "intake": ("Прийом звернень", "фронт-офіс (ЦНАП)"),
    "caseworker": ("Розгляд звернень", "бек-офіс"),
    "accountant": ("Рахунки надавачів", "бухгалтер"),
    "auditor": ("Нагляд", "аудитор"),
    "provider": ("Кабінет надавача", "надавач послуг"),
    "citizen": ("Мої звернення", "заявник"),
}
#: Something real each home shows from the demo data.
HOME_CONTENT = {
    "admin": "Допомога на поховання",
    "intake": "Подано, чекає рішення",
    "caseworker": "Прострочені звернення",
    "accountant": "Оплачено",
    "auditor": "Подано, чекає рішення",
    "provider": "Договори",
    "citizen": "Отримано",
}


async def test_wrong_password_shows_the_error_in_ukrainian_beside_the_form(desk: Desk) -> None:
    await desk.goto("/sign-in")
    assert await desk.heading() == "Вхід для працівників і надавачів"
    await desk.check("sign-in")
    await desk.sign_in("lutsk.intake", "not the password")
    page = desk.page
    assert "/sign-in" in page.url
    alert = page.locator("form.stacked [role=alert]")
    assert "Невірне ім'я користувача або пароль" in await alert.inner_text()
    username = page.locator("#username")
    assert await username.input_value() == "lutsk.intake"  # nothing typed is lost
    assert await username.get_attribute("aria-invalid") == "true"
    assert await username.get_attribute("aria-describedby") == "sign-in-error"
    assert await page.locator("#password").input_value() == ""
    assert await page.evaluate("() => document.activeElement.id") == "username"
    await desk.check("sign-in-wrong-password")
    await page.locator("#username").fill("")
    async with page.expect_navigation():
        await page.locator("form.stacked button[type=submit]").click()
    assert "Вкажіть ім'я користувача." in await page.locator("#username-error").inner_text()
    assert "Вкажіть пароль." in await page.locator("#password-error").inner_text()
    await desk.check("sign-in-empty")


@pytest.mark.parametrize("role", sorted(HOMES))
async def test_each_role_signs_in_to_its_own_home(desk: Desk, role: str) -> None:
    response = await desk.goto("/desk")
    page = desk.page
    assert "/sign-in?" in page.url
    assert "next=%2Fdesk" in page.url
    assert "Щоб відкрити цю сторінку, увійдіть." in await page.locator(".notice").inner_text()
    await desk.sign_in(f"lutsk.{role}")
    assert page.url.endswith(HOMES[role]), page.url
    heading, role_label = HOME_HEADINGS[role]
    assert await desk.heading() == heading
    header = await page.locator("header").inner_text()
    assert f"· {role_label}" in header
    assert "Луцька міська територіальна громада" in header
    current = page.locator("nav.menu a[aria-current=page]")
    assert await current.inner_text() == heading
    assert HOME_CONTENT[role] in await page.locator("main").inner_text()
    await desk.check(f"home-{role}")
    session = next(c for c in await page.context.cookies() if c["name"] == "hromada_session")
    assert session["httpOnly"]
    assert session["sameSite"] == "Strict"

    async with page.expect_navigation():
        await page.get_by_role("button", name="Вийти").click()
    assert "Ви вийшли з системи." in await page.locator(".notice").inner_text()
    response = await desk.goto(HOMES[role])
    assert "/sign-in?" in page.url, "the session must be closed after signing out"
    assert response.ok


async def test_keyboard_alone_signs_in_and_reaches_the_menu(desk: Desk) -> None:
    page = desk.page
    await desk.goto("/sign-in")
    await page.keyboard.press("Tab")
    assert await page.evaluate("() => document.activeElement.className") == "skip-link"
    assert await page.evaluate("() => document.activeElement.textContent") == "Перейти до змісту"
    await page.keyboard.press("Enter")
    assert await page.evaluate("() => document.activeElement.id") == "main"
    await page.keyboard.press("Tab")
    assert await page.evaluate("() => document.activeElement.id") == "username"
    await page.keyboard.type("lutsk.caseworker")
    await page.keyboard.press("Tab")
    await page.keyboard.type("hromada-demo")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert page.url.endswith("/desk/back-office")
    focused: list[str] = []
    for _ in range(5):
        await page.keyboard.press("Tab")
        focused.append(await page.evaluate("() => document.activeElement.textContent.trim()"))
        style = await page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return s.outlineStyle + ' ' + s.outlineWidth; }"
        )
        assert not style.startswith("none"), (focused[-1], style)
    assert focused[:5] == [
        "Перейти до змісту",
        "English",
        "Вийти",
        "Розгляд звернень",
        "Пошук особи",
    ]
