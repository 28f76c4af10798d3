"""The waiting list: requests waiting for an item of their type at the rental point.

Served in order of priority — waiting for a state-issued device first, then persons with
disability, then others — and then by the date of the request. When an item becomes
available (returned in order, repaired, newly stocked) it is offered to the first person
waiting for its type; while offered, it is issued only to that person.
"""

from __future__ import annotations

from typing import Any

from core.sdk import Actor, Conflict, NotFound, Text, audit, clock, decode, write_transaction
from plugins.rental_aids.assigned import assigned_request
from plugins.rental_aids.common import full_name, own_provider
from plugins.rental_aids.schemas import WaitingIn, WaitingOut
from plugins.rental_aids.tables import RentalItem, RentalWaiting

W = RentalWaiting
LIVE = ("waiting", "offered")
LABELS = {
    0: Text("Очікує засіб від держави", "Waiting for a state-issued device"),
    1: Text("Особа з інвалідністю", "Person with disability"),
    2: Text("Інші заявники", "Other applicants"),
}


def priority_of(form: dict[str, Any], applicant: dict[str, Any]) -> int:
    if form.get("waiting_for_state_device"):
        return 0
    if form.get("has_disability_certificate") or applicant.get("disability_group") is not None:
        return 1
    return 2


def _columns() -> tuple[Any, ...]:
    return (
        *W.all_columns(),
        W.citizen.last_name.as_alias("last_name"),
        W.citizen.first_name.as_alias("first_name"),
        W.citizen.patronymic.as_alias("patronymic"),
    )


def _queue_order(query: Any) -> Any:
    return query.order_by(W.priority).order_by(W.requested_on).order_by(W.id)


def _out(row: dict[str, Any], position: int | None) -> WaitingOut:
    return WaitingOut(
        id=row["id"],
        request_id=row["request"],
        citizen_id=row["citizen"],
        citizen_name=full_name(row),
        provider_id=row["provider"],
        device_code=row["device_code"],
        priority=row["priority"],
        priority_label=LABELS.get(row["priority"], LABELS[2]),
        requested_on=row["requested_on"],
        position=position,
        status=row["status"],
        offered_item_id=row["offered_item"],
        note=row["note"],
    )


async def offer_next(actor: Actor, item_id: int) -> int | None:
    """Offer an available item to the first person waiting for its type; the entry's id.

    Call inside a write transaction."""
    item = (
        await RentalItem.select(
            RentalItem.id,
            RentalItem.status,
            RentalItem.provider,
            RentalItem.municipality,
            RentalItem.device_type.code.as_alias("code"),
        )
        .where(RentalItem.id == item_id)
        .first()
    )
    if item is None or item["status"] != "available":
        return None
    if await W.exists().where((W.offered_item == item_id) & (W.status == "offered")):
        return None
    first = await _queue_order(
        W.select(W.id).where(
            (W.municipality == item["municipality"])
            & (W.provider == item["provider"])
            & (W.device_code == item["code"])
            & (W.status == "waiting")
        )
    ).first()
    if first is None:
        return None
    await W.update({W.status: "offered", W.offered_item: item_id, W.offered_at: clock.now()}).where(
        (W.id == first["id"]) & (W.status == "waiting")
    )
    await audit.record(
        actor, "rental.waiting.offer", "rental_waiting", first["id"], {"item": item_id}
    )
    return int(first["id"])


async def withdraw_offer(actor: Actor, item_id: int) -> None:
    """The offered item is no longer free: its person waits again, first in line."""
    await W.update({W.status: "waiting", W.offered_item: None, W.offered_at: None}).where(
        (W.offered_item == item_id) & (W.status == "offered")
    )


async def mark_served(actor: Actor, request_id: int, item_id: int) -> None:
    """The request got an item: its entry is served; an item offered to it but not taken
    goes to the next person. Call inside a write transaction."""
    rows = await W.select(W.offered_item).where(
        (W.request == request_id) & W.status.is_in(list(LIVE))
    )
    await W.update({W.status: "served", W.closed_at: clock.now(), W.offered_item: None}).where(
        (W.request == request_id) & W.status.is_in(list(LIVE))
    )
    for row in rows:
        if row["offered_item"] is not None and row["offered_item"] != item_id:
            await offer_next(actor, row["offered_item"])


async def offered_elsewhere(item_id: int, request_id: int) -> int | None:
    """The waiting entry of another request the item is offered to, if any."""
    row = (
        await W.select(W.id)
        .where((W.offered_item == item_id) & (W.status == "offered") & (W.request != request_id))
        .first()
    )
    return None if row is None else int(row["id"])


async def position(row: dict[str, Any]) -> int | None:
    if row["status"] != "waiting":
        return None
    ahead = await W.count().where(
        (W.municipality == row["municipality"])
        & (W.provider == row["provider"])
        & (W.device_code == row["device_code"])
        & (W.status == "waiting")
        & (
            (W.priority < row["priority"])
            | ((W.priority == row["priority"]) & (W.requested_on < row["requested_on"]))
            | (
                (W.priority == row["priority"])
                & (W.requested_on == row["requested_on"])
                & (W.id < row["id"])
            )
        )
    )
    return int(ahead) + 1


async def _row(actor: Actor, entry_id: int) -> dict[str, Any]:
    row = (
        await W.select(*_columns())
        .where((W.id == entry_id) & (W.municipality == actor.municipality_id))
        .first()
    )
    mine = own_provider(actor)
    if row is None or (mine is not None and row["provider"] != mine):
        raise NotFound(f"запис черги {entry_id} не знайдено / entry not found", "entry_id")
    return row


async def read(actor: Actor, entry_id: int) -> WaitingOut:
    row = await _row(actor, entry_id)
    return _out(row, await position(row))


async def free_items(municipality_id: int, provider_id: int, code: str) -> list[dict[str, Any]]:
    """The rental point's available items of the type not offered to the waiting list
    (``id``, ``inventory_number``), in id order."""
    free = await RentalItem.select(RentalItem.id, RentalItem.inventory_number).where(
        (RentalItem.municipality == municipality_id)
        & (RentalItem.provider == provider_id)
        & (RentalItem.device_type.code == code)
        & (RentalItem.status == "available")
    )
    offered = {
        r["offered_item"]
        for r in await W.select(W.offered_item).where(
            (W.municipality == municipality_id) & (W.status == "offered")
        )
    }
    return sorted((f for f in free if f["id"] not in offered), key=lambda f: int(f["id"]))


async def live_entry(request_id: int) -> int | None:
    """The request's waiting-list entry still waiting or offered an item, if any."""
    row = await W.select(W.id).where((W.request == request_id) & W.status.is_in(list(LIVE))).first()
    return None if row is None else int(row["id"])


async def enqueue(actor: Actor, body: WaitingIn) -> WaitingOut:
    req, contract = await assigned_request(actor, body.request_id)
    form = decode(req["form"], {})
    code = form.get("device_type", "")
    async with write_transaction():
        free = await free_items(actor.municipality_id, contract["provider"], code)
        if free:
            raise Conflict(
                f"є вільний предмет {free[0]['inventory_number']}: видайте його / an item is "
                "available: issue it",
                "request_id",
            )
        if await W.exists().where((W.request == body.request_id) & W.status.is_in(list(LIVE))):
            raise Conflict("звернення вже в черзі / the request is already waiting", "request_id")
        row = W(
            municipality=actor.municipality_id,
            request=body.request_id,
            citizen=req["citizen"],
            provider=contract["provider"],
            device_code=code,
            priority=priority_of(form, decode(req["applicant_snapshot"], {})),
            requested_on=req["received_on"],
            status="waiting",
            note=body.note,
            created_by=actor.id,
        )
        await row.save()
        await audit.record(
            actor, "rental.waiting.add", "rental_waiting", row.id, {"request": body.request_id}
        )
    return await read(actor, int(row.id))


async def listing(actor: Actor, *, device_code: str | None, status: str | None) -> list[WaitingOut]:
    where: Any = W.municipality == actor.municipality_id
    mine = own_provider(actor)
    if mine is not None:
        where = where & (W.provider == mine)
    if device_code:
        where = where & (W.device_code == device_code)
    where = where & (W.status == status) if status else where & W.status.is_in(list(LIVE))
    rows = await _queue_order(W.select(*_columns()).where(where).order_by(W.device_code))
    places: dict[tuple[int, str], int] = {}
    out = []
    for r in rows:
        place = None
        if r["status"] == "waiting":
            key = (r["provider"], r["device_code"])
            places[key] = place = places.get(key, 0) + 1
        out.append(_out(r, place))
    return out


async def cancel(actor: Actor, entry_id: int) -> WaitingOut:
    row = await _row(actor, entry_id)
    if row["status"] not in LIVE:
        raise Conflict("запис уже закрито / the entry is already closed", "entry_id")
    async with write_transaction():
        done = (
            await W.update({W.status: "cancelled", W.closed_at: clock.now(), W.offered_item: None})
            .where((W.id == entry_id) & W.status.is_in(list(LIVE)))
            .returning(W.id)
        )
        if not done:
            raise Conflict("запис уже закрито / the entry is already closed", "entry_id")
        if row["offered_item"] is not None:
            await offer_next(actor, row["offered_item"])
        await audit.record(actor, "rental.waiting.cancel", "rental_waiting", entry_id)
    return await read(actor, entry_id)
