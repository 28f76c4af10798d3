"""The front office's citizen pages: find, register (errors beside fields, nothing lost),
the live tax-number check, and the citizen's card."""

from __future__ import annotations

import re

import httpx

from core.db.tables import AuditLog
from tests.web.conftest import form_token, sign_in
from tests.world import World

BASE = "/desk/front-office/citizens"
VALID_TAX = "3012345675"  # check digit correct (see core.validators.tax_number)


def _valid_tax_number(seed: int) -> str:
    from stdnum.ua import rntrc

    body = f"{seed:09d}"[-9:]
    for last in "0123456789":
        if rntrc.is_valid(body + last):
            return body + last
    raise AssertionError(body)


async def test_register_a_person_then_find_them(world: World, visitor: httpx.AsyncClient) -> None:
    await sign_in(visitor, f"{world.slug}.intake")
    form = await visitor.get(f"{BASE}/new")
    assert form.status_code == 200
    assert 'type="date"' in form.text  # the birth date is a date picker
    assert "Особа з інвалідністю" in form.text  # categories in words, not codes
    tax = _valid_tax_number(world.municipality_id * 1000 + 17)
    data = {
        "_csrf": form_token(form.text),
        "last_name": "Ковальчук",
        "first_name": "Оксана",
        "patronymic": "Петрівна",
        "birth_date": "1961-03-04",
        "tax_number": tax,
        "gender": "f",
        "settlement": "Луцьк",
        "address": "вул. Лесі Українки, 10, кв. 3",
        "phone": "+380671234567",
        "categories": ["pensioner", "disability"],
        "categories.present": "1",
        "disability_group": "2",
    }
    r = await visitor.post(f"{BASE}/new", data=data)
    assert r.status_code == 303, r.text
    card = await visitor.get(r.headers["location"])
    assert card.status_code == 200
    assert "Ковальчук Оксана Петрівна" in card.text
    assert "Особу зареєстровано." in card.text
    assert "Пенсіонер" in card.text
    assert "Особа з інвалідністю" in card.text
    assert "04.03.1961" in card.text
    listed = await AuditLog.count().where(
        (AuditLog.action == "request.list") & (AuditLog.municipality == world.municipality_id)
    )
    assert listed == 1  # the card's list of requests is an audited read

    found = await visitor.get(BASE, params={"q": "оксана ковальч"})
    assert found.status_code == 200
    assert "Ковальчук Оксана Петрівна" in found.text
    by_tax = await visitor.get(
        BASE,
        params={"tax_number": tax},
        headers={"HX-Request": "true", "HX-Target": "citizen-results"},
    )
    assert by_tax.status_code == 200
    assert by_tax.text.lstrip().startswith('<section id="citizen-results"')  # a fragment
    assert "Ковальчук" in by_tax.text
    nobody = await visitor.get(BASE, params={"q": "Неіснуючаособа"})
    assert "Нікого не знайдено" in nobody.text

    # The live check knows the number is taken and links to the card.
    check = await visitor.get(f"{BASE}/check-tax-number", params={"tax_number": tax})
    assert "уже зареєстрована" in check.text
    assert re.search(rf'href="{BASE}/\d+"', check.text)


async def test_errors_stay_beside_their_fields_and_nothing_is_lost(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.intake")
    form = await visitor.get(f"{BASE}/new")
    data = {
        "_csrf": form_token(form.text),
        "last_name": "",
        "first_name": "Іван",
        "birth_date": "1990-02-31",
        "address": "вул. Шевченка, 1",
    }
    r = await visitor.post(f"{BASE}/new", data=data)
    assert r.status_code == 400
    assert 'id="last_name-error"' in r.text
    assert "Заповніть це поле." in r.text
    assert 'value="Іван"' in r.text
    assert 'value="вул. Шевченка, 1"' in r.text

    data = {
        **data,
        "_csrf": form_token(r.text),
        "last_name": "Петренко",
        "birth_date": "1990-02-28",
        "tax_number": "1234567890",
    }
    r = await visitor.post(f"{BASE}/new", data=data)
    assert r.status_code == 400
    assert 'id="tax_number-error"' in r.text
    assert 'value="Петренко"' in r.text

    en = await visitor.post(f"{BASE}/new?lang=en", data={**data, "_csrf": form_token(r.text)})
    assert en.status_code == 400
    assert "tax number" in en.text.lower()
    assert "РНОКПП «" not in en.text  # the message is in the page's language only


async def test_tax_number_check_as_you_type(world: World, visitor: httpx.AsyncClient) -> None:
    await sign_in(visitor, f"{world.slug}.intake")
    bad = await visitor.get(f"{BASE}/check-tax-number", params={"tax_number": "1234567890"})
    assert "недійсний" in bad.text
    short = await visitor.get(f"{BASE}/check-tax-number", params={"tax_number": "12345"})
    assert "недійсний" not in short.text  # still typing
    good = _valid_tax_number(987654321)
    ok = await visitor.get(f"{BASE}/check-tax-number", params={"tax_number": good})
    assert "РНОКПП правильний." in ok.text


async def test_citizen_pages_are_staff_only_and_bad_input_is_a_page(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.citizen")
    assert (await visitor.get(BASE)).status_code == 403
    await visitor.post(
        "/sign-out", data={"_csrf": form_token((await visitor.get("/desk/citizen")).text)}
    )
    await sign_in(visitor, f"{world.slug}.intake")
    r = await visitor.get(BASE, params={"birth_date": "31.02.1990"})
    assert r.status_code == 400
    assert 'id="birth_date-error"' in r.text
    missing = await visitor.get(f"{BASE}/2147483646")
    assert missing.status_code == 404
    assert "<html" in missing.text


async def test_search_tolerates_typos(world: World, visitor: httpx.AsyncClient) -> None:
    r = await world.post(
        "intake",
        "/api/citizens",
        {"last_name": "Ковальчишин", "first_name": "Ігор", "patronymic": "Юрійович"},
    )
    assert r.status_code == 201, r.text
    await sign_in(visitor, f"{world.slug}.intake")
    for typed in ("Ковальчішин", "Ковальчишн ігр", "ковальчишинн", "Ковальчишин Игор"):
        found = await visitor.get(BASE, params={"q": typed})
        assert "Ковальчишин Ігор Юрійович" in found.text, typed
    nobody = await visitor.get(BASE, params={"q": "Петренко"})
    assert "Ковальчишин" not in nobody.text
    # The API's search stays exact.
    exact = await world.get("intake", "/api/citizens", params={"q": "Ковальчішин"})
    assert exact.json()["total"] == 0


async def test_household_recorded_from_the_card(world: World, visitor: httpx.AsyncClient) -> None:
    people = []
    for i, first in enumerate(("Олена", "Тарас")):
        tax = _valid_tax_number(world.municipality_id * 1000 + 500 + i)
        r = await world.post(
            "intake",
            "/api/citizens",
            {"last_name": "Бондар", "first_name": first, "tax_number": tax},
        )
        assert r.status_code == 201, r.text
        people.append((r.json()["id"], tax))
    (olena, _), (taras, taras_tax) = people
    await sign_in(visitor, f"{world.slug}.intake")
    card = await visitor.get(f"{BASE}/{olena}")
    assert "Інших членів домогосподарства не записано." in card.text
    unknown = await visitor.post(
        f"{BASE}/{olena}/household",
        data={"_csrf": form_token(card.text), "member_tax_number": "1111111111"},
    )
    assert unknown.status_code == 400
    assert 'id="member_tax_number-error"' in unknown.text
    done = await visitor.post(
        f"{BASE}/{olena}/household",
        data={"_csrf": form_token(card.text), "member_tax_number": taras_tax},
    )
    assert done.status_code == 303, done.text
    card = await visitor.get(done.headers["location"])
    assert "Склад домогосподарства записано." in card.text
    assert "Бондар Тарас" in card.text
    assert "Бондар Олена" in (await visitor.get(f"{BASE}/{taras}")).text
