"""Multi-part tariffs: a delivery's parts are priced by the core and stored with it, and
the invoice and the act print one line per part whose quantity × price = amount."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

import msgspec
import pytest
from pypdf import PdfReader

from core import clock, tariff_parts
from core.db.market import DeliveryPart
from core.platform import Platform
from core.service import Pricing, TariffPart, Text
from core.workflow.market.deliveries import DeliveryIn
from core.workflow.market.delivery_batch import record_batch
from core.workflow.market.pricing import PricingError, priced
from tests.market.flow import (
    budget_line,
    delivery_period,
    homeless_person,
    nights,
    ok,
    served_request,
    verify_providers,
)
from tests.market.two_part import KM, MEAL, MealRun, MealRunTariff, swap_in
from tests.world import World


@pytest.fixture
def two_part(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> str:
    return swap_in(platform, monkeypatch)


async def _contract(w: World, code: str) -> dict[str, Any]:
    line = await budget_line(w, "500000.00", code="2610")
    await verify_providers(w)
    body = {
        "provider_id": w.provider_id,
        "service_code": code,
        "period_start": f"{nights()[0].year}-01-01",
        # to the end of this year: at New Year the delivery month is last year's
        "period_end": f"{clock.today().year}-12-31",
        "tariff": {"meal_price": "82.00", "km_price": "8.35"},
        "volume_cap": "1500",
        "money_cap": "150000.00",
        "budget_line_id": line["id"],
    }
    return await ok(await w.post("admin", "/api/contracts", body), 201)


async def _served(w: World, platform: Platform, code: str) -> tuple[dict[str, Any], int]:
    contract = await _contract(w, code)
    await homeless_person(w)
    req = await served_request(w, platform, contract["id"], code)
    return contract, int(req["id"])


async def _deliver(w: World, request_id: int, key: str, portions: int, km: str, day: int) -> Any:
    body = {
        "request_id": request_id,
        "delivered_on": nights()[day].isoformat(),
        "idempotency_key": key,
        "data": {"portions": portions, "km": km},
    }
    return await ok(await w.post("provider", "/api/deliveries", body), 201)


def _text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages)


def test_the_core_prices_each_part_and_refuses_parts_it_does_not_know(
    platform: Platform, two_part: str
) -> None:
    service = platform.host.services[two_part]
    tariff = MealRunTariff(meal_price=Decimal("82.00"), km_price=Decimal("8.35"))
    got = priced(service, tariff, MealRun(portions=2, km=Decimal("3.5")))
    # 2 × 82.00 = 164.00; 3.5 × 8.35 = 29.225 → 29.23 (a delivery's part, to the kopiyka)
    assert (got.quantity_milli, got.amount_kop) == (2000, 16400 + 2923)
    assert [(p.part, p.quantity_milli, p.amount_kop) for p in got.parts] == [
        (MEAL, 2000, 16400),
        (KM, 3500, 2923),
    ]
    wrong = service.__class__(
        **{
            **{f: getattr(service, f) for f in service.__struct_fields__},
            "price": lambda t, d: Pricing(quantity=Decimal(1), parts={"bus": Decimal(1)}),
        }
    )
    with pytest.raises(PricingError, match="unknown parts \\['bus'\\]"):
        priced(wrong, tariff, MealRun(portions=1))


async def test_an_invoice_and_its_act_print_a_line_per_part(
    world: World, platform: Platform, two_part: str
) -> None:
    contract, request_id = await _served(world, platform, two_part)
    first = await _deliver(world, request_id, "run-1", 2, "3.5", 0)
    await _deliver(world, request_id, "run-2", 1, "2.25", 1)
    voided = await _deliver(world, request_id, "run-3", 3, "40", 2)
    assert Decimal(first["amount"]) == Decimal("193.23")
    await ok(
        await world.post(
            "provider", f"/api/deliveries/{voided['id']}/void", {"reason": "помилка запису"}
        )
    )
    stored = await DeliveryPart.select().where(DeliveryPart.delivery_id == first["id"])
    assert sorted((r["part"], r["quantity_milli"], r["amount_kop"]) for r in stored) == [
        (KM, 3500, 2923),
        (MEAL, 2000, 16400),
    ]

    invoices = await ok(
        await world.post(
            "provider",
            "/api/invoices/run",
            {"period": delivery_period(), "contract_ids": [contract["id"]]},
        ),
        201,
    )
    [invoice] = invoices
    lines = [
        (x["part"], x["service_uk"], x["unit_uk"], x["quantity"], x["unit_price"], x["amount"])
        for x in invoice["lines"]
    ]
    # The voided run's 3 portions and 40 km are not billed; 5.75 km × 8.35 = 48.0125 → 48.01.
    assert lines == [
        (MEAL, lines[0][1], "порція", "3", "82.00", "246.00"),
        (KM, lines[1][1], "км", "5.75", "8.35", "48.01"),
    ]
    assert lines[0][1].endswith(" — обід")
    assert lines[1][1].endswith(" — доставка")
    for x in invoice["lines"]:
        assert Decimal(x["quantity"]) * Decimal(x["unit_price"]) == pytest.approx(
            Decimal(x["amount"]), abs=Decimal("0.005")
        )
    assert Decimal(invoice["total"]) == Decimal("294.01")
    assert (invoice["deliveries"], invoice["quantity"]) == (2, "3")

    act = await world.get("provider", f"/api/invoices/{invoice['id']}/act.pdf")
    assert act.status_code == 200
    text = _text(act.content)
    for shown in ("обід", "доставка", "82,00", "246,00", "8,35", "5,75", "48,01", "294,01"):
        assert shown in text


async def test_the_batch_path_stores_the_parts_too(
    world: World, platform: Platform, two_part: str
) -> None:
    contract, request_id = await _served(world, platform, two_part)
    items = [
        DeliveryIn(
            request_id=request_id,
            delivered_on=nights()[n],
            idempotency_key=f"batch-run-{n}",
            data={"portions": 1, "km": "1.2"},
        )
        for n in range(2)
    ]
    out = await record_batch(platform, world.actors["provider"], contract["id"], items)
    assert [o.refusal for o in out] == [None, None]
    ids = [o.delivery_id for o in out]
    rows = await DeliveryPart.select().where(DeliveryPart.delivery_id.is_in(ids))
    assert sorted((r["delivery_id"], r["part"], r["amount_kop"]) for r in rows) == sorted(
        [(i, MEAL, 8200) for i in ids] + [(i, KM, 1002) for i in ids]
    )
    again = await record_batch(platform, world.actors["provider"], contract["id"], items)
    assert [o.created for o in again] == [False, False]
    assert await DeliveryPart.count().where(DeliveryPart.delivery_id.is_in(ids)) == 4


def test_the_load_check_names_the_part_that_does_not_fit_the_tariff(
    platform: Platform, two_part: str
) -> None:
    service = platform.host.services[two_part]
    assert tariff_parts.problems(service) == []
    bad = msgspec.structs.replace(
        service,
        tariff_parts=(
            *service.tariff_parts,
            TariffPart(key="stop", label=Text("зупинка", "stop"), unit=Text("раз", "time")),
            TariffPart(key="Km", label=Text("км", "km"), unit=Text("км", "km"), field="note"),
        ),
        tariff_from_prices=None,
    )
    assert tariff_parts.problems(bad) == [
        "part 'stop': the tariff has no field 'stop'",
        "part 'Km': the key must match ^[a-z][a-z0-9_]{0,31}$",
        "part 'Km': the tariff's 'note' is not a Decimal",
    ]
