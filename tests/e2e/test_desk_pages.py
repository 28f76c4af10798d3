"""The desk in a real browser: language, error pages, an expired session, form tokens,
and the counts filtered in place by htmx."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.e2e.browser import Desk


async def test_language_switch_to_english_and_back(desk: Desk) -> None:
    page = desk.page
    await desk.goto("/sign-in")
    await desk.sign_in("lutsk.caseworker")
    assert await page.get_attribute("html", "lang") == "uk"
    async with page.expect_navigation():
        await page.get_by_role("link", name="English").click()
    assert await page.get_attribute("html", "lang") == "en"
    assert await desk.heading() == "Back office"
    assert "Overdue requests" in await page.locator("main").inner_text()
    assert "· back office" in await page.locator("header").inner_text()
    await desk.check("home-en")
    await desk.goto("/desk")  # the choice is remembered without ?lang=
    assert await desk.heading() == "Back office"
    async with page.expect_navigation():
        await page.get_by_role("link", name="Українською").click()
    assert await page.get_attribute("html", "lang") == "uk"
    assert await desk.heading() == "Розгляд звернень"
    await desk.goto("/desk")
    assert await desk.heading() == "Розгляд звернень"


async def test_unknown_page_and_card_are_404_pages_in_the_users_language(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.intake")
    response = await desk.goto("/desk/no-such-page")
    assert response.status == 404
    assert await desk.heading() == "Сторінку не знайдено"
    await desk.check("404")
    response = await desk.goto("/services/no.such.card")
    assert response.status == 404
    assert await desk.heading() == "Сторінку не знайдено"
    assert "послугу «no.such.card» не знайдено" in await page.locator("main").inner_text()
    response = await desk.goto("/desk/no-such-page?lang=en")
    assert response.status == 404
    assert await page.get_attribute("html", "lang") == "en"
    assert await desk.heading() == "Page not found"
    await desk.check("404-en")
    response = await desk.goto("/services/no.such.card")
    assert await desk.heading() == "Page not found"
    assert "service not found" in await page.locator("main").inner_text()


async def test_another_roles_page_is_a_403_page_in_the_users_language(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.intake")
    response = await desk.goto("/desk/admin")
    assert response.status == 403
    assert await desk.heading() == "Немає доступу"
    assert "· фронт-офіс (ЦНАП)" in await page.locator("header").inner_text()
    await desk.check("403")
    async with page.expect_navigation():
        await page.get_by_role("link", name="На головну").click()
    assert page.url.endswith("/desk/front-office")
    response = await desk.goto("/desk/admin?lang=en")
    assert response.status == 403
    assert await desk.heading() == "Access denied"
    await desk.check("403-en")


async def test_an_expired_session_leads_to_sign_in_and_back_to_the_page(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.caseworker")
    await desk.goto("/desk/back-office?service=funeral_aid.lump_sum")
    await desk.server.expire_sessions("lutsk.caseworker")
    await desk.goto("/desk/back-office?service=funeral_aid.lump_sum")
    url = urlsplit(page.url)
    assert url.path == "/sign-in"
    query = parse_qs(url.query)
    assert query["reason"] == ["expired"]
    assert query["next"] == ["/desk/back-office?service=funeral_aid.lump_sum"]
    notice = await page.locator(".notice").inner_text()
    assert notice == "Ваш сеанс завершився. Увійдіть знову, щоб продовжити."
    await desk.check("sign-in-expired")
    await desk.sign_in("lutsk.caseworker")
    assert page.url.endswith("/desk/back-office?service=funeral_aid.lump_sum")
    assert await page.locator("#service").input_value() == "funeral_aid.lump_sum"


async def test_a_form_post_without_its_token_is_refused_with_a_page(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.admin")
    html = await page.content()
    assert 'name="_csrf"' in html
    await page.locator("form.sign-out input[name=_csrf]").evaluate("(e) => e.remove()")
    async with page.expect_navigation() as navigation:
        await page.get_by_role("button", name="Вийти").click()
    response = await navigation.value
    assert response is not None
    assert response.status == 403
    assert await desk.heading() == "Форму не прийнято"
    await desk.check("403-csrf")
    # Refused, so still signed in.
    await desk.goto("/desk")
    assert page.url.endswith("/desk/admin")
    # A post made elsewhere carries the cookies but not the token: refused as a page.
    forged = await page.request.post("/sign-out", form={"anything": "1"})
    assert forged.status == 403
    assert forged.headers["content-type"].startswith("text/html")
    assert "Форму не прийнято" in await forged.text()


async def test_the_service_filter_updates_the_counts_in_place(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.intake")
    caption = page.locator("#request-counts caption")
    assert await caption.inner_text() == "Звернення за статусом: Усі послуги"
    total_all = int(await page.locator("#request-counts tfoot td").inner_text())
    await page.evaluate("() => { window.notReloaded = true; }")
    await page.locator("#service").focus()
    async with page.expect_response(lambda r: "service=funeral_aid.lump_sum" in r.url) as answer:
        await page.locator("#service").select_option("funeral_aid.lump_sum")
    response = await answer.value
    assert response.request.headers.get("hx-request") == "true"
    await page.wait_for_function(
        "() => document.querySelector('#request-counts caption')"
        ".textContent.includes('Допомога на поховання')"
    )
    assert await page.evaluate("() => window.notReloaded === true"), "the page was reloaded"
    assert "service=funeral_aid.lump_sum" in page.url
    total_one = int(await page.locator("#request-counts tfoot td").inner_text())
    assert 0 < total_one <= total_all
    assert await page.evaluate("() => document.activeElement.id") == "service"
    await desk.check("home-intake-filtered")
