"""The rental point's inventory: device types (the admin's list) and items.

A provider's user manages only the items of its own rental point; staff read them all.
An item that becomes available is offered to the next person waiting for its type.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from core.sdk import (
    Actor,
    Conflict,
    Invalid,
    NotFound,
    Provider,
    Text,
    audit,
    clock,
    write_transaction,
)
from plugins.rental_aids import waiting
from plugins.rental_aids.common import amount_kop, money_or_none, own_provider
from plugins.rental_aids.residual import residual_value
from plugins.rental_aids.schemas import (
    DeviceTypeIn,
    DeviceTypeOut,
    DeviceTypePatch,
    ItemIn,
    ItemOut,
    ItemPatch,
)
from plugins.rental_aids.tables import RentalDeviceType, RentalItem, RentalWaiting

DT, IT = RentalDeviceType, RentalItem


def _type_out(row: dict[str, Any]) -> DeviceTypeOut:
    return DeviceTypeOut(
        id=row["id"],
        code=row["code"],
        name=Text(row["name_uk"], row["name_en"]),
        active=row["active"],
        service_life_months=row["service_life_months"],
    )


async def list_types(actor: Actor) -> list[DeviceTypeOut]:
    rows = await DT.select().where(DT.municipality == actor.municipality_id).order_by(DT.code)
    return [_type_out(r) for r in rows]


async def create_type(actor: Actor, body: DeviceTypeIn) -> DeviceTypeOut:
    async with write_transaction():
        if await DT.exists().where(
            (DT.municipality == actor.municipality_id) & (DT.code == body.code)
        ):
            raise Conflict(f"тип «{body.code}» уже є / the type already exists", "code")
        row = DT(
            municipality=actor.municipality_id,
            code=body.code,
            name_uk=body.name_uk.strip(),
            name_en=body.name_en.strip(),
            active=body.active,
            service_life_months=body.service_life_months,
        )
        await row.save()
        await audit.record(
            actor,
            "rental.type.create",
            "rental_device_type",
            row.id,
            {"code": body.code, "service_life_months": body.service_life_months},
        )
    return _type_out(await _type_row(actor, int(row.id)))


async def _type_row(actor: Actor, type_id: int) -> dict[str, Any]:
    row = (
        await DT.select()
        .where((DT.id == type_id) & (DT.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound(f"тип {type_id} не знайдено / device type not found", "type_id")
    return row


async def update_type(actor: Actor, type_id: int, body: DeviceTypePatch) -> DeviceTypeOut:
    await _type_row(actor, type_id)
    changes = {k: v for k, v in msgspec.structs.asdict(body).items() if v is not msgspec.UNSET}
    if changes:
        async with write_transaction():
            await DT.update({getattr(DT, k): v for k, v in changes.items()}).where(DT.id == type_id)
            await audit.record(actor, "rental.type.update", "rental_device_type", type_id, changes)
    return _type_out(await _type_row(actor, type_id))


def _item_columns() -> tuple[Any, ...]:
    return (
        *IT.all_columns(),
        IT.device_type.code.as_alias("device_code"),
        IT.device_type.name_uk.as_alias("name_uk"),
        IT.device_type.name_en.as_alias("name_en"),
        IT.device_type.service_life_months.as_alias("service_life_months"),
    )


async def _offers(item_ids: list[int]) -> dict[int, int]:
    if not item_ids:
        return {}
    rows = await RentalWaiting.select(RentalWaiting.id, RentalWaiting.offered_item).where(
        RentalWaiting.offered_item.is_in(item_ids) & (RentalWaiting.status == "offered")
    )
    return {r["offered_item"]: r["id"] for r in rows}


def _item_out(row: dict[str, Any], offers: dict[int, int]) -> ItemOut:
    value = money_or_none(row["purchase_value_kop"])
    residual = residual_value(value, row["acquired_on"], row["service_life_months"], clock.today())
    return ItemOut(
        id=row["id"],
        device_code=row["device_code"],
        device_name=Text(row["name_uk"], row["name_en"]),
        provider_id=row["provider"],
        inventory_number=row["inventory_number"],
        serial=row["serial"],
        condition=row["condition"],
        location=row["location"],
        status=row["status"],
        note=row["note"],
        purchase_value=value,
        acquired_on=row["acquired_on"],
        residual_value=None if residual is None else residual.value,
        offered_to=offers.get(row["id"]),
    )


async def item_row(actor: Actor, item_id: int, field: str = "item_id") -> dict[str, Any]:
    row = (
        await IT.select(*_item_columns())
        .where((IT.id == item_id) & (IT.municipality == actor.municipality_id))
        .first()
    )
    mine = own_provider(actor)
    if row is None or (mine is not None and row["provider"] != mine):
        raise NotFound(f"предмет {item_id} не знайдено / item not found", field)
    return row


async def read_item(actor: Actor, item_id: int) -> ItemOut:
    row = await item_row(actor, item_id)
    return _item_out(row, await _offers([item_id]))


async def list_items(
    actor: Actor, *, device_code: str | None, status: str | None, page: int, page_size: int
) -> tuple[list[ItemOut], int]:
    where: Any = IT.municipality == actor.municipality_id
    mine = own_provider(actor)
    if mine is not None:
        where = where & (IT.provider == mine)
    if device_code:
        where = where & (IT.device_type.code == device_code)
    if status:
        where = where & (IT.status == status)
    total = await IT.count().where(where)
    rows = (
        await IT.select(*_item_columns())
        .where(where)
        .order_by(IT.inventory_number)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    offers = await _offers([r["id"] for r in rows])
    return [_item_out(r, offers) for r in rows], total


def _acquired(day: date | None) -> date | None:
    if day is not None and not date(1950, 1, 1) <= day <= clock.today():
        raise Invalid(
            "дата придбання в майбутньому або до 1950 року / acquired_on is in the future or "
            "before 1950",
            "acquired_on",
        )
    return day


def _value_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The item's value fields of a patch as columns: UAH to kopiyky, dates checked."""
    if "purchase_value" in changes:
        value = changes.pop("purchase_value")
        changes["purchase_value_kop"] = (
            None if value is None else amount_kop(value, "purchase_value")
        )
    if "acquired_on" in changes:
        changes["acquired_on"] = _acquired(changes["acquired_on"])
    return changes


async def create_item(actor: Actor, body: ItemIn) -> ItemOut:
    provider = own_provider(actor) or body.provider_id
    if provider is None:
        raise Invalid("зазначте пункт прокату (надавача) / provider_id is required", "provider_id")
    if actor.role == "provider" and body.provider_id not in (None, provider):
        raise Invalid("лише свій пункт прокату / only your own rental point", "provider_id")
    if not await Provider.exists().where(
        (Provider.id == provider) & (Provider.municipality == actor.municipality_id)
    ):
        raise Invalid(f"надавача {provider} не знайдено / provider not found", "provider_id")
    kind = (
        await DT.select(DT.id, DT.active)
        .where((DT.municipality == actor.municipality_id) & (DT.code == body.device_code))
        .first()
    )
    if kind is None or not kind["active"]:
        raise Invalid(f"тип «{body.device_code}» не знайдено / unknown device type", "device_code")
    number = body.inventory_number.strip()
    if not number:
        raise Invalid("інвентарний номер порожній / inventory_number is empty", "inventory_number")
    value = (
        None if body.purchase_value is None else amount_kop(body.purchase_value, "purchase_value")
    )
    acquired = _acquired(body.acquired_on)
    async with write_transaction():
        if await IT.exists().where(
            (IT.municipality == actor.municipality_id) & (IT.inventory_number == number)
        ):
            raise Conflict(
                f"інвентарний номер {number} уже є / inventory number already used",
                "inventory_number",
            )
        row = IT(
            municipality=actor.municipality_id,
            device_type=kind["id"],
            provider=provider,
            inventory_number=number,
            serial=body.serial.strip(),
            condition=body.condition,
            location=body.location.strip(),
            status="available",
            note=body.note,
            purchase_value_kop=value,
            acquired_on=acquired,
        )
        await row.save()
        await waiting.offer_next(actor, int(row.id))
        await audit.record(
            actor,
            "rental.item.create",
            "rental_item",
            row.id,
            {"inventory": number, "purchase_value_kop": value, "acquired_on": acquired},
        )
    return await read_item(actor, int(row.id))


async def update_item(actor: Actor, item_id: int, body: ItemPatch) -> ItemOut:
    row = await item_row(actor, item_id)
    changes = _value_changes(
        {k: v for k, v in msgspec.structs.asdict(body).items() if v is not msgspec.UNSET}
    )
    status = changes.get("status")
    if status is not None and row["status"] == "on_loan" and status != "on_loan":
        raise Conflict(
            "предмет у прокаті: спершу оформіть повернення / the item is on loan: record its "
            "return first",
            "status",
        )
    if not changes:
        return await read_item(actor, item_id)
    async with write_transaction():
        await IT.update({getattr(IT, k): v for k, v in changes.items()}).where(IT.id == item_id)
        if status is not None and status != "available":
            await waiting.withdraw_offer(actor, item_id)
        if status == "available" and row["status"] != "available":
            await waiting.offer_next(actor, item_id)
        await audit.record(actor, "rental.item.update", "rental_item", item_id, changes)
    return await read_item(actor, item_id)
