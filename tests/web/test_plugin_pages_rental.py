"""The rental point as desk pages: the inventory by type and state, issuing an item (a
refusal beside its field, what was typed kept) with its act of handover, extending,
returning with damage (the act then adds the return), overdue loans and the waiting list
with its places; a role not allowed gets 403, a municipality without the plugin 404."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from core import clock
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
