"""The set-wise path for many deliveries of one contract (``delivery_batch.record_batch``):
each delivery gets the checks and the outcome a single ``record`` gives it, the caps are
taken in the order given, and a batch run again stores nothing twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core import clock
from core.db.market import Contract, Delivery, DeliverySheet
from core.db.quality import DeliveryRefusal
from core.db.tables import AuditLog
from core.errors import Conflict, NotFound
from core.platform import Platform
from core.workflow.market import deliveries
from core.workflow.market.deliveries import NOT_FUTURE, DeliveryIn, DeliveryRefused
from core.workflow.market.delivery_batch import record_batch, refusal_text
from core.workflow.requests import FormInvalid
from tests.market.flow import awarded_contract, homeless_person, nights, served_request
from tests.world import World

HYGIENE = "homeless.hygiene"


def _item(req: dict[str, Any], key: str, kind: str = "shower", day: int = 0) -> DeliveryIn:
    return DeliveryIn(
        request_id=req["id"],
        delivered_on=nights()[day],
        idempotency_key=key,
        data={"kind": kind},
    )


async def _contract_used(contract_id: int) -> tuple[int, int]:
    row = await Contract.select(Contract.used_kop, Contract.money_cap_kop).where(
        Contract.id == contract_id
    )
    return int(row[0]["used_kop"]), int(row[0]["money_cap_kop"])


async def _served(world: World, platform: Platform) -> tuple[dict[str, Any], dict[str, Any]]:
    contract = await awarded_contract(world, HYGIENE)
    await homeless_person(world)
    return contract, await served_request(world, platform, contract["id"], HYGIENE)


async def test_a_batch_records_each_once_with_sheet_caps_and_audit(
    world: World, platform: Platform
) -> None:
    contract, req = await _served(world, platform)
    actor = world.actors["provider"]
    items = [_item(req, f"batch-{n}", day=n % 3) for n in range(5)]
    used_before, _ = await _contract_used(contract["id"])

    out = await record_batch(platform, actor, contract["id"], items)

    assert [o.refusal for o in out] == [None] * 5
    assert all(o.created for o in out)
    ids = [o.delivery_id for o in out]
    rows = await Delivery.select().where(Delivery.id.is_in([i for i in ids if i]))
    assert {r["idempotency_key"] for r in rows} == {f"batch-{n}" for n in range(5)}
    assert {r["status"] for r in rows} == {"recorded"}
    # Priced as a single delivery is.
    single, created = await deliveries.record(platform, actor, _item(req, "single"))
    assert created
    assert {r["amount_kop"] for r in rows} == {int(single.amount * 100)}
    used_after, _ = await _contract_used(contract["id"])
    assert used_after - used_before == 6 * int(single.amount * 100)
    sheet = await DeliverySheet.select().where(DeliverySheet.id == rows[0]["sheet"]).first()
    assert sheet is not None
    assert sheet["deliveries"] == 6
    audited = await AuditLog.count().where(
        (AuditLog.action == "delivery.record") & AuditLog.subject_id.is_in([i for i in ids if i])
    )
    assert audited == 5

    again = await record_batch(platform, actor, contract["id"], items)

    assert [(o.delivery_id, o.created, o.refusal) for o in again] == [(i, False, None) for i in ids]
    assert (await _contract_used(contract["id"]))[0] == used_after
    sheet_again = await DeliverySheet.select().where(DeliverySheet.id == rows[0]["sheet"]).first()
    assert sheet_again is not None
    assert sheet_again["deliveries"] == 6


async def test_each_refusal_is_its_deliverys_and_the_others_are_recorded(
    world: World, platform: Platform
) -> None:
    contract, req = await _served(world, platform)
    actor = world.actors["provider"]
    first = await record_batch(platform, actor, contract["id"], [_item(req, "kept")])
    assert first[0].created
    other = await served_request(world, platform, contract["id"], HYGIENE)
    await DeliveryRefusal.delete().where(DeliveryRefusal.contract == contract["id"])
    future = DeliveryIn(
        request_id=req["id"],
        delivered_on=clock.today() + timedelta(days=1),
        idempotency_key="future",
        data={"kind": "shower"},
    )
    items = [
        _item(req, "kept", kind="laundry"),  # a used key, another delivery
        future,
        _item(req, "bad-form", kind="no-such-kind"),
        DeliveryIn(
            request_id=999_999_999,
            delivered_on=nights()[0],
            idempotency_key="not-assigned",
            data={"kind": "shower"},
        ),
        _item(other, "fine"),
    ]

    out = await record_batch(platform, actor, contract["id"], items)

    assert isinstance(out[0].refusal, Conflict)
    assert out[0].refusal.field == "idempotency_key"
    assert isinstance(out[1].refusal, DeliveryRefused)
    # Tomorrow may also lie past the contract's end (on 31 December): that rule may join.
    assert NOT_FUTURE in [f.rule for f in out[1].refusal.findings]
    assert "майбутньому" in refusal_text(out[1].refusal)
    assert isinstance(out[2].refusal, FormInvalid)
    assert isinstance(out[3].refusal, NotFound)
    assert out[4].refusal is None
    assert out[4].created
    assert not await Delivery.exists().where(
        Delivery.idempotency_key.is_in(["future", "bad-form", "not-assigned"])
        & (Delivery.contract == contract["id"])
    )
    refusals = await DeliveryRefusal.select().where(DeliveryRefusal.contract == contract["id"])
    assert [r["request"] for r in refusals] == [req["id"]]
    assert NOT_FUTURE in refusals[0]["rules"]


async def test_the_caps_hold_in_the_order_given(world: World, platform: Platform) -> None:
    contract, req = await _served(world, platform)
    actor = world.actors["provider"]
    single, _ = await deliveries.record(platform, actor, _item(req, "first"))
    price = int(single.amount * 100)
    used, _ = await _contract_used(contract["id"])
    await Contract.update({Contract.money_cap_kop: used + 2 * price}).where(
        Contract.id == contract["id"]
    )
    items = [_item(req, f"cap-{n}") for n in range(3)]

    out = await record_batch(platform, actor, contract["id"], items)

    assert [o.created for o in out] == [True, True, False]
    assert isinstance(out[2].refusal, Conflict)
    assert "ліміт коштів" in out[2].refusal.message
    assert "money cap" in out[2].refusal.message
    assert await _contract_used(contract["id"]) == (used + 2 * price, used + 2 * price)


async def test_a_contract_not_in_force_refuses_the_whole_batch(
    world: World, platform: Platform
) -> None:
    contract, req = await _served(world, platform)
    await Contract.update({Contract.status: "suspended"}).where(Contract.id == contract["id"])
    out = await record_batch(platform, world.actors["provider"], contract["id"], [_item(req, "x")])
    assert isinstance(out[0].refusal, Conflict)
    assert not await Delivery.exists().where(Delivery.contract == contract["id"])
