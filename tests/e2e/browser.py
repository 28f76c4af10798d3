"""What every browser test does with a page: sign in, and check each page it visits.

:meth:`Desk.check` looks at the page at a phone's width (390 px) and a desktop's:
axe-core (served from the ``axe-playwright-python`` package, never a CDN) must find no
critical or serious violation, nothing may stick out sideways, and neither the session
token nor the CSRF cookie may appear in the HTML. A screenshot of each width goes to
``test-artifacts/e2e/<test>/`` (git-ignored), named in any failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from axe_playwright_python.base import AXE_FILE_PATH
from playwright.async_api import Page, Response

from tests.e2e.server import ROOT, Server

ARTIFACTS = ROOT / "test-artifacts" / "e2e"
AXE_SCRIPT = AXE_FILE_PATH.read_text(encoding="utf-8")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEMO_PASSWORD = "hromada-demo"
#: Cookies whose values must never be readable in a page.
SECRET_COOKIES = ("hromada_session", "hromada_csrf")


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    if not await page.evaluate("() => typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE_SCRIPT)
    result: dict[str, Any] = await page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


@dataclass
class Desk:
    page: Page
    server: Server
    folder: Path

    async def goto(self, path: str) -> Response:
        response = await self.page.goto(path)
        assert response is not None, path
        return response

    async def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        """Fill in and send the sign-in form (opening it first unless it is open)."""
        if "/sign-in" not in self.page.url:
            await self.goto("/sign-in")
        await self.page.locator("#username").fill(username)
        await self.page.locator("#password").fill(password)
        async with self.page.expect_navigation():
            await self.page.locator("form.stacked button[type=submit]").click()

    async def heading(self) -> str:
        return (await self.page.locator("h1").inner_text()).strip()

    async def check(self, name: str) -> None:
        """Axe, overflow and secrets at a phone's and a desktop's width, with screenshots."""
        problems: list[str] = []
        html = await self.page.content()
        for cookie in await self.page.context.cookies():
            if cookie["name"] in SECRET_COOKIES and cookie["value"] in html:
                problems.append(f"{name}: the value of the {cookie['name']} cookie is in the page")
        self.folder.mkdir(parents=True, exist_ok=True)
        for size in (PHONE, DESKTOP):
            width = size["width"]
            await self.page.set_viewport_size(size)  # type: ignore[arg-type]
            shot = self.folder / f"{name}-{width}.png"
            await self.page.screenshot(path=str(shot), full_page=True)
            wide = await self.page.evaluate("() => document.documentElement.scrollWidth")
            if wide > width:
                problems.append(f"{name} at {width} px: the page is {wide} px wide ({shot})")
            for v in await axe_violations(self.page):
                if v.get("impact") in ("critical", "serious"):
                    targets = [n.get("target") for n in v.get("nodes", [])][:5]
                    problems.append(
                        f"{name} at {width} px: axe {v['impact']} {v['id']} ({v['help']}) "
                        f"on {targets}; screenshot {shot}"
                    )
        await self.page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
        assert not problems, "\n".join(problems)
