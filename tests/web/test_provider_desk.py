"""The provider's desk: its contracts with the people assigned (an audited read), the
month grid recording bed-nights (a refused day said beside itself, the rest recorded, a
second sending recording nothing twice), the form for a service that needs one, the
month's sheet with void, and running and submitting the month's invoice; other roles get
403 and another provider's contract is 404."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import httpx

from core import clock
from core.actor import Actor
from core.db.market import Delivery
from core.db.tables import AuditLog, Citizen
from core.errors import NotFound
from core.platform import Platform
from plugins.homeless.tables import HomelessPerson
from tests.jobs.data import complete
from tests.market.flow import (
    NIGHT,
    delivery_month,
    delivery_period,
    direct_contract,
    homeless_person,
    nights,
    ok,
    served_request,
)
from tests.web.conftest import form_token, sign_in
from tests.world import World

HYGIENE = "homeless.hygiene"


async def _night_contract(w: World, platform: Platform, service: str = NIGHT) -> dict[str, Any]:
    end = date(clock.today().year, 12, 31)
    contract = await direct_contract(w, delivery_month(), end, service=service)
    await homeless_person(w)
    await served_request(w, platform, contract["id"], service)
    return contract


async def _cells(w: World, contract_id: int) -> int:
    return await Delivery.count().where(
        (Delivery.contract == contract_id) & (Delivery.status == "recorded")
    )


async def test_contracts_page_names_the_people_served(
    world: World, visitor: httpx.AsyncClient, platform: Platform
) -> None:
    contract = await _night_contract(world, platform)
    await sign_in(visitor, f"{world.slug}.provider")
    page = await visitor.get("/desk/provider/contracts")
    assert page.status_code == 200, page.text
    citizen = await Citizen.select().where(Citizen.id == world.citizen_id).first()
    assert citizen is not None
    assert contract["number"] in page.text
    assert citizen["last_name"] in page.text
    assert "Ковель" in page.text  # the settlement of the applicant's snapshot
    assert f"/desk/provider/contracts/{contract['id']}/deliveries" in page.text
    assert 'href="/desk/provider/invoices"' in page.text  # the menu
    row = (
        await AuditLog.select(AuditLog.details)
        .where(AuditLog.action == "assignment.list")
        .order_by(AuditLog.id, ascending=False)
        .first()
    )
    assert row is not None
    assert json.loads(row["details"])["citizen_ids"] == [world.citizen_id]


async def test_of_contract_hides_another_providers_contract(
    world: World, platform: Platform
) -> None:
    from core.workflow.market import assignments

    contract = await _night_contract(world, platform)
    mine = await assignments.of_contract(world.actors["provider"], contract["id"])
    assert [p.citizen_id for p in mine] == [world.citizen_id]
    assert mine[0].settlement == "Ковель"
    other: Actor = world.actors["provider"].__class__(
        **{
            **{
                f: getattr(world.actors["provider"], f)
                for f in world.actors["provider"].__struct_fields__
            },
            "provider_id": world.other_provider_id,
        }
    )
    try:
        await assignments.of_contract(other, contract["id"])
    except NotFound:
        pass
    else:
        raise AssertionError("another provider read the contract's people")


async def test_grid_records_ticked_days_refuses_one_beside_it_and_records_once(
    world: World, visitor: httpx.AsyncClient, platform: Platform
) -> None:
    contract = await _night_contract(world, platform)
    # The person was taken on the register only on the second night: the first is refused.
    first, second, third = nights()
    await HomelessPerson.update({HomelessPerson.registered_on: second}).where(
        HomelessPerson.citizen == world.citizen_id
    )
    await sign_in(visitor, f"{world.slug}.provider")
    url = f"/desk/provider/contracts/{contract['id']}/deliveries"
    grid = await visitor.get(url, params={"month": delivery_period()})
    assert grid.status_code == 200, grid.text
    req_id = grid.text.split('name="cell" value="')[1].split(":")[0]
    cells = [f"{req_id}:{d.isoformat()}" for d in (first, second, third)]
    for cell in cells:
        assert f'value="{cell}"' in grid.text
    future = date.fromordinal(clock.today().toordinal() + 1)
    assert f'value="{req_id}:{future.isoformat()}"' not in grid.text  # no future days
    form = {"_csrf": form_token(grid.text), "month": delivery_period(), "cell": cells}
    sent = await visitor.post(url, data=form)
    assert sent.status_code == 400
    cell_id = f"cell-{req_id}-{first.day}"
    assert f'id="{cell_id}-error"' in sent.text
    error = sent.text.split(f'id="{cell_id}-error"')[1].split("</p>")[0]
    assert "на облік" in error  # the plugin's reason, in words
    assert f'aria-describedby="{cell_id}-error"' in sent.text
    assert await _cells(world, contract["id"]) == 2  # the rest is recorded

    # The same form sent again records nothing twice.
    again = await visitor.post(url, data=form)
    assert again.status_code == 400
    assert await _cells(world, contract["id"]) == 2
    keys = {
        r["idempotency_key"]
        for r in await Delivery.select(Delivery.idempotency_key).where(
            Delivery.contract == contract["id"]
        )
    }
    assert keys == {f"desk:{c}" for c in cells[1:]}

    # Without the refused day it is a success, and the days show as recorded.
    ok_form = {**form, "cell": cells[1:]}
    done = await visitor.post(url, data=ok_form)
    assert done.status_code == 303
    assert "again=2" in done.headers["location"]
    shown = await visitor.get(done.headers["location"])
    assert "✓" in shown.text
    assert f'value="{cells[1]}"' not in shown.text


async def test_form_for_a_service_with_choices(
    world: World, visitor: httpx.AsyncClient, platform: Platform
) -> None:
    contract = await _night_contract(world, platform, HYGIENE)
    await sign_in(visitor, f"{world.slug}.provider")
    url = f"/desk/provider/contracts/{contract['id']}/deliveries"
    page = await visitor.get(url, params={"month": delivery_period()})
    assert page.status_code == 200, page.text
    assert 'name="data.kind"' in page.text
    assert "Душ" in page.text  # the choice in words (Service.delivery_labels)
    assert 'name="cell"' not in page.text
    req_id = page.text.split('<option value="')[2].split('"')[0]
    nonce = page.text.split('name="nonce" value="')[1].split('"')[0]
    body = {
        "_csrf": form_token(page.text),
        "month": delivery_period(),
        "nonce": nonce,
        "request_id": req_id,
        "delivered_on": nights()[0].isoformat(),
    }
    missing = await visitor.post(url + "/one", data=body)
    assert missing.status_code == 400
    assert 'id="data-kind-error"' in missing.text
    assert nights()[0].isoformat() in missing.text  # what was typed is kept
    done = await visitor.post(url + "/one", data={**body, "data.kind": "shower"})
    assert done.status_code == 303, done.text
    twice = await visitor.post(url + "/one", data={**body, "data.kind": "shower"})
    assert twice.status_code == 303
    assert twice.headers["location"].endswith("done=again")
    assert await _cells(world, contract["id"]) == 1


async def test_sheet_void_then_run_and_submit_the_invoice(
    world: World, visitor: httpx.AsyncClient, platform: Platform
) -> None:
    contract = await _night_contract(world, platform)
    await sign_in(visitor, f"{world.slug}.provider")
    url = f"/desk/provider/contracts/{contract['id']}/deliveries"
    grid = await visitor.get(url, params={"month": delivery_period()})
    req_id = grid.text.split('name="cell" value="')[1].split(":")[0]
    cells = [f"{req_id}:{d.isoformat()}" for d in nights()]
    token = form_token(grid.text)
    await visitor.post(url, data={"_csrf": token, "month": delivery_period(), "cell": cells})
    assert await _cells(world, contract["id"]) == 3

    sheet = await visitor.get("/desk/provider/deliveries", params={"month": delivery_period()})
    assert sheet.status_code == 200
    assert contract["number"] in sheet.text
    first = (
        await Delivery.select(Delivery.id)
        .where(Delivery.contract == contract["id"])
        .order_by(Delivery.id)
        .first()
    )
    assert first is not None
    void_url = f"/desk/provider/deliveries/{first['id']}/void"
    short = await visitor.post(
        void_url, data={"_csrf": token, "month": delivery_period(), "reason": "x"}
    )
    assert short.status_code == 400
    assert f'id="delivery-{first["id"]}-error"' in short.text
    voided = await visitor.post(
        void_url, data={"_csrf": token, "month": delivery_period(), "reason": "Помилковий день"}
    )
    assert voided.status_code == 303
    assert await _cells(world, contract["id"]) == 2
    # The voided day is offered again, and recording it takes a new key.
    regrid = await visitor.get(url, params={"month": delivery_period()})
    assert f'value="{cells[0]}"' in regrid.text
    again = await visitor.post(
        url, data={"_csrf": token, "month": delivery_period(), "cell": [cells[0]]}
    )
    assert again.status_code == 303
    assert "made=1" in again.headers["location"]
    assert await _cells(world, contract["id"]) == 3

    bills = await visitor.get("/desk/provider/invoices")
    assert bills.status_code == 200
    bad = await visitor.post("/desk/provider/invoices/run", data={"_csrf": token, "month": "x"})
    assert bad.status_code == 400
    assert 'id="month-error"' in bad.text
    ran = await visitor.post(
        "/desk/provider/invoices/run", data={"_csrf": token, "month": delivery_period()}
    )
    assert ran.status_code == 303
    assert "job=" in ran.headers["location"]
    job_id = int(ran.headers["location"].rsplit("job=", 1)[1])
    job = await complete(platform, job_id)
    assert (job.state, job.result["invoices"]) == ("done", 1)
    listed = await visitor.get(ran.headers["location"])
    assert "Складено рахунків: 1" in listed.text
    assert "750,00" in listed.text.replace("\u00a0", " ")  # 3 × 250.00
    invoice = (await ok(await world.get("provider", "/api/invoices")))[0]
    assert f"/api/invoices/{invoice['id']}/act.pdf" in listed.text
    submitted = await visitor.post(
        f"/desk/provider/invoices/{invoice['id']}/submit", data={"_csrf": token}
    )
    assert submitted.status_code == 303
    assert (await ok(await world.get("provider", f"/api/invoices/{invoice['id']}")))[
        "status"
    ] == "submitted"
    pdf = await visitor.get(f"/api/invoices/{invoice['id']}/act.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"

    # The accountant rejects it: the provider reads the reason.
    await ok(
        await world.post(
            "accountant", f"/api/invoices/{invoice['id']}/reject", {"reason": "Акт не підписано"}
        )
    )
    rejected = await visitor.get("/desk/provider/invoices")
    assert "Акт не підписано" in rejected.text


async def test_other_roles_403_and_another_providers_contract_404(
    world: World, visitor: httpx.AsyncClient, platform: Platform
) -> None:
    contract = await _night_contract(world, platform)
    body = {
        "provider_id": world.other_provider_id,
        "service_code": NIGHT,
        "period_start": contract["period_start"],
        "period_end": contract["period_end"],
        "tariff": {"unit_price": "200.00"},
        "volume_cap": "10",
        "money_cap": "2000.00",
        "budget_line_id": contract["budget_line_id"],
    }
    other = await ok(await world.post("admin", "/api/contracts", body), 201)
    await sign_in(visitor, f"{world.slug}.provider")
    listed = await visitor.get("/desk/provider/contracts")
    assert other["number"] not in listed.text
    hidden = await visitor.get(f"/desk/provider/contracts/{other['id']}/deliveries")
    assert hidden.status_code == 404
    token = form_token(listed.text)
    posted = await visitor.post(
        f"/desk/provider/contracts/{other['id']}/deliveries",
        data={"_csrf": token, "month": delivery_period()},
    )
    assert posted.status_code == 404

    async with httpx.AsyncClient(
        transport=visitor._transport, base_url="http://testserver", headers={"Accept": "text/html"}
    ) as clerk:
        await sign_in(clerk, f"{world.slug}.caseworker")
        for path in (
            "/desk/provider/contracts",
            f"/desk/provider/contracts/{contract['id']}/deliveries",
            "/desk/provider/deliveries",
            "/desk/provider/invoices",
        ):
            assert (await clerk.get(path)).status_code == 403, path


def test_delivery_labels_cover_their_structs(platform: Platform) -> None:
    from core.form_fields import label_problems

    labelled = [s for s in platform.host.services.values() if s.delivery and s.delivery_labels]
    assert labelled
    for service in labelled:
        assert service.delivery is not None
        assert label_problems(service.delivery, service.delivery_labels) == [], service.code
