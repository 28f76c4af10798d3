"""News of an invoice to its provider: rejected (with the reason) and paid, an e-mail to
the address on the provider's record, written in the transaction that moves the invoice
(rolled back with it), none when the record has no address; delivered by the outbox's
job."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from core import clock
from core.db.market import Invoice
from core.db.tables import OutboxMessage, Provider
from core.notify import invoice_news
from core.platform import Platform
from core.workflow.market import invoices
from core.workflow.market.invoices import RejectIn
from tests.mailbox import Mailbox, body
from tests.market.flow import ok
from tests.plugins.test_rental_aids_api import (
    BASE,
    assigned,
    issue,
    item,
    previous_month,
    rental_contract,
)
from tests.web.test_trip_notices import deliver
from tests.world import World

MINE = pytest.mark.world_plugins("rental_aids")


async def _news(w: World) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await OutboxMessage.select()
        .where(
            (OutboxMessage.municipality == w.municipality_id)
            & OutboxMessage.event.is_in(["invoice.rejected", "invoice.paid"])
        )
        .order_by(OutboxMessage.id)
    )
    return rows


async def _submitted(w: World, month: str) -> dict[str, Any]:
    """The month's invoice of the rental point, drafted and submitted."""
    (invoice,) = await ok(await w.post("provider", "/api/invoices/run", {"period": month}), 201)
    await ok(await w.post("provider", f"/api/invoices/{invoice['id']}/submit"))
    out: dict[str, Any] = invoice
    return out


@MINE
async def test_rejected_and_paid_invoices_are_e_mailed_to_the_provider(
    world: World, platform: Platform, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = world
    contract = await rental_contract(w)
    start, _ = previous_month()
    month = f"{start:%Y-%m}"
    req = await assigned(w, contract["id"], received=start)
    chair = await item(w)
    issued, back = start + timedelta(days=6), start + timedelta(days=22)
    loan = await ok(await issue(w, req["id"], chair["id"], issued_on=issued.isoformat()), 201)
    returned = {"condition": "good", "returned_on": back.isoformat()}
    await ok(await w.post("provider", f"{BASE}/loans/{loan['id']}/return", returned))
    await ok(await w.post("provider", f"{BASE}/billing/run", {"month": month}))

    # No address on the provider's record: the reject is told to no one.
    first = await _submitted(w, month)
    reason = {"reason": "Акт не підписано"}
    await ok(await w.post("accountant", f"/api/invoices/{first['id']}/reject", reason))
    assert await _news(w) == []

    address = f"rental.point.{w.slug}@example.org"
    await Provider.update({Provider.email: f" {address} "}).where(Provider.id == w.provider_id)
    second = await _submitted(w, month)

    # The message is part of the reject's transaction: a reject that fails after it was
    # written leaves neither the move nor the message.
    moved = invoice_news.invoice_moved

    async def then_fail(invoice_id: int, status: str) -> int | None:
        await moved(invoice_id, status)
        raise RuntimeError("the transaction breaks after the message")

    monkeypatch.setattr(invoice_news, "invoice_moved", then_fail)
    with pytest.raises(RuntimeError):
        await invoices.reject(platform, w.actors["accountant"], second["id"], RejectIn(**reason))
    monkeypatch.setattr(invoice_news, "invoice_moved", moved)
    status = await Invoice.select(Invoice.status).where(Invoice.id == second["id"]).first()
    assert status == {"status": "submitted"}
    assert await _news(w) == []

    await ok(await w.post("accountant", f"/api/invoices/{second['id']}/reject", reason))
    (rejected,) = await _news(w)
    assert (rejected["event"], rejected["channel"], rejected["recipient"]) == (
        "invoice.rejected",
        "email",
        address,
    )
    assert rejected["citizen"] is None
    assert rejected["subject"] == (
        f"Рахунок № {second['number']}: відхилено / Invoice No. {second['number']}: rejected"
    )
    text = rejected["body"]
    period = f"{start:%m.%Y}"
    assert f"Рахунок № {second['number']} за {period}" in text
    assert "258,97 грн) відхилено. Причина: Акт не підписано" in text
    assert text.index("Причина") < text.index("———") < text.index("Reason: Акт не підписано")
    assert "UAH 258.97" in text
    assert "[[site]]/desk/provider/invoices" in text

    # Invoiced again, approved and paid: the payment is told.
    third = await _submitted(w, month)
    await ok(await w.post("accountant", f"/api/invoices/{third['id']}/approve"))
    paid = {"paid_on": clock.today().isoformat(), "reference": "ПД-1187"}
    await ok(await w.post("accountant", f"/api/invoices/{third['id']}/pay", paid))
    assert [m["event"] for m in await _news(w)] == ["invoice.rejected", "invoice.paid"]
    told = (await _news(w))[1]
    assert f"оплачено {clock.today():%d.%m.%Y}, платіжне доручення ПД-1187" in told["body"]
    assert f"was paid on {clock.today():%d.%m.%Y}, payment order ПД-1187" in told["body"]

    await deliver(platform, w.slug)
    mails = smtp.to(address)
    assert len(mails) == 2
    assert "https://hromada.test/desk/provider/invoices" in body(mails[0])
    assert "Лист надіслано на адресу електронної пошти" in body(mails[1])
