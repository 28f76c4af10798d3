"""The social taxi's dispatch in a real browser: the caseworker opens it from the menu,
picks the day of the demo's planned trips with the date picker and assigns a vehicle by
keyboard."""

from __future__ import annotations

from tests.e2e.browser import Desk


async def test_caseworker_assigns_a_vehicle_to_a_planned_trip(desk: Desk) -> None:
    page = desk.page
    await desk.sign_in("lutsk.caseworker")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Соціальне таксі: диспетчерська").click()
    assert await desk.heading() == "Диспетчерська соціального таксі"
    await desk.check("transport-dispatch-today")

    found = await page.request.get("/api/ext/disability_transport/bookings?status=planned")
    assert found.status == 200, await found.text()
    items = (await found.json())["items"]
    assert items, "the demo has a planned trip"
    trip = items[0]
    await page.locator("#day").fill(trip["trip_date"])
    async with page.expect_navigation():
        await page.get_by_role("button", name="Показати").click()
    assert f"Поїздка № {trip['id']}" in await page.locator("main").inner_text()

    choice = page.locator(f"#vehicle_id-{trip['id']}")
    await choice.focus()
    await page.keyboard.press("Tab")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    main = await page.locator("main").inner_text()
    assert "Автомобіль призначено." in main
    assert "Розклад автомобіля" in main
    await desk.check("transport-dispatch-assigned")

    async with page.expect_navigation():
        await page.get_by_role("link", name="Автомобілі").click()
    assert await desk.heading() == "Автомобілі"
    await desk.check("transport-vehicles")
