"""Households: the people who live and keep house together (subsidies count them)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from core.actor import Actor
from core.db.engine import write_transaction
from core.db.tables import Citizen, Household
from core.errors import Forbidden, Invalid, NotFound
from core.schemas import CitizenOut, RowId
from core.workflow import audit
from core.workflow.citizens import to_out


class HouseholdIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    settlement: Annotated[str, msgspec.Meta(max_length=128)] = ""
    address: Annotated[str, msgspec.Meta(max_length=500)] = ""
    member_ids: Annotated[list[RowId], msgspec.Meta(min_length=1, max_length=50)]


class HouseholdOut(msgspec.Struct, kw_only=True):
    id: int
    settlement: str
    address: str
    members: list[CitizenOut]


async def _members_exist(actor: Actor, ids: list[int]) -> None:
    found = await Citizen.select(Citizen.id).where(
        (Citizen.municipality == actor.municipality_id) & Citizen.id.is_in(ids)
    )
    missing = sorted(set(ids) - {r["id"] for r in found})
    if missing:
        raise Invalid(f"громадян не знайдено / citizens not found: {missing}", "member_ids")


async def create(actor: Actor, body: HouseholdIn) -> HouseholdOut:
    ids = list(dict.fromkeys(body.member_ids))
    await _members_exist(actor, ids)
    async with write_transaction():
        row = Household(
            municipality=actor.municipality_id, settlement=body.settlement, address=body.address
        )
        await row.save()
        await Citizen.update({Citizen.household: row.id}).where(Citizen.id.is_in(ids))
        await audit.record(actor, "household.create", "household", row.id, {"members": ids})
    return await read(actor, int(row.id))


async def read(actor: Actor, household_id: int) -> HouseholdOut:
    row = (
        await Household.select()
        .where((Household.id == household_id) & (Household.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound(f"домогосподарство {household_id} не знайдено / not found", "household_id")
    members: list[dict[str, Any]] = (
        await Citizen.select().where(Citizen.household == household_id).order_by(Citizen.birth_date)
    )
    if actor.role == "citizen" and actor.citizen_id not in {m["id"] for m in members}:
        raise Forbidden("доступ лише до власного домогосподарства / only your own", "household_id")
    await audit.read(actor, "household.read", "household", household_id)
    return HouseholdOut(
        id=row["id"],
        settlement=row["settlement"],
        address=row["address"],
        members=[to_out(m) for m in members],
    )
