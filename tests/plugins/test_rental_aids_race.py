"""Two requests reach for one item: the loser's 409 says the item went to someone else
and offers the waiting list (the entry to create, or the other free items to issue), or,
with ``queue_if_taken``, puts the request on the waiting list at once (202)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from plugins.rental_aids import waiting
from tests.market.flow import ok
from tests.plugins.test_rental_aids_api import BASE, assigned, issue, item, rental_contract
from tests.world import World

WAITING = f"{BASE}/waiting-list"


def offer_of(r: Any) -> dict[str, Any]:
    assert r.status_code == 409, r.text
    body = r.json()
    assert set(body) == {"status_code", "detail", "extra"}
    assert body["status_code"] == 409
    (entry,) = body["extra"]
    assert entry["key"] == "item_id"
    assert entry["message"] == body["detail"]
    return dict(entry["waiting_list"])


async def test_the_loser_of_a_race_for_an_item_is_offered_the_waiting_list(world: World) -> None:
    w = world
    contract = await rental_contract(w)
    chair = await item(w)
    one = await assigned(w, contract["id"], w.citizen_id)
    two = await assigned(w, contract["id"], w.other_citizen_id)
    results = await asyncio.gather(
        issue(w, one["id"], chair["id"]), issue(w, two["id"], chair["id"], role="caseworker")
    )
    assert sorted(r.status_code for r in results) == [201, 409], [r.text for r in results]
    won = next(r for r in results if r.status_code == 201).json()
    lost = next(r for r in results if r.status_code == 409)
    loser = two["id"] if won["request_id"] == one["id"] else one["id"]
    offer = offer_of(lost)
    assert offer == {
        "request_id": loser,
        "device_code": "wheelchair",
        "available_items": [],
        "entry_id": None,
        "enqueue": {"method": "POST", "path": WAITING, "body": {"request_id": loser}},
    }
    text = lost.json()["detail"]
    assert "іншому заявникові" in text
    assert "queue_if_taken" in text
    entry = await ok(
        await w.post("caseworker", offer["enqueue"]["path"], offer["enqueue"]["body"]), 201
    )
    assert (entry["request_id"], entry["status"], entry["position"]) == (loser, "waiting", 1)


async def test_a_parallel_issue_between_the_read_and_the_claim_is_named(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The item was free when the call read it and taken before its claim: "just issued to
    someone else" (the parallel issue is played by marking the item on loan right there)."""
    w = world
    contract = await rental_contract(w)
    chair = await item(w)
    req = await assigned(w, contract["id"])
    original = waiting.offered_elsewhere

    async def someone_else_wins(item_id: int, request_id: int) -> int | None:
        from plugins.rental_aids.tables import RentalItem

        await RentalItem.update({RentalItem.status: "on_loan"}).where(RentalItem.id == item_id)
        return await original(item_id, request_id)

    monkeypatch.setattr(waiting, "offered_elsewhere", someone_else_wins)
    r = await issue(w, req["id"], chair["id"])
    offer = offer_of(r)
    assert "не вільний: його щойно видано іншому заявникові" in r.json()["detail"]
    assert "it was just issued to someone else" in r.json()["detail"]
    assert offer["enqueue"] == {
        "method": "POST",
        "path": WAITING,
        "body": {"request_id": req["id"]},
    }


async def test_queue_if_taken_puts_the_request_on_the_waiting_list(world: World) -> None:
    w = world
    contract = await rental_contract(w)
    chair = await item(w)
    first = await assigned(w, contract["id"], w.citizen_id)
    second = await assigned(w, contract["id"], w.other_citizen_id)
    await ok(await issue(w, first["id"], chair["id"]), 201)

    queued = await issue(w, second["id"], chair["id"], queue_if_taken=True)
    assert queued.status_code == 202, queued.text
    entry = queued.json()
    assert (entry["request_id"], entry["status"], entry["device_code"]) == (
        second["id"],
        "waiting",
        "wheelchair",
    )
    assert entry["position"] == 1
    again = await issue(w, second["id"], chair["id"], queue_if_taken=True)
    assert again.status_code == 202
    assert again.json()["id"] == entry["id"]  # already waiting: its entry, not a second
    plain = offer_of(await issue(w, second["id"], chair["id"]))
    assert plain["entry_id"] == entry["id"]
    assert plain["enqueue"] is None
    listed = await ok(await w.get("provider", WAITING))
    assert [x["request_id"] for x in listed] == [second["id"]]


async def test_another_free_item_is_offered_instead_of_the_queue(world: World) -> None:
    w = world
    contract = await rental_contract(w)
    chair, spare = await item(w), await item(w)
    first = await assigned(w, contract["id"], w.citizen_id)
    second = await assigned(w, contract["id"], w.other_citizen_id)
    await ok(await issue(w, first["id"], chair["id"]), 201)
    r = await issue(w, second["id"], chair["id"], queue_if_taken=True)
    offer = offer_of(r)  # an item is free: issue it, no waiting
    assert offer["available_items"] == [
        {"id": spare["id"], "inventory_number": spare["inventory_number"]}
    ]
    assert offer["enqueue"] is None
    assert spare["inventory_number"] in r.json()["detail"]
    assert (await ok(await w.get("provider", WAITING))) == []
    await ok(await issue(w, second["id"], spare["id"]), 201)
