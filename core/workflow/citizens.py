"""Citizens: register, read, update, search. Every read of personal data is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from core import clock, validators
from core.actor import Actor
from core.db.tables import Citizen, Household
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.platform import decode
from core.schemas import CitizenIn, CitizenOut, CitizenPatch, Page
from core.service import Applicant, HouseholdRecord
from core.workflow import audit


def to_out(row: dict[str, Any]) -> CitizenOut:
    data = dict(row)
    data["categories"] = decode(row["categories"], [])
    data["household_id"] = row["household"]
    return msgspec.convert(data, CitizenOut, from_attributes=False, strict=False)


async def snapshot_with_household(row: dict[str, Any]) -> Applicant:
    """The snapshot with the citizen's recorded household: its size and its members'
    birth dates, the citizen's first (with none recorded the size is 1, the household
    ``None``: its facts are unknown to the rules)."""
    applicant = snapshot(row)
    if row["household"] is None:
        return msgspec.structs.replace(applicant, household_size=1)
    members = (
        await Citizen.select(Citizen.id, Citizen.birth_date)
        .where(Citizen.household == row["household"])
        .order_by(Citizen.id)
    )
    members.sort(key=lambda m: m["id"] != row["id"])
    record = HouseholdRecord(birth_dates=tuple(m["birth_date"] for m in members))
    return msgspec.structs.replace(applicant, household_size=len(members), household=record)


def snapshot(row: dict[str, Any]) -> Applicant:
    """The frozen applicant facts a decision is made on."""
    return Applicant(
        citizen_id=row["id"],
        last_name=row["last_name"],
        first_name=row["first_name"],
        patronymic=row["patronymic"],
        birth_date=row["birth_date"],
        tax_number=row["tax_number"],
        settlement=row["settlement"],
        address=row["address"],
        categories=tuple(decode(row["categories"], [])),
        disability_group=row["disability_group"],
    )


def full_name(row: dict[str, Any]) -> str:
    return " ".join(p for p in (row["last_name"], row["first_name"], row["patronymic"]) if p)


def search_name(last: str, first: str, patronymic: str) -> str:
    return " ".join(p for p in (last, first, patronymic) if p).lower()


async def _check(actor: Actor, data: dict[str, Any], citizen_id: int | None = None) -> None:
    if data.get("tax_number"):
        data["tax_number"] = validators.tax_number(data["tax_number"])
        clash = Citizen.select(Citizen.id).where(
            (Citizen.municipality == actor.municipality_id)
            & (Citizen.tax_number == data["tax_number"])
        )
        if citizen_id is not None:
            clash = clash.where(Citizen.id != citizen_id)
        if await clash.first():
            raise Conflict(
                "громадянин з таким РНОКПП уже є / a citizen with this tax number exists",
                "tax_number",
            )
    elif "tax_number" in data:
        data["tax_number"] = None
    if data.get("birth_date") and data["birth_date"] > clock.today():
        raise Invalid("дата народження в майбутньому / birth date is in the future", "birth_date")
    household = data.pop("household_id", None)
    if household is not None:
        found = await Household.exists().where(
            (Household.id == household) & (Household.municipality == actor.municipality_id)
        )
        if not found:
            raise Invalid("домогосподарство не знайдено / household not found", "household_id")
    if "household_id" in data or household is not None:
        data["household"] = household
    if "categories" in data:
        data["categories"] = msgspec.json.encode(sorted(set(data["categories"]))).decode()


async def create(actor: Actor, body: CitizenIn) -> CitizenOut:
    data = msgspec.structs.asdict(body)
    had_household = data["household_id"] is not None
    await _check(actor, data)
    if not had_household:
        data.pop("household", None)
    data["search_name"] = search_name(body.last_name, body.first_name, body.patronymic)
    row = Citizen(municipality=actor.municipality_id, **data)
    await row.save()
    await audit.record(actor, "citizen.create", "citizen", row.id)
    return await read(actor, row.id, audited=False)


async def _row(actor: Actor, citizen_id: int) -> dict[str, Any]:
    if actor.role == "citizen" and actor.citizen_id != citizen_id:
        raise Forbidden("доступ лише до власних даних / only your own record", "citizen_id")
    row = (
        await Citizen.select()
        .where((Citizen.id == citizen_id) & (Citizen.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound(f"громадянина {citizen_id} не знайдено / citizen not found", "citizen_id")
    return row


async def read(actor: Actor, citizen_id: int, *, audited: bool = True) -> CitizenOut:
    row = await _row(actor, citizen_id)
    if audited:
        await audit.read(actor, "citizen.read", "citizen", citizen_id)
    return to_out(row)


#: What a citizen may change on their own record: how to reach them. Everything else
#: (names, birth date, tax number, gender, settlement, categories, disability group,
#: household) is what eligibility rests on or who the person is, and only staff record it.
CITIZEN_EDITABLE = frozenset({"phone", "email", "address"})


async def update(actor: Actor, citizen_id: int, patch: CitizenPatch) -> CitizenOut:
    current = await _row(actor, citizen_id)
    data = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    if not data:
        raise Invalid("немає змін / nothing to change", "body")
    if actor.role == "citizen":
        staff_only = sorted(set(data) - CITIZEN_EDITABLE)
        if staff_only:
            listed = ", ".join(staff_only)
            raise Forbidden(
                f"поле {listed} змінює лише працівник / only staff may change {listed}",
                staff_only[0],
                details={"fields": staff_only},
            )
    await _check(actor, data, citizen_id)
    names = {k: data.get(k, current[k]) for k in ("last_name", "first_name", "patronymic")}
    data["search_name"] = search_name(
        **{
            "last": names["last_name"],
            "first": names["first_name"],
            "patronymic": names["patronymic"],
        }
    )
    data["updated_at"] = clock.now()
    await Citizen.update({getattr(Citizen, k): v for k, v in data.items()}).where(
        Citizen.id == citizen_id
    )
    await audit.record(actor, "citizen.update", "citizen", citizen_id, {"fields": sorted(data)})
    return await read(actor, citizen_id, audited=False)


async def search(
    actor: Actor,
    *,
    q: str | None,
    tax_number: str | None,
    birth_date: date | None,
    page: int,
    page_size: int,
    after: str | None = None,
    typo_tolerant: bool = False,
) -> Page[CitizenOut]:
    """Citizens by name fragments, tax number and birth date: see
    :func:`core.workflow.citizen_search.search`."""
    from core.workflow.citizen_search import search as find  # it imports this module

    return await find(
        actor,
        q=q,
        tax_number=tax_number,
        birth_date=birth_date,
        page=page,
        page_size=page_size,
        after=after,
        typo_tolerant=typo_tolerant,
    )
