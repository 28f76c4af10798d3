"""Damage beyond normal wear charged at the item's residual value, offset against the
deposit: the straight-line residual value to the kopiyka, the item's value and the
type's service life over HTTP, the charge at return, the act of return, and the switch."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from core import clock
from plugins.rental_aids.residual import months_in_use, residual_value
from tests.market.flow import ok
from tests.plugins.test_rental_aids_act import pdf_text, set_deposit
from tests.plugins.test_rental_aids_api import (
    BASE,
    assigned,
    field_of,
    issue,
    item,
    rental_contract,
)
from tests.world import World

D = Decimal


# ------------------------------------------------------------------ the pure function
MONTHS = [
    # acquired, on, whole months in use
    (date(2024, 1, 15), date(2024, 1, 15), 0),  # the same day
    (date(2024, 1, 15), date(2024, 2, 14), 0),  # a day short of a month
    (date(2024, 1, 15), date(2024, 2, 15), 1),  # the same day of the next month
    (date(2024, 1, 31), date(2024, 2, 28), 0),  # 2024 is a leap year: not yet month-end
    (date(2024, 1, 31), date(2024, 2, 29), 1),  # the end of a shorter month completes it
    (date(2023, 1, 31), date(2023, 2, 28), 1),  # ditto in a common year
    (date(2024, 3, 31), date(2024, 4, 30), 1),
    (date(2023, 12, 20), date(2024, 12, 19), 11),  # across a year, a day short
    (date(2023, 12, 20), date(2024, 12, 20), 12),
    (date(2024, 5, 1), date(2024, 4, 1), 0),  # before the acquisition: not in use yet
]


@pytest.mark.parametrize(("acquired", "on", "months"), MONTHS)
def test_months_in_use_are_whole_months(acquired: date, on: date, months: int) -> None:
    assert months_in_use(acquired, on) == months


RESIDUAL = [
    # value, acquired, life (months), on, expected residual (None: unknown)
    # a new item: 0 months of 36 used, the whole value
    (D("1000.00"), date(2025, 3, 10), 36, date(2025, 3, 10), D("1000.00")),
    # 29 days is not a month yet: still the whole value
    (D("1000.00"), date(2025, 3, 10), 36, date(2025, 4, 8), D("1000.00")),
    # half its life: 12 of 24 months, 1000.00 × (1 − 12/24) = 500.00
    (D("1000.00"), date(2024, 1, 15), 24, date(2025, 1, 15), D("500.00")),
    # 1 of 36 months: 1000.00 × 35/36 = 972.2222… → 972.22
    (D("1000.00"), date(2025, 1, 15), 36, date(2025, 2, 15), D("972.22")),
    # exactly its life: 12 of 12 months → 0.00
    (D("800.00"), date(2023, 6, 1), 12, date(2024, 6, 1), D("0.00")),
    # past its life: 48 of 12 months, never below 0 → 0.00
    (D("800.00"), date(2020, 1, 1), 12, date(2024, 1, 1), D("0.00")),
    # rounding half up: 0.05 × (1 − 1/2) = 0.025 → 0.03 (half-even would give 0.02)
    (D("0.05"), date(2024, 1, 1), 2, date(2024, 2, 1), D("0.03")),
    # rounding half up: 100.01 × 1/2 = 50.005 → 50.01
    (D("100.01"), date(2024, 1, 1), 2, date(2024, 2, 1), D("50.01")),
    # rounding down: 100.00 × (1 − 2/3) = 33.3333… → 33.33
    (D("100.00"), date(2024, 1, 1), 3, date(2024, 3, 1), D("33.33")),
    # rounding up: 100.00 × (1 − 1/3) = 66.6666… → 66.67
    (D("100.00"), date(2024, 1, 1), 3, date(2024, 2, 1), D("66.67")),
    # 10000.01 × (1 − 12/36) = 6666.67333… → 6666.67
    (D("10000.01"), date(2023, 5, 20), 36, date(2024, 5, 20), D("6666.67")),
    # the end of February completes the month: 1 of 2 months, 100.00 / 2 = 50.00
    (D("100.00"), date(2024, 1, 31), 2, date(2024, 2, 29), D("50.00")),
    # a value of 0 (a donated item) stays 0
    (D("0"), date(2024, 1, 1), 12, date(2024, 2, 1), D("0.00")),
    # unknown value, date or service life: unknown residual value
    (None, date(2024, 1, 1), 12, date(2024, 2, 1), None),
    (D("100.00"), None, 12, date(2024, 2, 1), None),
    (D("100.00"), date(2024, 1, 1), None, date(2024, 2, 1), None),
    (D("100.00"), date(2024, 1, 1), 0, date(2024, 2, 1), None),
]


@pytest.mark.parametrize(("value", "acquired", "life", "on", "expected"), RESIDUAL)
def test_residual_value_is_straight_line_to_the_kopiyka(
    value: Decimal | None,
    acquired: date | None,
    life: int | None,
    on: date,
    expected: Decimal | None,
) -> None:
    found = residual_value(value, acquired, life, on)
    if expected is None:
        assert found is None
        return
    assert found is not None
    assert found.value == expected
    assert str(found.value) == f"{expected:.2f}"  # two places, as money is shown
    assert found.service_life_months == life
    assert acquired is not None
    assert found.months_in_use == months_in_use(acquired, on)


# ------------------------------------------------------------------------ over HTTP
def months_ago(n: int, today: date | None = None) -> date:
    """The same day ``n`` months back (the month's last day when it is shorter): exactly
    ``n`` whole months in use today."""
    today = today or clock.today()
    index = today.year * 12 + today.month - 1 - n
    year, month = divmod(index, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def test_months_ago_gives_whole_months() -> None:
    for today in (date(2025, 3, 31), date(2024, 3, 29), date(2025, 1, 15), date(2024, 12, 31)):
        for n in (0, 1, 6, 12, 13):
            assert months_in_use(months_ago(n, today), today) == n, (today, n)


async def typed_item(w: World, code: str, life: int | None, **body: Any) -> dict[str, Any]:
    """A device type with a service life and an item of it."""
    r = await w.post(
        "admin",
        f"{BASE}/device-types",
        {"code": code, "name_uk": f"Тип {code}", "name_en": f"Type {code}"}
        | ({} if life is None else {"service_life_months": life}),
    )
    made = await ok(r, 201)
    assert made["service_life_months"] == life
    return await item(w, code, **body)


async def loan_of(w: World, chair: dict[str, Any], code: str) -> dict[str, Any]:
    contract = await rental_contract(w)
    req = await assigned(w, contract["id"], device_type=code)
    return await ok(await issue(w, req["id"], chair["id"]), 201)


async def give_back(w: World, loan_id: int, **body: Any) -> Any:
    return await w.post("provider", f"{BASE}/loans/{loan_id}/return", body)


DAMAGED = {"condition": "damaged", "damage_noted": True, "damage_note": "Зламано раму"}


async def test_damage_beyond_normal_wear_is_charged_at_the_residual_value(world: World) -> None:
    w = world
    await set_deposit(w, "500.00")
    chair = await typed_item(
        w, "wheelchair", 36, purchase_value="10000.01", acquired_on=months_ago(12).isoformat()
    )
    assert chair["purchase_value"] == "10000.01"
    assert chair["acquired_on"] == months_ago(12).isoformat()
    # 10000.01 × (1 − 12/36) = 6666.67333… → 6666.67
    assert chair["residual_value"] == "6666.67"
    loan = await loan_of(w, chair, "wheelchair")
    assert loan["deposit"] == "500.00"
    assert loan["damage_charge"] == "0.00"
    assert loan["deposit_returned"] == "0.00"  # nothing given back while on loan
    assert loan["residual_value"] is None

    back = await ok(await give_back(w, loan["id"], **DAMAGED, beyond_normal_wear=True))
    assert back["beyond_normal_wear"] is True
    assert back["charge_basis"] == "residual"
    assert back["residual_value"] == "6666.67"
    assert back["residual_basis"] == {
        "purchase_value": "10000.01",
        "months_in_use": 12,
        "service_life_months": 36,
    }
    assert back["damage_charge"] == "6666.67"
    # the whole deposit is kept, 6666.67 − 500.00 = 6166.67 is still due
    assert back["deposit_kept"] == "500.00"
    assert back["deposit_returned"] == "0.00"
    assert back["charge_due"] == "6166.67"
    stored = await ok(await w.get("provider", f"{BASE}/items/{chair['id']}"))
    assert stored["status"] == "in_repair"
    assert await ok(await w.get("citizen", f"{BASE}/loans/{loan['id']}")) == back

    text = pdf_text((await w.get("provider", f"{BASE}/loans/{loan['id']}/act.pdf")).content)
    for words in (
        "АКТ ПОВЕРНЕННЯ",
        "Пошкодження виявлено: Зламано раму",
        "Пошкодження виходить за межі нормального зносу",
        "Залишкова вартість предмета на дату повернення: 6666,67 грн.",
        "вартість придбання 10000,01 грн.",
        "12 міс. у користуванні / 36 міс. строку служби",
        "Відшкодування за пошкодження понад нормальний знос (за залишковою вартістю): 6666,67 грн.",
        "Утримано із застави: 500,00 грн. (п'ятсот гривень 00 копійок)",
        "Заставу повернуто: 0,00 грн.",
        "Залишок до сплати отримувачем: 6166,67 грн.",
    ):
        assert words in text, words


async def test_a_residual_value_below_the_deposit_returns_the_rest(world: World) -> None:
    w = world
    await set_deposit(w, "500.00")
    # 300.00 × (1 − 6/12) = 150.00: kept from the deposit, 350.00 given back, nothing due
    chair = await typed_item(
        w, "wheelchair", 12, purchase_value="300", acquired_on=months_ago(6).isoformat()
    )
    loan = await loan_of(w, chair, "wheelchair")
    back = await ok(await give_back(w, loan["id"], **DAMAGED, beyond_normal_wear=True))
    assert (back["damage_charge"], back["deposit_kept"]) == ("150.00", "150.00")
    assert (back["deposit_returned"], back["charge_due"]) == ("350.00", "0.00")
    text = pdf_text((await w.get("provider", f"{BASE}/loans/{loan['id']}/act.pdf")).content)
    assert "Заставу повернуто: 350,00 грн." in text
    assert "Залишок до сплати отримувачем: 0,00 грн." in text


async def test_damage_within_normal_wear_is_not_charged(world: World) -> None:
    w = world
    await set_deposit(w, "500.00")
    chair = await typed_item(
        w, "wheelchair", 36, purchase_value="9000.00", acquired_on=months_ago(3).isoformat()
    )
    loan = await loan_of(w, chair, "wheelchair")
    back = await ok(
        await give_back(w, loan["id"], condition="worn", damage_noted=True, damage_note="Подряпини")
    )
    assert back["damage_noted"] is True
    assert back["beyond_normal_wear"] is False
    assert back["charge_basis"] == ""
    assert back["damage_charge"] == "0.00"
    assert back["residual_value"] is None
    assert back["deposit_kept"] == "0.00"
    assert back["deposit_returned"] == "500.00"
    assert back["charge_due"] == "0.00"
    stored = await ok(await w.get("provider", f"{BASE}/items/{chair['id']}"))
    assert stored["status"] == "in_repair"
    text = pdf_text((await w.get("provider", f"{BASE}/loans/{loan['id']}/act.pdf")).content)
    assert "Заставу повернуто в повному обсязі: 500,00 грн." in text
    assert "Відшкодування" not in text
    assert "нормального зносу." not in text.split("АКТ ПОВЕРНЕННЯ")[1]


async def test_an_unknown_residual_value_needs_the_charge_stated(world: World) -> None:
    w = world
    await set_deposit(w, "500.00")
    # the type has no service life: the residual value is unknown
    chair = await typed_item(
        w, "walker", None, purchase_value="2000.00", acquired_on=months_ago(2).isoformat()
    )
    assert chair["residual_value"] is None
    loan = await loan_of(w, chair, "walker")
    url = f"{BASE}/loans/{loan['id']}"

    r = await give_back(w, loan["id"], **DAMAGED, beyond_normal_wear=True)
    assert r.status_code == 400, r.text
    assert field_of(r) == "damage_charge"
    for bad in ("-1", "12.345", "NaN", "1e12", "сто"):
        r = await give_back(w, loan["id"], **DAMAGED, beyond_normal_wear=True, damage_charge=bad)
        # NaN and exponents are outside the core's bounds of a number: 422
        assert r.status_code == (422 if bad in ("NaN", "1e12") else 400), (bad, r.text)
        assert field_of(r) == "damage_charge", bad
    # nothing was written: the loan is still out
    assert (await ok(await w.get("provider", url)))["status"] == "active"

    back = await ok(
        await give_back(w, loan["id"], **DAMAGED, beyond_normal_wear=True, damage_charge="120.5")
    )
    assert back["charge_basis"] == "stated"
    assert back["residual_value"] is None
    assert back["residual_basis"] is None
    assert back["damage_charge"] == "120.50"
    assert back["deposit_kept"] == "120.50"
    assert back["deposit_returned"] == "379.50"
    assert back["charge_due"] == "0.00"
    text = pdf_text((await w.get("provider", f"{url}/act.pdf")).content)
    for words in (
        "Залишкову вартість предмета не визначено",
        "(визначене при огляді): 120,50 грн.",
        "Утримано із застави: 120,50 грн.",
        "Заставу повернуто: 379,50 грн.",
        "Залишок до сплати отримувачем: 0,00 грн.",
    ):
        assert words in text, words


async def test_a_stated_charge_wins_over_a_known_residual_value(world: World) -> None:
    w = world
    await set_deposit(w, "100.00")
    # 1200.00 × (1 − 1/12) = 1100.00 computed, 750.00 stated and charged
    chair = await typed_item(
        w, "wheelchair", 12, purchase_value="1200.00", acquired_on=months_ago(1).isoformat()
    )
    loan = await loan_of(w, chair, "wheelchair")
    back = await ok(
        await give_back(w, loan["id"], **DAMAGED, beyond_normal_wear=True, damage_charge=750)
    )
    assert back["charge_basis"] == "stated"
    assert back["residual_value"] == "1100.00"
    assert back["damage_charge"] == "750.00"
    assert (back["deposit_kept"], back["deposit_returned"]) == ("100.00", "0.00")
    assert back["charge_due"] == "650.00"


async def test_beyond_normal_wear_needs_damage_noted(world: World) -> None:
    w = world
    chair = await typed_item(
        w, "wheelchair", 12, purchase_value="1200.00", acquired_on=months_ago(1).isoformat()
    )
    loan = await loan_of(w, chair, "wheelchair")
    r = await give_back(w, loan["id"], condition="good", beyond_normal_wear=True)
    assert r.status_code == 400, r.text
    assert field_of(r) == "beyond_normal_wear"
    # a stated charge without damage beyond normal wear is refused too
    r = await give_back(
        w, loan["id"], condition="worn", damage_noted=True, damage_note="x", damage_charge="5"
    )
    assert r.status_code == 400, r.text
    assert field_of(r) == "damage_charge"
    # no deposit: a charge at the residual value is all due, 1200.00 × 11/12 = 1100.00
    back = await ok(await give_back(w, loan["id"], **DAMAGED, beyond_normal_wear=True))
    assert (back["deposit"], back["deposit_kept"], back["deposit_returned"]) == (
        "0.00",
        "0.00",
        "0.00",
    )
    assert back["charge_due"] == back["damage_charge"] == "1100.00"


async def test_with_the_charge_switched_off_damage_is_only_noted(world: World) -> None:
    w = world
    await set_deposit(w, "500.00")
    body = {"key": "rental_aids.damage_charged", "valid_from": "2020-01-01", "value": False}
    r = await w.post("admin", "/api/parameters", body)
    assert r.status_code in (200, 201), r.text
    chair = await typed_item(
        w, "wheelchair", 36, purchase_value="9000.00", acquired_on=months_ago(3).isoformat()
    )
    loan = await loan_of(w, chair, "wheelchair")
    r = await give_back(w, loan["id"], **DAMAGED, beyond_normal_wear=True, damage_charge="10")
    assert r.status_code == 400, r.text
    assert field_of(r) == "damage_charge"
    back = await ok(await give_back(w, loan["id"], **DAMAGED, beyond_normal_wear=True))
    assert back["beyond_normal_wear"] is True
    assert back["charge_basis"] == ""
    assert back["damage_charge"] == "0.00"
    assert back["residual_value"] is None
    assert (back["deposit_kept"], back["deposit_returned"]) == ("0.00", "500.00")
    assert back["charge_due"] == "0.00"
    text = pdf_text((await w.get("provider", f"{BASE}/loans/{loan['id']}/act.pdf")).content)
    assert "Заставу повернуто в повному обсязі: 500,00 грн." in text
    assert "Відшкодування" not in text


async def test_item_value_and_service_life_are_checked_and_changed(world: World) -> None:
    w = world
    await typed_item(w, "cane", None)
    for bad in ("12.345", "-0.01", "NaN", "abc", "1e9"):
        r = await w.post(
            "provider",
            f"{BASE}/items",
            {"device_code": "cane", "inventory_number": f"V-{bad}", "purchase_value": bad},
        )
        assert r.status_code == (422 if bad in ("NaN", "1e9") else 400), (bad, r.text)
        assert field_of(r) == "purchase_value", bad
    future = date.fromordinal(clock.today().toordinal() + 1).isoformat()
    for bad_day in (future, "1949-12-31", "2024-02-30"):
        r = await w.post(
            "provider",
            f"{BASE}/items",
            {"device_code": "cane", "inventory_number": "V-D", "acquired_on": bad_day},
        )
        assert r.status_code == 400, (bad_day, r.text)
        assert field_of(r) == "acquired_on", bad_day
    for bad_life in (0, 601, "x", 1.5):
        r = await w.post(
            "admin",
            f"{BASE}/device-types",
            {"code": "bed2", "name_uk": "x", "name_en": "x", "service_life_months": bad_life},
        )
        assert r.status_code == 400, (bad_life, r.text)
        assert field_of(r) == "service_life_months", bad_life

    cane = await item(w, "cane", purchase_value=450, acquired_on=months_ago(24).isoformat())
    assert cane["purchase_value"] == "450.00"
    assert cane["residual_value"] is None  # the type has no service life yet
    types = await ok(await w.get("provider", f"{BASE}/device-types"))
    cane_type = next(t for t in types if t["code"] == "cane")
    changed = await ok(
        await w.patch(
            "admin", f"{BASE}/device-types/{cane_type['id']}", {"service_life_months": 48}
        )
    )
    assert changed["service_life_months"] == 48
    # 450.00 × (1 − 24/48) = 225.00
    stored = await ok(await w.get("provider", f"{BASE}/items/{cane['id']}"))
    assert stored["residual_value"] == "225.00"
    r = await w.patch("provider", f"{BASE}/items/{cane['id']}", {"purchase_value": "1.001"})
    assert r.status_code == 400
    assert field_of(r) == "purchase_value"
    r = await w.patch("provider", f"{BASE}/items/{cane['id']}", {"acquired_on": future})
    assert r.status_code == 400
    assert field_of(r) == "acquired_on"
    # 600.00 × (1 − 12/48) = 450.00
    patched = await ok(
        await w.patch(
            "provider",
            f"{BASE}/items/{cane['id']}",
            {"purchase_value": "600", "acquired_on": months_ago(12).isoformat()},
        )
    )
    assert (patched["purchase_value"], patched["residual_value"]) == ("600.00", "450.00")
    # null clears a value back to unknown
    cleared = await ok(
        await w.patch("provider", f"{BASE}/items/{cane['id']}", {"purchase_value": None})
    )
    assert (cleared["purchase_value"], cleared["residual_value"]) == (None, None)
    unset = await ok(
        await w.patch(
            "admin", f"{BASE}/device-types/{cane_type['id']}", {"service_life_months": None}
        )
    )
    assert unset["service_life_months"] is None
