"""The accountant's desk: invoices waiting for approval (the submitter's approve button
disabled with the reason), reject with a reason, approve, pay with the payment order;
budget lines with their figures; reports and registers."""

from __future__ import annotations

from typing import Any

import httpx

from core import clock
from core.platform import Platform
from tests.market.flow import (
    awarded_contract,
    delivery_period,
    homeless_person,
    nights,
    ok,
    served_request,
)
from tests.plugins.test_subsidies_api import second_accountant
from tests.web.conftest import form_token, sign_in
from tests.world import World

HYGIENE = "homeless.hygiene"


async def _submitted_invoice(w: World, platform: Platform, submitter: str) -> dict[str, Any]:
    contract = await awarded_contract(w, HYGIENE)
    await homeless_person(w)
    req = await served_request(w, platform, contract["id"], HYGIENE)
    await ok(
        await w.post(
            "provider",
            "/api/deliveries",
            {
                "request_id": req["id"],
                "delivered_on": nights()[0].isoformat(),
                "idempotency_key": "shower-1",
                "data": {"kind": "shower"},
            },
        ),
        201,
    )
    made = await ok(
        await w.post("accountant", "/api/invoices/run", {"period": delivery_period()}), 201
    )
    invoice: dict[str, Any] = await ok(
        await w.post(submitter, f"/api/invoices/{made[0]['id']}/submit")
    )
    return invoice


async def test_four_eyes_visible_then_reject_approve_and_pay(
    world: World, visitor: httpx.AsyncClient, platform: Platform
) -> None:
    invoice = await _submitted_invoice(world, platform, "accountant")
    key = f"invoice-{invoice['id']}"
    await sign_in(visitor, f"{world.slug}.accountant")
    waiting = await visitor.get("/desk/accounts/invoices")
    assert waiting.status_code == 200
    assert invoice["number"] in waiting.text
    assert "принцип чотирьох очей" in waiting.text  # the submitter may not approve
    item = waiting.text.split(f'<li id="{key}">')[1].split('<li id="invoice-')[0]
    assert "disabled" in item.split("/approve")[1].split("</form>")[0]

    # The submitter rejects it for correction instead (a reason is needed).
    short = await visitor.post(
        f"/desk/accounts/invoices/{invoice['id']}/reject",
        data={"_csrf": form_token(waiting.text), "reason": "no", "status": "submitted"},
    )
    assert short.status_code == 400
    assert f'id="{key}-error"' in short.text
    rejected = await visitor.post(
        f"/desk/accounts/invoices/{invoice['id']}/reject",
        data={
            "_csrf": form_token(waiting.text),
            "reason": "Акт не підписано",
            "status": "submitted",
        },
    )
    assert rejected.status_code == 303, rejected.text
    listed = await visitor.get("/desk/accounts/invoices?status=rejected")
    assert "Акт не підписано" in listed.text

    # Submitted again by another accountant: this one may approve, then pay.
    await second_accountant(world)
    again = await ok(
        await world.post("accountant", "/api/invoices/run", {"period": delivery_period()}), 201
    )
    invoice = await ok(await world.post("accountant2", f"/api/invoices/{again[0]['id']}/submit"))
    key = f"invoice-{invoice['id']}"
    waiting = await visitor.get("/desk/accounts/invoices")
    approved = await visitor.post(
        f"/desk/accounts/invoices/{invoice['id']}/approve",
        data={"_csrf": form_token(waiting.text), "status": "submitted"},
    )
    assert approved.status_code == 303, approved.text
    to_pay = await visitor.get("/desk/accounts/invoices?status=approved")
    no_ref = await visitor.post(
        f"/desk/accounts/invoices/{invoice['id']}/pay",
        data={"_csrf": form_token(to_pay.text), "status": "approved", "paid_on": "2026-01-01"},
    )
    assert no_ref.status_code == 400
    assert f'id="{key}-error"' in no_ref.text
    paid_on = clock.today().isoformat()
    paid = await visitor.post(
        f"/desk/accounts/invoices/{invoice['id']}/pay",
        data={
            "_csrf": form_token(to_pay.text),
            "status": "approved",
            "reference": "ПД-117",
            "paid_on": paid_on,
        },
    )
    assert paid.status_code == 303, paid.text
    shown = await visitor.get("/desk/accounts/invoices?status=paid")
    assert "ПД-117" in shown.text

    budget = await visitor.get("/desk/accounts/budget")
    assert budget.status_code == 200
    assert "<meter" in budget.text
    reports = await visitor.get("/desk/accounts/reports")
    assert reports.status_code == 200
    assert 'action="/desk/accounts/register/export"' in reports.text


async def test_accountant_pages_are_the_accountants(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.caseworker")
    refused = await visitor.get("/desk/accounts/payouts")
    assert refused.status_code == 403
    await visitor.post("/sign-out", data={"_csrf": form_token(refused.text)})
    await sign_in(visitor, f"{world.slug}.accountant")
    payouts = await visitor.get("/desk/accounts/payouts")
    assert payouts.status_code == 200
    assert "Виплат до оплати немає." in payouts.text
