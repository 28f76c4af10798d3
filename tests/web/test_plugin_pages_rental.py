"""The rental point as desk pages: the inventory by type and state, issuing an item (a
refusal beside its field, what was typed kept) with its act of handover, extending,
returning with damage (the act then adds the return), overdue loans and the waiting list
with its places; the month's billing (preview, run, a second run, a bad month, the
invoice); a role not allowed gets 403, a municipality without the plugin 404."""

from __future__ import annotations

import calendar
from datetime import timedelta

import httpx
import pytest

from core import clock
from core.db.market import Delivery
from core.db.tables import AuditLog
from plugins.rental_aids.tables import RentalLoan as Loan
from tests.market.flow import ok
from tests.plugins.test_rental_aids_api import BASE as API
from tests.plugins.test_rental_aids_api import (
    assigned,
    citizen,
    device_type,
    issue,
    item,
    previous_month,
    rental_contract,
)
from tests.web.conftest import form_token, sign_in
from tests.world import World

BASE = "/desk/ext/rental_aids"


@pytest.mark.world_plugins("rental_aids")
async def test_issue_extend_return_and_lists(world: World, visitor: httpx.AsyncClient) -> None:
    contract = await rental_contract(world)
    req = await assigned(world, contract["id"])
    chair = await item(world, serial="WC-77")
    walker = await item(world, code="walker")
    other = await assigned(world, contract["id"], world.other_citizen_id)
    late = await ok(await issue(world, other["id"], (await item(world))["id"]), 201)
    await Loan.update({Loan.due_on: clock.today() - timedelta(days=3)}).where(Loan.id == late["id"])

    await sign_in(visitor, f"{world.slug}.caseworker")
    home = await visitor.get("/desk/back-office")
    assert f'href="{BASE}/loans"' in home.text
    listed = await visitor.get(f"{BASE}/loans")
    assert listed.status_code == 200, listed.text
    assert "Прострочені повернення: 1" in listed.text
    assert "Прострочено днів: 3" in listed.text
    stock = await visitor.get(f"{BASE}/inventory")
    assert stock.status_code == 200
    assert "Тип wheelchair: усього 2" in stock.text
    assert chair["inventory_number"] in stock.text

    token = form_token(listed.text)
    wrong = await visitor.post(
        f"{BASE}/loans",
        data={
            "_csrf": token,
            "request_id": str(req["id"]),
            "item_id": str(walker["id"]),
            "handover_note": "З підніжками",
        },
    )
    assert wrong.status_code == 409, wrong.text
    assert 'id="item_id-error"' in wrong.text
    assert "З підніжками" in wrong.text
    done = await visitor.post(
        f"{BASE}/loans",
        data={
            "_csrf": token,
            "request_id": str(req["id"]),
            "item_id": str(chair["id"]),
            "handover_note": "З підніжками",
        },
    )
    assert done.status_code == 303, done.text
    loan_href = done.headers["location"].split("?")[0]
    loan = await visitor.get(done.headers["location"])
    assert "Засіб видано." in loan.text
    assert f'href="{loan_href}/act.pdf"' in loan.text
    pdf = await visitor.get(f"{loan_href}/act.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")

    token = form_token(loan.text)
    extended = await visitor.post(
        f"{loan_href}/extend",
        data={
            "_csrf": token,
            "conclusion_number": "Н-2",
            "conclusion_date": clock.today().isoformat(),
        },
    )
    assert extended.status_code == 303, extended.text
    no_note = await visitor.post(
        f"{loan_href}/return", data={"_csrf": token, "condition": "damaged", "days": ""}
    )
    assert no_note.status_code == 400
    assert 'id="damage_note-error"' in no_note.text
    assert 'value="damaged" selected' in no_note.text
    back = await visitor.post(
        f"{loan_href}/return",
        data={
            "_csrf": token,
            "condition": "damaged",
            "damage_noted": "on",
            "damage_note": "Тріснула рама",
            "cleaning_done": "on",
        },
    )
    assert back.status_code == 303, back.text
    after = await visitor.get(back.headers["location"])
    assert "Повернення прийнято." in after.text
    assert "Тріснула рама" in after.text
    assert "Акт приймання-передачі та повернення (PDF)" in after.text
    assert "/return" not in after.text

    third = await citizen(world, "Коваль")
    await device_type(world, "bed")  # none in stock: the request waits
    queued = await assigned(world, contract["id"], third, device_type="bed")
    await ok(
        await world.post("caseworker", f"{API}/waiting-list", {"request_id": queued["id"]}), 201
    )
    queue = await visitor.get(f"{BASE}/waiting")
    assert queue.status_code == 200
    assert "Черга: 1" in queue.text
    assert "Коваль Марія" in queue.text
    actions = {
        r["action"]
        for r in await AuditLog.select(AuditLog.action).where(
            AuditLog.municipality == world.municipality_id
        )
    }
    assert {
        "rental_aids.loan.list",
        "rental_aids.loan.read",
        "rental_aids.act_pdf",
        "rental_aids.waiting.list",
    } <= actions


@pytest.mark.world_plugins("rental_aids")
async def test_roles_not_allowed_get_403(world: World, visitor: httpx.AsyncClient) -> None:
    await sign_in(visitor, f"{world.slug}.auditor")
    listed = await visitor.get(f"{BASE}/loans")
    assert listed.status_code == 200
    assert f'action="{BASE}/loans"' not in listed.text
    refused = await visitor.post(
        f"{BASE}/loans", data={"_csrf": form_token(listed.text), "request_id": "1"}
    )
    assert refused.status_code == 403


@pytest.mark.world_plugins("homeless")
async def test_closed_where_the_plugin_is_not_enabled(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.caseworker")
    home = await visitor.get("/desk/back-office")
    assert f"{BASE}/loans" not in home.text
    r = await visitor.get(f"{BASE}/inventory")
    assert r.status_code == 404
    assert "<html" in r.text


@pytest.mark.world_plugins("rental_aids")
async def test_the_month_is_previewed_billed_once_and_its_invoice_linked(
    world: World, visitor: httpx.AsyncClient
) -> None:
    contract = await rental_contract(world, per_day="10.00", cleaning="25.50")
    start, _ = previous_month()
    month = f"{start:%Y-%m}"
    length = calendar.monthrange(start.year, start.month)[1]
    out = await assigned(world, contract["id"], received=start)
    back = await assigned(world, contract["id"], world.other_citizen_id, received=start)
    issued = (start + timedelta(days=5)).isoformat()
    kept = await ok(await issue(world, out["id"], (await item(world))["id"], issued_on=issued), 201)
    returned = await ok(
        await issue(world, back["id"], (await item(world))["id"], issued_on=issued), 201
    )
    await ok(
        await world.post(
            "provider",
            f"{API}/loans/{returned['id']}/return",
            {
                "condition": "good",
                "returned_on": (start + timedelta(days=15)).isoformat(),
                "cleaning_done": True,
            },
        )
    )

    await sign_in(visitor, f"{world.slug}.provider")
    listed = await visitor.get(f"{BASE}/loans")
    assert f'href="{BASE}/billing"' in listed.text
    shown = await visitor.get(f"{BASE}/billing")  # last month by default
    assert shown.status_code == 200, shown.text
    assert f'value="{month}"' in shown.text
    assert f"Видача № {kept['id']} — предмет-дні" in shown.text
    assert f"Видача № {returned['id']} — очищення після повернення" in shown.text
    assert "10,00\xa0грн за предмет-день" in shown.text
    assert "25,50\xa0грн за очищення" in shown.text
    total = (length - 5) * 10 + 10 * 10 + 25.5
    assert f"{total:.2f}".replace(".", ",") + "\xa0грн" in shown.text
    assert "буде записано" in shown.text
    assert "уже записано" not in shown.text
    assert await Delivery.count().where(Delivery.contract == contract["id"]) == 0  # a preview

    token = form_token(shown.text)
    run = await visitor.post(f"{BASE}/billing", data={"_csrf": token, "month": month})
    assert run.status_code == 303, run.text
    done = await visitor.get(run.headers["location"])
    assert f"Місяць {month} виставлено: записано надань — 3." in done.text
    assert "уже записано" in done.text
    assert "буде записано" not in done.text
    assert f"Рахунку за {month} ще немає" in done.text
    assert await Delivery.count().where(Delivery.contract == contract["id"]) == 3

    again = await visitor.post(f"{BASE}/billing", data={"_csrf": token, "month": month})
    assert again.status_code == 303, again.text
    repeated = await visitor.get(again.headers["location"])
    assert f"Місяць {month} уже виставлено: нового не записано" in repeated.text
    assert await Delivery.count().where(Delivery.contract == contract["id"]) == 3

    (invoice,) = await ok(await world.post("provider", "/api/invoices/run", {"period": month}), 201)
    english = await visitor.get(f"{BASE}/billing", params={"month": month, "lang": "en"})
    assert f"{month} is billed" not in english.text
    assert f"Everything of {month} is recorded." in english.text
    assert "UAH\xa010.00 per item-day" in english.text
    href = f"/desk/provider/invoices?month={month}#invoice-{invoice['id']}"
    assert f'href="{href}"' in english.text
    assert f"Invoice No. {invoice['number']}" in english.text
    assert (await visitor.get(href.split("#")[0])).status_code == 200

    await visitor.post("/sign-out", data={"_csrf": form_token(english.text)})
    await sign_in(visitor, f"{world.slug}.accountant")
    seen = await visitor.get(f"{BASE}/billing", params={"month": month})
    assert seen.status_code == 200
    assert f"/desk/accounts/invoices?status=draft#invoice-{invoice['id']}" in seen.text


@pytest.mark.world_plugins("rental_aids")
async def test_a_bad_month_or_nothing_to_bill_is_named_beside_the_month(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await rental_contract(world)
    start, _ = previous_month()
    month = f"{start:%Y-%m}"
    await sign_in(visitor, f"{world.slug}.admin")
    empty = await visitor.get(f"{BASE}/billing")
    assert empty.status_code == 200
    assert 'id="month-error"' in empty.text
    assert f"Місяць: за {month} немає чого виставити" in empty.text
    assert "Виставити за місяць" not in empty.text
    token = form_token(empty.text)
    nothing = await visitor.post(f"{BASE}/billing", data={"_csrf": token, "month": month})
    assert nothing.status_code == 400
    assert f"Місяць: за {month} немає чого виставити" in nothing.text
    english = await visitor.post(f"{BASE}/billing?lang=en", data={"_csrf": token, "month": month})
    assert english.status_code == 400
    assert f"Month: nothing to bill for {month}" in english.text

    nxt = clock.today().replace(day=28) + timedelta(days=5)
    future = await visitor.post(  # the address chose English above: back to Ukrainian
        f"{BASE}/billing?lang=uk", data={"_csrf": token, "month": f"{nxt:%Y-%m}"}
    )
    assert future.status_code == 400
    assert 'id="month-error"' in future.text
    assert "Місяць: місяць ще не почався" in future.text
    ahead = await visitor.get(f"{BASE}/billing", params={"month": f"{nxt:%Y-%m}", "lang": "en"})
    assert ahead.status_code == 400
    assert "Month: the month has not begun" in ahead.text
    await visitor.get(f"{BASE}/billing", params={"lang": "uk"})
    for bad in ("2026-13", "03-2026", ""):
        wrong = await visitor.post(f"{BASE}/billing", data={"_csrf": token, "month": bad})
        assert wrong.status_code == 400, bad
        assert "Місяць: вкажіть рік і місяць у вигляді РРРР-ММ" in wrong.text
        assert 'aria-invalid="true"' in wrong.text

    await visitor.post("/sign-out", data={"_csrf": token})
    await sign_in(visitor, f"{world.slug}.caseworker")
    listed = await visitor.get(f"{BASE}/loans")
    assert f"{BASE}/billing" not in listed.text
    assert (await visitor.get(f"{BASE}/billing")).status_code == 403
