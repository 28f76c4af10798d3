"""The stored household: members and incomes, dwelling, utilities (create, replace, read)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

from core.sdk import (
    Actor,
    Citizen,
    Household,
    Invalid,
    NotFound,
    Page,
    Provider,
    audit,
    clock,
    decode,
    from_kopiyky,
    to_kopiyky,
    write_transaction,
)
from plugins.subsidies.model import Dwelling, Income, Member, Utility
from plugins.subsidies.schemas import HouseholdData, HouseholdIn, HouseholdOut, HouseholdSummary
from plugins.subsidies.tables import SubsidyHousehold, SubsidyIncome, SubsidyMember, SubsidyUtility

H = SubsidyHousehold
_DETAILS = (
    "contributions_paid",
    "social_pension",
    "registered_unemployed",
    "ill",
    "caring_for_child",
    "abroad_days",
)


def _centi(area: Decimal | None) -> int | None:
    return None if area is None else int((area * 100).to_integral_value())


def _area(centi: int | None) -> Decimal | None:
    return None if centi is None else (Decimal(centi) / 100).quantize(Decimal("0.01"))


async def check_links(actor: Actor, body: HouseholdIn) -> None:
    """Every id the household names exists in the actor's municipality (400 naming it)."""
    muni = actor.municipality_id
    citizens = {body.applicant_citizen_id} | {m.citizen_id for m in body.members if m.citizen_id}
    found = {
        r["id"]
        for r in await Citizen.select(Citizen.id).where(
            Citizen.id.is_in(list(citizens)) & (Citizen.municipality == muni)
        )
    }
    if body.applicant_citizen_id not in found:
        raise Invalid("громадянина не знайдено / citizen not found", "applicant_citizen_id")
    for n, m in enumerate(body.members):
        if m.citizen_id and m.citizen_id not in found:
            raise Invalid("громадянина не знайдено / citizen not found", f"members[{n}].citizen_id")
    if body.core_household_id and not await Household.exists().where(
        (Household.id == body.core_household_id) & (Household.municipality == muni)
    ):
        raise Invalid("домогосподарство не знайдено / household not found", "core_household_id")
    await check_providers(actor, body.utilities, "utilities")


async def check_providers(actor: Actor, utilities: list[Utility], field: str) -> None:
    wanted = [u.provider_id for u in utilities if u.provider_id]
    rows = await Provider.select(Provider.id, Provider.kind).where(
        Provider.id.is_in(wanted or [0]) & (Provider.municipality == actor.municipality_id)
    )
    kinds = {r["id"]: r["kind"] for r in rows}
    for n, u in enumerate(utilities):
        if u.provider_id is None:
            continue
        if u.provider_id not in kinds:
            raise Invalid("надавача не знайдено / provider not found", f"{field}[{n}].provider_id")
        if kinds[u.provider_id] != "utility":
            raise Invalid(
                "надавач не є надавачем комунальних послуг / the provider is not a utility",
                f"{field}[{n}].provider_id",
            )


async def _write_parts(household_id: int, data: HouseholdData) -> None:
    for position, m in enumerate(data.members):
        member = SubsidyMember(
            household=household_id,
            citizen=m.citizen_id,
            position=position,
            name=m.name,
            birth_date=m.birth_date,
            category=m.category or "",
            able_bodied=m.able_bodied,
            student=m.student,
            pensioner=m.pensioner,
            working=m.working,
            details=msgspec.json.encode({k: getattr(m, k) for k in _DETAILS}).decode(),
        )
        await member.save()
        for i in m.incomes:
            await SubsidyIncome(
                member=member.id,
                kind=i.kind,
                year=i.year,
                quarter=i.quarter,
                amount_kop=to_kopiyky(i.amount),
            ).save()
    for u in data.utilities:
        await SubsidyUtility(
            household=household_id,
            provider=u.provider_id,
            kind=u.kind,
            monthly_charge_kop=to_kopiyky(u.monthly_charge),
            metered=u.metered,
            volume_milli=None
            if u.monthly_volume is None
            else int((u.monthly_volume * 1000).to_integral_value()),
            heating_type=u.heating_type,
            cooking=u.cooking,
        ).save()


def _dwelling_values(d: Dwelling) -> dict[Any, Any]:
    return {
        H.dwelling_kind: d.kind,
        H.total_area_centi: _centi(d.total_area),
        H.heated_area_centi: _centi(d.heated_area),
        H.tenure: d.tenure,
        H.lease_end: d.lease_end,
    }


async def create(actor: Actor, body: HouseholdIn) -> HouseholdOut:
    await check_links(actor, body)
    async with write_transaction():
        d = body.dwelling
        row = H(
            municipality=actor.municipality_id,
            household=body.core_household_id,
            applicant=body.applicant_citizen_id,
            dwelling_kind=d.kind,
            total_area_centi=_centi(d.total_area),
            heated_area_centi=_centi(d.heated_area),
            tenure=d.tenure,
            lease_end=d.lease_end,
            created_by=actor.id,
        )
        await row.save()
        await _write_parts(int(row.id), body)
        await audit.record(actor, "subsidies.household.create", "subsidy_household", row.id)
    return await read(actor, int(row.id))


async def replace(actor: Actor, household_id: int, body: HouseholdIn) -> HouseholdOut:
    await _row(actor, household_id)
    await check_links(actor, body)
    async with write_transaction():
        await H.update(
            {
                **_dwelling_values(body.dwelling),
                H.household: body.core_household_id,
                H.applicant: body.applicant_citizen_id,
                H.updated_at: clock.now(),
            }
        ).where(H.id == household_id)
        await SubsidyMember.delete().where(SubsidyMember.household == household_id)
        await SubsidyUtility.delete().where(SubsidyUtility.household == household_id)
        await _write_parts(household_id, body)
        await audit.record(actor, "subsidies.household.replace", "subsidy_household", household_id)
    return await read(actor, household_id)


async def _row(actor: Actor, household_id: int) -> dict[str, Any]:
    row: dict[str, Any] | None = (
        await H.select()
        .where((H.id == household_id) & (H.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound(
            f"домогосподарство {household_id} не знайдено / household not found", "household_id"
        )
    return row


async def read(actor: Actor, household_id: int) -> HouseholdOut:
    row = await _row(actor, household_id)
    members = (
        await SubsidyMember.select()
        .where(SubsidyMember.household == household_id)
        .order_by(SubsidyMember.position)
    )
    incomes = (
        await SubsidyIncome.select()
        .where(SubsidyIncome.member.is_in([m["id"] for m in members] or [0]))
        .order_by(SubsidyIncome.id)
    )
    utilities = (
        await SubsidyUtility.select()
        .where(SubsidyUtility.household == household_id)
        .order_by(SubsidyUtility.id)
    )
    out_members = [
        Member(
            name=m["name"],
            birth_date=m["birth_date"],
            citizen_id=m["citizen"],
            category=m["category"] or None,
            able_bodied=m["able_bodied"],
            student=m["student"],
            pensioner=m["pensioner"],
            working=m["working"],
            incomes=[
                Income(
                    kind=i["kind"],
                    year=i["year"],
                    quarter=i["quarter"],
                    amount=from_kopiyky(i["amount_kop"]),
                )
                for i in incomes
                if i["member"] == m["id"]
            ],
            **decode(m["details"], {}),
        )
        for m in members
    ]
    out_utilities = [
        Utility(
            kind=u["kind"],
            provider_id=u["provider"],
            monthly_charge=from_kopiyky(u["monthly_charge_kop"]),
            metered=u["metered"],
            monthly_volume=None if u["volume_milli"] is None else Decimal(u["volume_milli"]) / 1000,
            heating_type=u["heating_type"],
            cooking=u["cooking"],
        )
        for u in utilities
    ]
    total = _area(row["total_area_centi"])
    assert total is not None
    return HouseholdOut(
        id=row["id"],
        updated_at=row["updated_at"],
        applicant_citizen_id=row["applicant"],
        core_household_id=row["household"],
        members=out_members,
        dwelling=Dwelling(
            kind=row["dwelling_kind"],
            total_area=total,
            heated_area=_area(row["heated_area_centi"]),
            tenure=row["tenure"],
            lease_end=row["lease_end"],
        ),
        utilities=out_utilities,
    )


async def listing(
    actor: Actor, *, citizen_id: int | None, page: int, page_size: int
) -> Page[HouseholdSummary]:
    where: Any = H.municipality == actor.municipality_id
    if citizen_id:
        where = where & (H.applicant == citizen_id)
    total = await H.count().where(where)
    rows = (
        await H.select().where(where).order_by(H.id).limit(page_size).offset((page - 1) * page_size)
    )
    counts: dict[int, int] = {}
    for m in await SubsidyMember.select(SubsidyMember.household).where(
        SubsidyMember.household.is_in([r["id"] for r in rows] or [0])
    ):
        counts[m["household"]] = counts.get(m["household"], 0) + 1
    items = [
        HouseholdSummary(
            id=r["id"],
            applicant_citizen_id=r["applicant"],
            core_household_id=r["household"],
            members=counts.get(r["id"], 0),
            total_area=_area(r["total_area_centi"]) or Decimal(0),
            tenure=r["tenure"],
        )
        for r in rows
    ]
    return Page(items=items, total=total, page=page, page_size=page_size)
