"""The money path end to end: call → bids → award → request → assignment → deliveries →
invoice → approval → payment → budget report, checked to the kopiyka."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook
from pypdf import PdfReader

from core import clock
from core.db.tables import AuditLog
from core.platform import Platform
from tests.market.flow import (
    NIGHT,
    awarded_contract,
    delivery_month,
    delivery_period,
    homeless_person,
    nights,
    ok,
    second_provider_user,
    served_request,
)
from tests.world import World


async def test_the_whole_money_path(world: World, platform: Platform) -> None:
    w = world
    await second_provider_user(w)
    contract = await awarded_contract(w)
    assert contract["money_cap"] == "200000.00"
    assert contract["volume_cap"] == "800"
    assert contract["tariff"] == {"unit_price": "250.00"}
    line = await ok(await w.get("accountant", f"/api/budget-lines/{contract['budget_line_id']}"))
    assert line["committed"] == "200000.00"
    assert line["remaining"] == "300000.00"

    await homeless_person(w)
    req = await served_request(w, platform, contract["id"])
    days = nights()
    recorded = []
    for n, night in enumerate(days):
        body = {
            "request_id": req["id"],
            "delivered_on": night.isoformat(),
            "idempotency_key": f"night-{n}",
            "data": {"night": night.isoformat()},
        }
        recorded.append(await ok(await w.post("provider", "/api/deliveries", body), 201))
        again = await w.post("provider", "/api/deliveries", body)  # a retried call
        assert again.status_code == 200
        assert again.json()["id"] == recorded[-1]["id"]
    assert all(d["amount"] == "250.00" for d in recorded)

    twice = await w.post(
        "provider",
        "/api/deliveries",
        {
            "request_id": req["id"],
            "delivered_on": days[0].isoformat(),
            "idempotency_key": "night-again",
            "data": {"night": days[0].isoformat()},
        },
    )
    assert twice.status_code == 409  # one bed-night per person per night
    other = await w.post(
        "provider2",
        "/api/deliveries",
        {
            "request_id": req["id"],
            "delivered_on": days[0].isoformat(),
            "idempotency_key": "x",
            "data": {"night": days[0].isoformat()},
        },
    )
    assert other.status_code == 404  # not this provider's contract

    if len(recorded) > 1:
        voided = await ok(
            await w.post(
                "provider",
                f"/api/deliveries/{recorded[-1]['id']}/void",
                {"reason": "Особа не з'явилася"},
            )
        )
        assert voided["status"] == "voided"
    live = 1 if len(recorded) == 1 else len(recorded) - 1
    expected = f"{250 * live}.00"

    drafted = await ok(
        await w.post("provider", "/api/invoices/run", {"period": delivery_period()}), 201
    )
    assert len(drafted) == 1
    invoice = drafted[0]
    assert invoice["total"] == expected
    assert invoice["deliveries"] == live
    assert invoice["lines"][0]["unit_uk"]
    assert (
        await ok(await w.post("provider", "/api/invoices/run", {"period": delivery_period()}), 201)
        == []
    )

    if len(recorded) > 1:
        late = await w.post(
            "provider", f"/api/deliveries/{recorded[0]['id']}/void", {"reason": "too late"}
        )
        assert late.status_code == 409  # invoiced deliveries cannot be voided

    await ok(await w.post("provider", f"/api/invoices/{invoice['id']}/submit"))
    refused = await w.post("provider", f"/api/invoices/{invoice['id']}/approve")
    assert refused.status_code == 403
    approved = await ok(await w.post("accountant", f"/api/invoices/{invoice['id']}/approve"))
    assert approved["status"] == "approved"
    paid = await ok(
        await w.post(
            "accountant",
            f"/api/invoices/{invoice['id']}/pay",
            {"paid_on": clock.today().isoformat(), "reference": "ПД-7781"},
        )
    )
    assert paid["status"] == "paid"

    line = await ok(await w.get("auditor", f"/api/budget-lines/{contract['budget_line_id']}"))
    assert line["committed"] == "200000.00"
    assert line["paid"] == expected
    assert line["invoiced"] == "0.00"
    report = await ok(
        await w.get(
            "auditor",
            "/api/reports/spending",
            params={"year": delivery_month().year, "by": "provider"},
        )
    )
    assert [(r["label"], r["paid"]) for r in report] == [(contract["provider_name"], expected)]
    use = await ok(await w.get("accountant", "/api/reports/utilisation"))
    assert use[0]["money_used"] == expected
    assert use[0]["money_paid"] == expected

    act = await w.get("provider", f"/api/invoices/{invoice['id']}/act.pdf")
    assert act.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(act.content)).pages[0].extract_text()
    for words in (
        "АКТ №",
        "Без ПДВ",
        "ліжко-ніч",
        "37993783",
        "ЄДРПОУ",
        "грн",
        "копійок",
        contract["number"],
    ):
        assert words in text, words

    register = await w.get(
        "accountant",
        "/api/registers/payments",
        params={"period": delivery_period(), "format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(register.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][3] == "37993783"
    assert rows[1][5] == expected
    assert rows[1][7] == "0813241"
    assert rows[1][8] == "2240"
    xlsx = await w.get(
        "accountant",
        "/api/registers/payments",
        params={"period": delivery_period(), "format": "xlsx"},
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet.cell(row=2, column=3).value == contract["provider_name"]

    actions = {
        r["action"]
        for r in await AuditLog.select(AuditLog.action).where(
            AuditLog.municipality == w.municipality_id
        )
    }
    assert {
        "call.create",
        "bid.submit",
        "bid.score",
        "call.award",
        "contract.create",
        "request.assign",
        "delivery.record",
        "delivery.void",
        "invoice.run",
        "invoice.submit",
        "invoice.approve",
        "invoice.pay",
        "register.read",
    } <= actions


async def test_rejected_invoice_returns_its_deliveries_for_a_new_invoice(
    world: World, platform: Platform
) -> None:
    w = world
    contract = await awarded_contract(w)
    await homeless_person(w)
    req = await served_request(w, platform, contract["id"])
    night = nights()[0]
    await ok(
        await w.post(
            "provider",
            "/api/deliveries",
            {
                "request_id": req["id"],
                "delivered_on": night.isoformat(),
                "idempotency_key": "k1",
                "data": {"night": night.isoformat()},
            },
        ),
        201,
    )
    (invoice,) = await ok(
        await w.post("accountant", "/api/invoices/run", {"period": delivery_period()}), 201
    )
    await ok(await w.post("provider", f"/api/invoices/{invoice['id']}/submit"))
    await ok(
        await w.post(
            "accountant", f"/api/invoices/{invoice['id']}/reject", {"reason": "Не підписано акт"}
        )
    )
    (again,) = await ok(
        await w.post("provider", "/api/invoices/run", {"period": delivery_period()}), 201
    )
    assert again["id"] != invoice["id"]
    assert again["total"] == "250.00"


async def test_award_refused_when_the_budget_line_lacks_money(world: World) -> None:
    from tests.market.flow import budget_line, call, pass_deadline, verify_providers

    w = world
    line = await budget_line(w, "1000.00")
    await verify_providers(w)
    c = await call(w, line["id"])
    bid = await ok(
        await w.post(
            "provider", f"/api/calls/{c['id']}/bids", {"unit_price": "250.00", "volume": "10"}
        ),
        201,
    )
    early = await w.post("admin", f"/api/calls/{c['id']}/award", {})
    assert early.status_code == 409  # the deadline has not passed
    await pass_deadline(c["id"])
    unscored = await w.post("admin", f"/api/calls/{c['id']}/award", {})
    assert unscored.status_code == 409
    await ok(
        await w.post(
            "admin", f"/api/bids/{bid['id']}/score", {"scores": {"price": 50, "quality": 50}}
        )
    )
    r = await w.post("admin", f"/api/calls/{c['id']}/award", {})
    assert r.status_code == 409
    assert r.json()["extra"][0]["key"] == "budget_line_id"
    assert "бракує коштів" in r.json()["detail"]
    line = await ok(await w.get("accountant", f"/api/budget-lines/{line['id']}"))
    assert line["committed"] == "0.00"
    assert (await ok(await w.get("admin", f"/api/calls/{c['id']}")))["status"] == "open"


async def test_bids_are_checked_against_the_call(world: World) -> None:
    from tests.market.flow import budget_line, call, verify_providers

    w = world
    line = await budget_line(w)
    c = await call(w, line["id"])
    unverified = await w.post(
        "provider", f"/api/calls/{c['id']}/bids", {"unit_price": "100", "volume": "1"}
    )
    assert unverified.status_code == 409
    await verify_providers(w)
    for body, field in (
        ({"unit_price": "301", "volume": "1"}, "unit_price"),
        ({"unit_price": "100", "volume": "5000"}, "volume"),
        ({"unit_price": "-1", "volume": "1"}, "unit_price"),
        ({"unit_price": "100", "volume": "1", "answers": {"luck": "x"}}, "answers"),
    ):
        r = await w.post("provider", f"/api/calls/{c['id']}/bids", body)
        # a price not above zero is outside the bounds of money: 422
        assert r.status_code == (422 if body["unit_price"] == "-1" else 400), body
        assert r.json()["extra"][0]["key"] == field
    first = await ok(
        await w.post(
            "provider", f"/api/calls/{c['id']}/bids", {"unit_price": "200", "volume": "10"}
        ),
        201,
    )
    second = await ok(
        await w.post(
            "provider", f"/api/calls/{c['id']}/bids", {"unit_price": "190", "volume": "10"}
        ),
        201,
    )
    assert first["id"] == second["id"]
    assert second["unit_price"] == "190.00"
    seen = await ok(await w.get("caseworker", f"/api/calls/{c['id']}/bids"))
    assert len(seen) == 1
    early = await w.post(
        "caseworker", f"/api/bids/{first['id']}/score", {"scores": {"price": 1, "quality": 1}}
    )
    assert early.status_code == 409  # the commission scores after the deadline


async def test_delivery_checks_refuse_what_the_plugin_refuses(
    world: World, platform: Platform
) -> None:
    w = world
    contract = await awarded_contract(w)
    entry = await homeless_person(w)
    req = await served_request(w, platform, contract["id"])
    # The entry turns out to start tomorrow: on the night delivered the person was not on it.
    from plugins.homeless.tables import HomelessPerson

    await HomelessPerson.update(
        {HomelessPerson.registered_on: clock.today() + timedelta(days=1)}
    ).where(HomelessPerson.id == entry["id"])
    night = clock.today()
    r = await w.post(
        "provider",
        "/api/deliveries",
        {
            "request_id": req["id"],
            "delivered_on": night.isoformat(),
            "idempotency_key": "a",
            "data": {"night": night.isoformat()},
        },
    )
    assert r.status_code == 422
    assert r.json()["extra"][0]["key"] == "homeless.on_register"
    bad = await w.post(
        "provider",
        "/api/deliveries",
        {
            "request_id": req["id"],
            "delivered_on": night.isoformat(),
            "idempotency_key": "b",
            "data": {"night": "someday"},
        },
    )
    assert bad.status_code == 400
    assert bad.json()["extra"][0]["key"] == "data.night"
    future = await w.post(
        "provider",
        "/api/deliveries",
        {
            "request_id": req["id"],
            "delivered_on": f"{clock.today().year + 1}-01-01",
            "idempotency_key": "c",
            "data": {"night": f"{clock.today().year + 1}-01-01"},
        },
    )
    assert future.status_code == 422, future.text  # the core's date rules, before the plugin's
    assert [e["key"] for e in future.json()["extra"]] == [
        "core.delivery_not_future",
        "core.delivery_in_contract_period",
    ]


async def test_assignment_checks_status_service_and_capacity(
    world: World, platform: Platform
) -> None:
    w = world
    contract = await awarded_contract(w)
    await homeless_person(w)
    await homeless_person(w, w.other_citizen_id)
    req = await served_request(w, platform, contract["id"])
    again = await w.post(
        "caseworker", f"/api/requests/{req['id']}/assign", {"contract_id": contract["id"]}
    )
    assert again.status_code == 409  # already assigned
    await ok(await w.post("caseworker", f"/api/requests/{req['id']}/close", {"comment": "done"}))
    detail = await ok(await w.get("caseworker", f"/api/requests/{req['id']}"))
    assert [h["to_status"] for h in detail["history"]] == [
        "submitted",
        "approved",
        "assigned",
        "closed",
    ]
    assert detail["service_code"] == NIGHT


async def test_closing_a_contract_releases_the_unused_money_and_freezes_it(
    world: World, platform: Platform
) -> None:
    w = world
    contract = await awarded_contract(w)
    await homeless_person(w)
    req = await served_request(w, platform, contract["id"])
    night = nights()[0]
    delivery = await ok(
        await w.post(
            "provider",
            "/api/deliveries",
            {
                "request_id": req["id"],
                "delivered_on": night.isoformat(),
                "idempotency_key": "c1",
                "data": {"night": night.isoformat()},
            },
        ),
        201,
    )
    closed = await ok(
        await w.post(
            "admin",
            f"/api/contracts/{contract['id']}/status",
            {"status": "closed", "comment": "Кінець року"},
        )
    )
    assert closed["status"] == "closed"
    assert closed["active_assignments"] == 0
    line = await ok(await w.get("accountant", f"/api/budget-lines/{contract['budget_line_id']}"))
    assert line["committed"] == "250.00"  # only what was used stays committed
    late = await w.post("provider", f"/api/deliveries/{delivery['id']}/void", {"reason": "помилка"})
    assert late.status_code == 409
    again = await w.post("admin", f"/api/contracts/{contract['id']}/status", {"status": "active"})
    assert again.status_code == 409


async def test_cancelling_a_call_needs_a_reason(world: World) -> None:
    from tests.market.flow import budget_line, call

    w = world
    line = await budget_line(w)
    c = await call(w, line["id"])
    r = await w.post("caseworker", f"/api/calls/{c['id']}/cancel", {"comment": " "})
    assert r.status_code == 400
    assert r.json()["extra"][0]["key"] == "comment"
    done = await ok(
        await w.post(
            "caseworker", f"/api/calls/{c['id']}/cancel", {"comment": "Бюджет переглянуто"}
        )
    )
    assert done["status"] == "cancelled"
    bid = await w.post(
        "provider", f"/api/calls/{c['id']}/bids", {"unit_price": "100", "volume": "1"}
    )
    assert bid.status_code == 409
