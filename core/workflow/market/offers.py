"""Offers: a provider × service with a unit price, capacity and the settlements served."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import msgspec

from core.actor import Actor
from core.db.market import Offer
from core.db.tables import Provider
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.platform import Platform, decode
from core.schemas import RowId
from core.validators import Checked, PositiveMoney
from core.workflow import audit
from core.workflow.market.units import from_kopiyky, positive_money, to_kopiyky


class OfferIn(Checked, kw_only=True, forbid_unknown_fields=True):
    service_code: Annotated[str, msgspec.Meta(max_length=128)]
    unit_price: PositiveMoney
    capacity: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] = 0
    area: list[Annotated[str, msgspec.Meta(max_length=128)]] = msgspec.field(default_factory=list)
    description: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    #: Only staff may name the provider; a provider user offers for itself.
    provider_id: RowId | None = None


class OfferPatch(Checked, kw_only=True, forbid_unknown_fields=True):
    unit_price: PositiveMoney | msgspec.UnsetType = msgspec.UNSET
    capacity: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] | msgspec.UnsetType = msgspec.UNSET
    area: list[Annotated[str, msgspec.Meta(max_length=128)]] | msgspec.UnsetType = msgspec.UNSET
    description: Annotated[str, msgspec.Meta(max_length=4000)] | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class OfferOut(msgspec.Struct, kw_only=True):
    id: int
    provider_id: int
    provider_name: str
    service_code: str
    unit_price: Decimal
    capacity: int
    area: list[str]
    description: str
    active: bool


_COLUMNS = (
    Offer.id,
    Offer.provider,
    Offer.provider.name,
    Offer.service_code,
    Offer.unit_price_kop,
    Offer.capacity,
    Offer.area,
    Offer.description,
    Offer.active,
)


def _out(r: dict[str, Any]) -> OfferOut:
    return OfferOut(
        id=r["id"],
        provider_id=r["provider"],
        provider_name=r["provider.name"],
        service_code=r["service_code"],
        unit_price=from_kopiyky(r["unit_price_kop"]),
        capacity=r["capacity"],
        area=decode(r["area"], []),
        description=r["description"],
        active=r["active"],
    )


async def _row(actor: Actor, offer_id: int) -> dict[str, Any]:
    row = (
        await Offer.select(*_COLUMNS)
        .where((Offer.id == offer_id) & (Offer.municipality == actor.municipality_id))
        .first()
    )
    if row is None or (actor.role == "provider" and row["provider"] != actor.provider_id):
        raise NotFound(f"пропозицію {offer_id} не знайдено / offer not found", "offer_id")
    return row


async def create(platform: Platform, actor: Actor, body: OfferIn) -> OfferOut:
    service = await platform.service(actor.municipality_id, body.service_code)
    if service.payee != "provider":
        raise Invalid(
            "ця послуга не закуповується в надавачів / not bought from providers", "service_code"
        )
    if actor.role == "provider":
        if body.provider_id not in (None, actor.provider_id):
            raise Forbidden("лише від свого імені / only for your own provider", "provider_id")
        provider_id = actor.provider_id
    elif body.provider_id is None:
        raise Invalid("вкажіть надавача / provider_id is required", "provider_id")
    else:
        provider_id = body.provider_id
    if not await Provider.exists().where(
        (Provider.id == provider_id) & (Provider.municipality == actor.municipality_id)
    ):
        raise Invalid("надавача не знайдено / provider not found", "provider_id")
    if await Offer.exists().where(
        (Offer.provider == provider_id) & (Offer.service_code == body.service_code)
    ):
        raise Conflict(
            "пропозиція на цю послугу вже є / an offer for this service exists", "service_code"
        )
    price = positive_money(body.unit_price, "unit_price")
    row = Offer(
        municipality=actor.municipality_id,
        provider=provider_id,
        service_code=body.service_code,
        unit_price_kop=to_kopiyky(price),
        capacity=body.capacity,
        area=msgspec.json.encode(body.area).decode(),
        description=body.description,
    )
    await row.save()
    await audit.record(
        actor,
        "offer.create",
        "offer",
        row.id,
        {"service": body.service_code, "unit_price": str(price)},
    )
    return _out(await _row(actor, int(row.id)))


async def update(actor: Actor, offer_id: int, patch: OfferPatch) -> OfferOut:
    await _row(actor, offer_id)
    values: dict[Any, Any] = {}
    if patch.unit_price is not msgspec.UNSET:
        values[Offer.unit_price_kop] = to_kopiyky(positive_money(patch.unit_price, "unit_price"))
    if patch.capacity is not msgspec.UNSET:
        values[Offer.capacity] = patch.capacity
    if patch.area is not msgspec.UNSET:
        values[Offer.area] = msgspec.json.encode(patch.area).decode()
    if patch.description is not msgspec.UNSET:
        values[Offer.description] = patch.description
    if patch.active is not msgspec.UNSET:
        values[Offer.active] = patch.active
    if not values:
        raise Invalid("немає змін / nothing to change", "body")
    await Offer.update(values).where(Offer.id == offer_id)
    await audit.record(
        actor, "offer.update", "offer", offer_id, {"fields": sorted(c._meta.name for c in values)}
    )
    return _out(await _row(actor, offer_id))


async def listing(
    actor: Actor, service_code: str | None, provider_id: int | None
) -> list[OfferOut]:
    where: Any = Offer.municipality == actor.municipality_id
    if actor.role == "provider":
        where = where & (Offer.provider == actor.provider_id)
    elif provider_id is not None:
        where = where & (Offer.provider == provider_id)
    if service_code:
        where = where & (Offer.service_code == service_code)
    rows = (
        await Offer.select(*_COLUMNS)
        .where(where)
        .order_by(Offer.service_code)
        .order_by(Offer.unit_price_kop)
    )
    return [_out(r) for r in rows]
