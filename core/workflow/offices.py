"""Offices: front offices (ЦНАП), remote workplaces in starosta offices, back offices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import msgspec

from core.actor import Actor
from core.db.tables import Office
from core.workflow import audit

if TYPE_CHECKING:
    from core.platform import Platform

OfficeKind = Literal["front_office", "remote_workplace", "back_office"]


class OfficeIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=2, max_length=255)]
    kind: OfficeKind
    settlement: Annotated[str, msgspec.Meta(max_length=128)] = ""
    address: Annotated[str, msgspec.Meta(max_length=500)] = ""
    schedule: Annotated[str, msgspec.Meta(max_length=500)] = ""
    phone: Annotated[str, msgspec.Meta(max_length=32)] = ""


class OfficeOut(OfficeIn, kw_only=True):
    id: int


async def listing(municipality_id: int, *, public_only: bool) -> list[OfficeOut]:
    query = Office.select().where(Office.municipality == municipality_id)
    if public_only:
        query = query.where(Office.kind != "back_office")
    rows = await query.order_by(Office.kind).order_by(Office.name)
    return [
        msgspec.convert({k: v for k, v in r.items() if k != "municipality"}, OfficeOut)
        for r in rows
    ]


async def create(platform: Platform, actor: Actor, body: OfficeIn) -> OfficeOut:
    row = Office(municipality=actor.municipality_id, **msgspec.structs.asdict(body))
    await row.save()
    await audit.record(actor, "office.create", "office", row.id, {"name": body.name})
    platform.forget()  # the service pages list the offices; other processes within cache_seconds
    return OfficeOut(id=row.id, **msgspec.structs.asdict(body))
