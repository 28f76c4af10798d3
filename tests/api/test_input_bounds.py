"""Bounds of input: dates in a window, months of the calendar, money with two places up to
a bound; a value outside them is a 422 naming the field, never a 500 (core.validators)."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec
import pytest
from litestar import Litestar

from core import clock
from core.api.app import all_handlers
from core.errors import Invalid
from core.validators import (
    DATE_MIN,
    MONEY_MAX,
    Checked,
    OutOfRange,
    checked_date,
    checked_money,
    date_max,
    month_bounds,
)
from tests.market.flow import budget_line, verify_providers
from tests.plugins.test_subsidies_formula import form
from tests.world import World


def _bounded(tp: Any) -> bool:
    """Whether a field's type holds a date, a datetime, a decimal or a marked value."""
    if tp in (date, datetime, Decimal):
        return True
    origin = get_origin(tp)
    if origin is Annotated:
        return _bounded(get_args(tp)[0]) or any(
            type(m).__name__ == "_Bound" for m in tp.__metadata__
        )
    if origin in (Union, UnionType):
        return any(_bounded(a) for a in get_args(tp))
    return False


def _reaches_bounded(tp: Any, seen: set[Any]) -> bool:
    if tp in seen:
        return False
    seen.add(tp)
    if _bounded(tp):
        return True
    if get_origin(tp) is not None:
        return any(_reaches_bounded(a, seen) for a in get_args(tp))
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        return any(_reaches_bounded(f.type, seen) for f in msgspec.structs.fields(tp))
    return False


def _outer_structs(tp: Any) -> list[type]:
    if get_origin(tp) is not None:
        return [s for a in get_args(tp) for s in _outer_structs(a)]
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        return [tp]
    return []


def unchecked_bodies(app: Litestar) -> list[str]:
    """Request bodies holding dates or decimals whose Struct does not check them."""
    out = set()
    for path, handler in all_handlers(app):
        data = handler.parsed_fn_signature.parameters.get("data")
        if data is None:
            continue
        for struct in _outer_structs(data.annotation):
            if not issubclass(struct, Checked) and _reaches_bounded(struct, set()):
                out.add(f"{path}: {struct.__module__}.{struct.__qualname__}")
    return sorted(out)


def test_every_body_with_dates_or_money_is_checked(app: Litestar) -> None:
    assert unchecked_bodies(app) == []


# ----------------------------------------------------------------- the bounds themselves
def test_the_date_window_runs_from_1900_to_a_hundred_years_ahead() -> None:
    assert checked_date(DATE_MIN, "d") == DATE_MIN
    assert date_max() == date(clock.today().year + 100, 12, 31)
    for day in (date(1, 1, 1), date(1899, 12, 31), date(9999, 12, 31), date_max().replace(day=31)):
        if DATE_MIN <= day <= date_max():
            continue
        with pytest.raises(OutOfRange) as caught:
            checked_date(day, "birth_date")
        assert caught.value.field == "birth_date"
        assert caught.value.status_code == 422


@pytest.mark.parametrize("text", ["0000-01", "2026-13", "2026-00", "1899-12", "9999-12"])
def test_a_month_outside_the_calendar_or_the_window_is_422(text: str) -> None:
    with pytest.raises(OutOfRange) as caught:
        month_bounds(text, "month")
    assert caught.value.field == "month"


@pytest.mark.parametrize("text", ["2026-1", "26-01", "", "2026-01-01"])
def test_a_month_not_of_the_form_is_400(text: str) -> None:
    with pytest.raises(Invalid):
        month_bounds(text, "month")


@pytest.mark.parametrize(
    "raw",
    [
        "1E+400",
        "1E+2",
        "0.001",
        "12.345",
        "NaN",
        "Infinity",
        "-Infinity",
        "sNaN",
        "1000000000000.00",
        "-1000000000000",
    ],
)
def test_money_with_an_exponent_more_places_or_above_the_bound_is_422(raw: str) -> None:
    with pytest.raises(OutOfRange) as caught:
        checked_money(Decimal(raw), "allocation")
    assert caught.value.field == "allocation"
    assert "allocation" in caught.value.message


def test_money_within_the_bounds_keeps_its_value() -> None:
    assert checked_money(MONEY_MAX, "a") == MONEY_MAX
    assert checked_money(Decimal("12.5"), "a") == Decimal("12.50")
    assert checked_money(Decimal("1.000"), "a") == Decimal("1.00")
    with pytest.raises(OutOfRange):
        checked_money(Decimal("0.00"), "a", positive=True)


# ---------------------------------------------------------------------- over HTTP
def _names(r: Any, field: str, status: int = 422) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    keys = [e["key"] for e in body.get("extra", [])]
    assert field in keys, body


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31"])
async def test_core_dates_outside_the_window_are_422(world: World, day: str) -> None:
    w = world
    citizen = {"last_name": "Коваль", "first_name": "Іван", "birth_date": day}
    _names(await w.post("intake", "/api/citizens", citizen), "birth_date")
    patch = {"birth_date": day}
    _names(await w.patch("intake", f"/api/citizens/{w.citizen_id}", patch), "birth_date")
    param = {"key": "core.intake_backdate_days", "valid_from": day, "value": 30}
    _names(await w.post("admin", "/api/parameters", param), "valid_from")
    screening = {"applicant": {"birth_date": day}, "answers": {}}
    r = await w.client.post(f"/api/screening?municipality={w.slug}", json=screening)
    _names(r, "applicant.birth_date")


@pytest.mark.parametrize("month", ["0000-01", "2026-13"])
async def test_months_outside_the_calendar_are_422_in_bodies(world: World, month: str) -> None:
    w = world
    charges = {
        "month": month,
        "lines": [{"assignment_id": 1, "utility": "heating", "charged": "1"}],
    }
    _names(await w.post("accountant", "/api/ext/subsidies/charges", charges), "month")
    _names(await w.post("accountant", "/api/ext/subsidies/pay-month", {"month": month}), "month")
    _names(await w.post("accountant", "/api/invoices/run", {"period": month}), "period")


@pytest.mark.parametrize("month", ["0000-01", "2026-13", "9999-12"])
async def test_months_outside_the_calendar_are_refused_in_queries(world: World, month: str) -> None:
    for url in ("/api/deliveries", "/api/invoices", "/api/registers/payments"):
        r = await world.get("admin", url, params={"period": month})
        assert r.status_code in (400, 422), (url, r.text)
        assert "period" in r.text


async def test_subsidy_dates_outside_the_window_are_422(world: World) -> None:
    w = world
    body = {k: form()[k] for k in ("members", "dwelling", "utilities")}
    url = f"/api/ext/subsidies/calculate?municipality={w.slug}"
    for day in ("0001-01-01", "9999-12-31"):
        _names(await w.client.post(url, json={**body, "applied_on": day}), "applied_on")


async def test_a_date_before_a_parameter_exists_is_422_naming_it(world: World) -> None:
    """1 January 1900 is inside the window, but no subsistence minimum is in force then:
    a 422 naming the parameter and the date, not a 500."""
    body = {k: form()[k] for k in ("members", "dwelling", "utilities")}
    url = f"/api/ext/subsidies/calculate?municipality={world.slug}"
    r = await world.client.post(url, json={**body, "applied_on": "1900-01-02"})
    assert r.status_code == 422, r.text
    (entry,) = r.json()["extra"]
    assert entry["key"].startswith("subsidies.")
    assert entry["date"] == "1900-01-02"
    assert "1900-01-02" in entry["message"]
    assert entry["key"] in entry["message"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
async def test_transport_days_outside_the_window_are_422(world: World, day: str) -> None:
    w = world
    base = "/api/ext/disability_transport"
    _names(await w.get("admin", f"{base}/bookings", params={"day": day}), "day")
    _names(await w.get("admin", f"{base}/vehicles/1/schedule", params={"day": day}), "day")
    trip = {
        "request_id": 1,
        "pickup_address": "Ковель, вул. Незалежності, 12",
        "destination_address": "Ковельська центральна лікарня",
        "purpose": "medical",
        "trip_date": day,
        "start_time": "09:00",
        "duration_minutes": 60,
    }
    _names(await w.post("intake", f"{base}/bookings", trip), "trip_date")


# ------------------------------------------------------------------------- money
TRANSPORT_TARIFF = {
    "base_fee": "150.00",
    "per_km": "12.50",
    "per_started_15_min_waiting": "30.00",
    "bill_no_shows": True,
    "bill_late_cancellations": True,
}


_codes = itertools.count(2800)


async def _contract(w: World, service: str, tariff: dict[str, Any], **over: Any) -> Any:
    await verify_providers(w)
    line = await budget_line(w, code=str(next(_codes)))
    year = clock.today().year
    body = {
        "provider_id": w.provider_id,
        "service_code": service,
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "tariff": tariff,
        "volume_cap": "500",
        "money_cap": "100000.00",
        "budget_line_id": line["id"],
        **over,
    }
    return await w.post("admin", "/api/contracts", body)


@pytest.mark.parametrize("fee", ["1E+400", "1E+3", "150.001", "1000000000000.00"])
async def test_a_tariff_beyond_the_money_bounds_is_never_stored(world: World, fee: str) -> None:
    r = await _contract(
        world, "disability_transport.registration", {**TRANSPORT_TARIFF, "base_fee": fee}
    )
    _names(r, "tariff.base_fee")
    r = await _contract(world, "homeless.night_stay", {"unit_price": fee})
    _names(r, "tariff.unit_price")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("money_cap", "1E+400"),
        ("money_cap", "0.001"),
        ("money_cap", "99.999"),
        ("period_start", "0001-01-01"),
        ("period_end", "9999-12-31"),
    ],
)
async def test_contract_money_and_dates_are_bounded(world: World, field: str, value: str) -> None:
    r = await _contract(world, "homeless.night_stay", {"unit_price": "250.00"}, **{field: value})
    _names(r, field)


@pytest.mark.parametrize("amount", ["0.001", "0.004", "1E+400", "12.345", "1000000000000"])
async def test_budget_lines_take_money_with_two_places_under_the_bound(
    world: World, amount: str
) -> None:
    """0.001 used to be rounded after the positivity check into a budget line of 0.00."""
    body = {
        "year": clock.today().year,
        "programme_code": "0813242",
        "economic_code": "2730",
        "name": "Тестова лінія",
        "allocation": amount,
    }
    _names(await world.post("accountant", "/api/budget-lines", body), "allocation")
    line = await budget_line(world)
    patch = {"allocation": amount}
    _names(await world.patch("accountant", f"/api/budget-lines/{line['id']}", patch), "allocation")


async def test_offer_and_bid_prices_are_bounded(world: World) -> None:
    offer = {"service_code": "homeless.night_stay", "unit_price": "12.345"}
    _names(await world.post("provider", "/api/offers", offer), "unit_price")
    offer = {"service_code": "homeless.night_stay", "unit_price": "NaN"}
    _names(await world.post("provider", "/api/offers", offer), "unit_price")
    bid = {"unit_price": "1E+400", "volume": "10"}
    r = await world.post("provider", "/api/calls/1/bids", bid)
    _names(r, "unit_price")
