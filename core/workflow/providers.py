"""Providers: register, read, update, verify. A provider user reaches only its own."""

from __future__ import annotations

from typing import Any

import msgspec

from core import clock, validators
from core.actor import Actor
from core.db import paging
from core.db.tables import Provider
from core.errors import Forbidden, Invalid, NotFound
from core.schemas import Page, ProviderIn, ProviderOut, ProviderPatch, VerifyIn
from core.workflow import audit


def to_out(row: dict[str, Any]) -> ProviderOut:
    return msgspec.convert(row, ProviderOut, strict=False)


def _validate(data: dict[str, Any], merged: dict[str, Any]) -> None:
    if "iban" in data:
        data["iban"] = validators.iban(data["iban"])
    if data.get("edrpou"):
        data["edrpou"] = validators.edrpou(data["edrpou"])
    if data.get("tax_number"):
        data["tax_number"] = validators.tax_number(data["tax_number"])
    merged = {**merged, **data}
    if merged.get("kind") == "individual":
        if not merged.get("tax_number"):
            raise Invalid(
                "фізична особа-надавач потребує РНОКПП / an individual provider needs a tax number",
                "tax_number",
            )
    elif not merged.get("edrpou"):
        raise Invalid(
            "юридична особа-надавач потребує код ЄДРПОУ / a legal entity needs an EDRPOU code",
            "edrpou",
        )


async def create(actor: Actor, body: ProviderIn) -> ProviderOut:
    data = msgspec.structs.asdict(body)
    _validate(data, {})
    row = Provider(municipality=actor.municipality_id, **data)
    await row.save()
    await audit.record(actor, "provider.create", "provider", row.id)
    return await read(actor, row.id)


async def _row(actor: Actor, provider_id: int) -> dict[str, Any]:
    if actor.role == "provider" and actor.provider_id != provider_id:
        raise Forbidden("доступ лише до власного надавача / only your own provider", "provider_id")
    row = (
        await Provider.select()
        .where((Provider.id == provider_id) & (Provider.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound(f"надавача {provider_id} не знайдено / provider not found", "provider_id")
    return row


async def read(actor: Actor, provider_id: int) -> ProviderOut:
    return to_out(await _row(actor, provider_id))


#: Providers by name; the id orders namesakes.
ORDER = paging.Order("providers", (Provider.name, Provider.id))


async def listing(
    actor: Actor, *, verified: bool | None, page: int, page_size: int, after: str | None = None
) -> Page[ProviderOut]:
    where: Any = Provider.municipality == actor.municipality_id
    if actor.role == "provider":
        where = where & (Provider.id == actor.provider_id)
    if verified is not None:
        where = where & (Provider.verified == verified)
    found = await paging.read(Provider, where, ORDER, page=page, page_size=page_size, after=after)
    return found.page([to_out(r) for r in found.rows], page=page, page_size=page_size)


async def update(actor: Actor, provider_id: int, patch: ProviderPatch) -> ProviderOut:
    current = await _row(actor, provider_id)
    data = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    if not data:
        raise Invalid("немає змін / nothing to change", "body")
    _validate(data, current)
    if any(k in data for k in ("iban", "edrpou", "tax_number")) and current["verified"]:
        # Changed bank or registry data must be verified again before money moves.
        data["verified"] = False
        data["verified_at"] = None
    await Provider.update({getattr(Provider, k): v for k, v in data.items()}).where(
        Provider.id == provider_id
    )
    await audit.record(actor, "provider.update", "provider", provider_id, {"fields": sorted(data)})
    return await read(actor, provider_id)


async def verify(actor: Actor, provider_id: int, body: VerifyIn) -> ProviderOut:
    await _row(actor, provider_id)
    await Provider.update(
        {
            Provider.verified: body.verified,
            Provider.verified_at: clock.now() if body.verified else None,
        }
    ).where(Provider.id == provider_id)
    await audit.record(
        actor,
        "provider.verify",
        "provider",
        provider_id,
        {"verified": body.verified, "comment": body.comment},
    )
    return await read(actor, provider_id)
