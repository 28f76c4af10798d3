"""The register of homeless persons: take on record, list, read, remove, certify.

Taking a person on record gives them the category ``homeless`` (which the services'
eligibility rules read); removing them takes it away. Every read of an entry is audited;
the confidential notes never leave the register's own routes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from core.sdk import (
    Actor,
    Citizen,
    Conflict,
    Invalid,
    NotFound,
    Page,
    Platform,
    Text,
    audit,
    clock,
    contains,
    decode,
    numbering,
    write_transaction,
)
from plugins.homeless.schemas import (
    CertificateOut,
    EntryOut,
    EntrySummary,
    RegisterIn,
    RemoveIn,
    Status,
)
from plugins.homeless.tables import HomelessPerson

CATEGORY = "homeless"
PREFIX = "БО"
H = HomelessPerson

_COLUMNS = (
    H.id,
    H.certificate_number,
    H.citizen,
    H.citizen.last_name.as_alias("last_name"),
    H.citizen.first_name.as_alias("first_name"),
    H.citizen.patronymic.as_alias("patronymic"),
    H.citizen.birth_date.as_alias("birth_date"),
    H.registered_on,
    H.channel,
    H.status,
    H.removed_on,
)
_DETAIL = (
    *_COLUMNS,
    H.has_identity_documents,
    H.registered_address_is_centre,
    H.confidential_notes,
    H.removal_reason,
    H.created_at,
)


def _full_name(row: dict[str, Any]) -> str:
    return " ".join(p for p in (row["last_name"], row["first_name"], row["patronymic"]) if p)


def _summary(row: dict[str, Any]) -> EntrySummary:
    return EntrySummary(
        id=row["id"],
        certificate_number=row["certificate_number"],
        citizen_id=row["citizen"],
        full_name=_full_name(row),
        birth_date=row["birth_date"],
        registered_on=row["registered_on"],
        channel=row["channel"],
        status=row["status"],
        removed_on=row["removed_on"],
    )


def _detail(row: dict[str, Any]) -> EntryOut:
    return EntryOut(
        **msgspec.structs.asdict(_summary(row)),
        has_identity_documents=row["has_identity_documents"],
        registered_address_is_centre=row["registered_address_is_centre"],
        confidential_notes=row["confidential_notes"],
        removal_reason=row["removal_reason"],
        created_at=row["created_at"],
    )


def _not_future(day: date, field: str) -> None:
    if day > clock.today():
        raise Invalid("дата в майбутньому / the date is in the future", field)


async def _next_certificate_number(municipality_id: int, year: int) -> str:
    """``БО-<year>-<n>``: the core's number series per municipality and year."""
    n = await numbering.next_number(municipality_id, "homeless.certificate", year)
    return f"{PREFIX}-{year}-{n:05d}"


async def _set_category(citizen_id: int, present: bool) -> None:
    row = await Citizen.select(Citizen.categories).where(Citizen.id == citizen_id).first()
    categories = set(decode(row["categories"] if row else None, []))
    if present:
        categories.add(CATEGORY)
    else:
        categories.discard(CATEGORY)
    await Citizen.update(
        {
            Citizen.categories: msgspec.json.encode(sorted(categories)).decode(),
            Citizen.updated_at: clock.now(),
        }
    ).where(Citizen.id == citizen_id)


async def _row(actor: Actor, entry_id: int, columns: tuple[Any, ...] = _DETAIL) -> dict[str, Any]:
    row = (
        await H.select(*columns)
        .where((H.id == entry_id) & (H.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound(f"запис {entry_id} не знайдено / register entry not found", "entry_id")
    return row


async def register(actor: Actor, body: RegisterIn) -> EntryOut:
    on = body.registered_on or clock.today()
    _not_future(on, "registered_on")
    async with write_transaction():
        found = await Citizen.exists().where(
            (Citizen.id == body.citizen_id) & (Citizen.municipality == actor.municipality_id)
        )
        if not found:
            raise Invalid(
                f"громадянина {body.citizen_id} не знайдено / citizen not found", "citizen_id"
            )
        active = (
            await H.select(H.certificate_number)
            .where((H.citizen == body.citizen_id) & (H.status == "active"))
            .first()
        )
        if active is not None:
            number = active["certificate_number"]
            raise Conflict(
                f"особа вже на обліку, довідка № {number} / the person is already on the "
                f"register, certificate No. {number}",
                "citizen_id",
            )
        number = await _next_certificate_number(actor.municipality_id, on.year)
        entry = H(
            municipality=actor.municipality_id,
            citizen=body.citizen_id,
            certificate_number=number,
            registered_on=on,
            channel=body.channel,
            has_identity_documents=body.has_identity_documents,
            registered_address_is_centre=body.registered_address_is_centre,
            confidential_notes=body.confidential_notes,
            status="active",
            created_by=actor.id,
        )
        await entry.save()
        await _set_category(body.citizen_id, True)
        await audit.record(
            actor,
            "homeless.register",
            "homeless_person",
            entry.id,
            {"citizen_id": body.citizen_id, "certificate_number": number, "channel": body.channel},
        )
    return _detail(await _row(actor, int(entry.id)))


async def search(
    actor: Actor,
    *,
    certificate: str | None,
    status: Status | None,
    citizen_id: int | None,
    page: int,
    page_size: int,
) -> Page[EntrySummary]:
    where: Any = H.municipality == actor.municipality_id
    if certificate and certificate.strip():
        where = where & contains(H.certificate_number, certificate.strip().upper())
    if status:
        where = where & (H.status == status)
    if citizen_id:
        where = where & (H.citizen == citizen_id)
    total = await H.count().where(where)
    rows = (
        await H.select(*_COLUMNS)
        .where(where)
        .order_by(H.registered_on, ascending=False)
        .order_by(H.id, ascending=False)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    await audit.read(
        actor,
        "homeless.search",
        "homeless_person",
        None,
        {"certificate": certificate, "status": status, "citizen_id": citizen_id, "found": total},
    )
    return Page(items=[_summary(r) for r in rows], total=total, page=page, page_size=page_size)


async def read(actor: Actor, entry_id: int) -> EntryOut:
    row = await _row(actor, entry_id)
    await audit.read(actor, "homeless.read", "homeless_person", entry_id)
    return _detail(row)


async def remove(actor: Actor, entry_id: int, body: RemoveIn) -> EntryOut:
    reason = body.reason.strip()
    if not reason:
        raise Invalid("вкажіть причину / a reason is required", "reason")
    on = body.removed_on or clock.today()
    _not_future(on, "removed_on")
    async with write_transaction():
        row = await _row(actor, entry_id)
        if row["status"] != "active":
            raise Conflict(
                f"особу вже знято з обліку {row['removed_on']:%d.%m.%Y} / the person was "
                "already removed from the register",
                "entry_id",
            )
        if on < row["registered_on"]:
            raise Invalid(
                "дата зняття раніше дати взяття на облік / removal before registration",
                "removed_on",
            )
        await H.update(
            {
                H.status: "removed",
                H.removed_on: on,
                H.removal_reason: reason,
                H.removed_by: actor.id,
            }
        ).where(H.id == entry_id)
        await _set_category(row["citizen"], False)
        await audit.record(
            actor,
            "homeless.remove",
            "homeless_person",
            entry_id,
            {"citizen_id": row["citizen"], "removed_on": on.isoformat()},
        )
    return _detail(await _row(actor, entry_id))


async def certificate(platform: Platform, actor: Actor, entry_id: int) -> CertificateOut:
    row = await _row(actor, entry_id)
    if row["status"] != "active":
        raise Conflict(
            "особу знято з обліку: довідку не видають / the person was removed from the "
            "register: no certificate is issued",
            "entry_id",
        )
    muni = await platform.municipality(id=actor.municipality_id)
    name, number, since = _full_name(row), row["certificate_number"], row["registered_on"]
    born_uk = f", {row['birth_date']:%d.%m.%Y} р. н.," if row["birth_date"] else ""
    born_en = f", born {row['birth_date']:%d.%m.%Y}," if row["birth_date"] else ""
    uk = (
        f"Довідка № {number}. Видана {name}{born_uk} про те, що особу взято на облік "
        f"бездомних осіб ({muni.name.uk}) {since:%d.%m.%Y}."
    )
    en = (
        f"Certificate No. {number}. Issued to {name}{born_en} certifying that the person "
        f"was taken on the register of homeless persons of {muni.name.en} on {since:%d.%m.%Y}."
    )
    if row["registered_address_is_centre"]:
        uk += " Місце проживання особи зареєстровано за адресою центру обліку."
        en += " The person's residence is registered at the address of the accounting centre."
    await audit.read(actor, "homeless.certificate", "homeless_person", entry_id)
    return CertificateOut(
        certificate_number=number,
        citizen_id=row["citizen"],
        issued_on=clock.today(),
        municipality=muni.name,
        full_name=name,
        birth_date=row["birth_date"],
        registered_on=since,
        registered_address_is_centre=row["registered_address_is_centre"],
        text=Text(uk, en),
        legal_basis=Text(
            "Стаття 6 Закону України від 02.06.2005 № 2623-IV",
            "Article 6 of Law of Ukraine No. 2623-IV of 02.06.2005",
        ),
    )
