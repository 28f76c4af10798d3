"""Lump sums to citizens go through the same budget lines and payment register."""

from __future__ import annotations

import csv
import io
from typing import Any

from core import clock
from core.db.tables import Request
from tests.funeral import funeral_form
from tests.market.flow import budget_line, ok, period
from tests.world import World

FUNERAL = "funeral_aid.lump_sum"


async def _approve(w: World) -> tuple[dict[str, Any], Any]:
    req = await ok(
        await w.post(
            "intake",
            "/api/requests",
            {"service_code": FUNERAL, "citizen_id": w.citizen_id, "form": funeral_form()},
        ),
        201,
    )
    return req, await w.post(
        "caseworker", f"/api/requests/{req['id']}/decision", {"decision": "approve"}
    )


async def test_approved_funeral_aid_becomes_a_payout_on_its_budget_line(world: World) -> None:
    w = world
    line = await budget_line(w, "10000.00", code="2730", lump_sums=[FUNERAL])
    req, decision = await _approve(w)
    assert decision.status_code == 200, decision.text
    payouts = await ok(await w.get("accountant", "/api/payouts"))
    assert len(payouts) == 1
    payout = payouts[0]
    assert payout["amount"] == "3209.00"
    assert payout["budget_line_id"] == line["id"]
    assert payout["payee_name"].startswith("Шевченко")
    assert payout["iban"] == funeral_form()["iban"]
    figures = await ok(await w.get("accountant", f"/api/budget-lines/{line['id']}"))
    assert figures["committed"] == "3209.00"
    assert figures["invoiced"] == "3209.00"  # due, not yet paid

    register = await w.get(
        "accountant", "/api/registers/payments", params={"period": period(), "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(register.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "payout"
    assert rows[1][8] == "2730"
    assert "Допомога на поховання" in rows[1][6]
    assert rows[1][1] == req["journal_number"]

    paid = await ok(
        await w.post(
            "accountant",
            f"/api/payouts/{payout['id']}/pay",
            {"paid_on": clock.today().isoformat(), "reference": "ПД-1"},
        )
    )
    assert paid["status"] == "paid"
    figures = await ok(await w.get("accountant", f"/api/budget-lines/{line['id']}"))
    assert figures["paid"] == "3209.00"
    assert figures["remaining"] == "6791.00"
    again = await w.post(
        "accountant",
        f"/api/payouts/{payout['id']}/pay",
        {"paid_on": clock.today().isoformat(), "reference": "ПД-2"},
    )
    assert again.status_code == 409


async def test_approval_refused_when_the_line_lacks_the_money(world: World) -> None:
    w = world
    await budget_line(w, "100.00", code="2730", lump_sums=[FUNERAL])
    req, decision = await _approve(w)
    assert decision.status_code == 409
    assert decision.json()["extra"][0]["key"] == "budget_line_id"
    status = await Request.select(Request.status).where(Request.id == req["id"]).first()
    assert status is not None
    assert status["status"] == "submitted"
    assert await ok(await w.get("accountant", "/api/payouts")) == []


async def test_unfunded_payout_needs_a_line_when_paid(world: World) -> None:
    w = world
    _, decision = await _approve(w)
    assert decision.status_code == 200
    (payout,) = await ok(await w.get("accountant", "/api/payouts"))
    assert payout["budget_line_id"] is None
    r = await w.post(
        "accountant",
        f"/api/payouts/{payout['id']}/pay",
        {"paid_on": clock.today().isoformat(), "reference": "ПД-3"},
    )
    assert r.status_code == 400
    assert r.json()["extra"][0]["key"] == "budget_line_id"
    line = await budget_line(w, "5000.00", code="2730")
    paid = await ok(
        await w.post(
            "accountant",
            f"/api/payouts/{payout['id']}/pay",
            {
                "paid_on": clock.today().isoformat(),
                "reference": "ПД-3",
                "budget_line_id": line["id"],
            },
        )
    )
    assert paid["budget_line_id"] == line["id"]
