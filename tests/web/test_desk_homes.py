"""Each role's home: what it shows, read through the use cases, and the service filter
of the request counts (a full page, or for htmx only the counts)."""

from __future__ import annotations

import re

import httpx
import pytest

from core.web.menus import HOMES
from tests.web.conftest import sign_in
from tests.world import World


@pytest.mark.parametrize("role", sorted(HOMES))
async def test_desk_sends_each_role_to_its_home(
    world: World, visitor: httpx.AsyncClient, role: str
) -> None:
    await sign_in(visitor, f"{world.slug}.{role}")
    r = await visitor.get("/desk")
    assert r.headers["location"] == HOMES[role]
    home = await visitor.get(HOMES[role])
    assert home.status_code == 200, home.text
    assert 'aria-current="page"' in home.text
    others = [path for other, path in HOMES.items() if other != role]
    for path in others:
        assert f'href="{path}"' not in home.text  # the menu links only to its own pages
    assert (await visitor.get(others[0])).status_code == 403


def counts(html: str) -> dict[str, int]:
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>', html)
    return {label: int(n) for label, n in rows}


async def test_request_counts_by_status_and_service(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.intake")
    page = await visitor.get("/desk/front-office")
    before = counts(page.text)
    assert before["Подано, чекає рішення"] == 0
    assert before["Усього"] == 0
    # A request submitted through the API shows up in the counts.
    from tests.funeral import funeral_form

    r = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": world.citizen_id,
            "channel": "front_office",
            "office_id": world.office_id,
            "form": funeral_form(),
        },
    )
    assert r.status_code == 201, r.text
    after = counts((await visitor.get("/desk/front-office")).text)
    assert after["Подано, чекає рішення"] == 1
    assert after["Усього"] == 1
    filtered = await visitor.get("/desk/front-office?service=funeral_aid.lump_sum")
    assert "Звернення за статусом: Допомога на поховання" in filtered.text
    assert counts(filtered.text)["Усього"] == 1
    other = next(
        code
        for code in re.findall(r'<option value="([^"]+)"', filtered.text)
        if code != "funeral_aid.lump_sum"
    )
    assert counts((await visitor.get(f"/desk/front-office?service={other}")).text)["Усього"] == 0


async def test_htmx_gets_only_the_counts(world: World, visitor: httpx.AsyncClient) -> None:
    await sign_in(visitor, f"{world.slug}.caseworker")
    r = await visitor.get(
        "/desk/back-office?service=funeral_aid.lump_sum",
        headers={"HX-Request": "true", "HX-Target": "request-counts"},
    )
    assert r.status_code == 200
    assert r.text.lstrip().startswith('<div id="request-counts"')
    assert "<html" not in r.text
    assert "Допомога на поховання" in r.text
    assert "HX-Request" in r.headers["vary"]
    full = await visitor.get("/desk/back-office", headers={"HX-Request": "true"})
    assert "<html" in full.text  # another target (or a boosted link) gets the page


async def test_an_unknown_service_is_a_400_with_the_message_beside_the_field(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.auditor")
    r = await visitor.get("/desk/audit?service=no.such")
    assert r.status_code == 400
    assert 'aria-invalid="true" aria-describedby="service-error"' in r.text
    assert 'id="service-error"' in r.text
    assert "Такої послуги в громаді немає" in r.text


@pytest.mark.world_plugins("funeral_aid")
async def test_the_admin_sees_the_plugins_enabled_here(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.admin")
    r = await visitor.get("/desk/admin?lang=en")
    assert r.status_code == 200
    assert "The municipality&#39;s services (plugins)" in r.text
    cards = r.text.split("<li>")[1:]
    enabled = [c for c in cards if '<span class="on">Enabled</span>' in c]
    assert len(enabled) == 1
    assert "(funeral_aid " in enabled[0]
    assert "Funeral aid" in enabled[0]


async def test_the_citizen_sees_only_their_own_requests(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.citizen")
    r = await visitor.get("/desk/citizen")
    assert r.status_code == 200
    assert "Звернень ще немає." in r.text
