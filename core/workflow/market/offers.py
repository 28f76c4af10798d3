"""Offers: a provider × service with a unit price (or a price per part of a multi-part
tariff), capacity and the settlements served."""

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
from core.service import Service
from core.validators import Checked, PositiveMoney
from core.workflow import audit
from core.workflow.market import part_prices
from core.workflow.market.units import from_kopiyky, positive_money, to_kopiyky

#: A part of a multi-part tariff (``TariffPart.key``).
PartKey = Annotated[str, msgspec.Meta(max_length=32)]


class OfferIn(Checked, kw_only=True, forbid_unknown_fields=True):
    service_code: Annotated[str, msgspec.Meta(max_length=128)]
    #: The price of the unit, for a service with one price per unit.
    unit_price: PositiveMoney | None = None
    #: The price of every part, for a service with a multi-part tariff.
    prices: dict[PartKey, Decimal] = msgspec.field(default_factory=dict)
    capacity: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] = 0
    area: list[Annotated[str, msgspec.Meta(max_length=128)]] = msgspec.field(default_factory=list)
    description: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    #: Only staff may name the provider; a provider user offers for itself.
    provider_id: RowId | None = None


class OfferPatch(Checked, kw_only=True, forbid_unknown_fields=True):
    unit_price: PositiveMoney | msgspec.UnsetType = msgspec.UNSET
    prices: dict[PartKey, Decimal] | msgspec.UnsetType = msgspec.UNSET
    capacity: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] | msgspec.UnsetType = msgspec.UNSET
    area: list[Annotated[str, msgspec.Meta(max_length=128)]] | msgspec.UnsetType = msgspec.UNSET
    description: Annotated[str, msgspec.Meta(max_length=4000)] | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class OfferOut(msgspec.Struct, kw_only=True):
    id: int
    provider_id: int
    provider_name: str
    service_code: str
    #: None for a multi-part tariff, priced by ``prices``.
    unit_price: Decimal | None
    prices: dict[str, Decimal]
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
    Offer.prices,
    Offer.capacity,
    Offer.area,
    Offer.description,
    Offer.active,
)


def _out(r: dict[str, Any]) -> OfferOut:
    prices = part_prices.prices_of(r["prices"])
    return OfferOut(
        id=r["id"],
        provider_id=r["provider"],
        provider_name=r["provider.name"],
        service_code=r["service_code"],
        unit_price=None if prices else from_kopiyky(r["unit_price_kop"]),
        prices=prices,
        capacity=r["capacity"],
        area=decode(r["area"], []),
        description=r["description"],
        active=r["active"],
    )


def _prices(
    service: Service, unit_price: Decimal | None, prices: dict[str, Decimal]
) -> tuple[Decimal, dict[str, Decimal]]:
    """The offer's unit price (0 for a multi-part tariff) and its price of every part
    (none for one price per unit)."""
    if not service.tariff_parts:
        if prices:
            raise Invalid(
                "тариф послуги не має складових; вкажіть unit_price / "
                "the service's tariff has no parts: give unit_price",
                "prices",
            )
        if unit_price is None:
            raise Invalid("вкажіть ціну / unit_price is required", "unit_price")
        return positive_money(unit_price, "unit_price"), {}
    if unit_price is not None:
        raise Invalid(
            "тариф послуги має складові; вкажіть ціну кожної в prices / "
            "the service's tariff has parts: give the price of each in prices",
            "unit_price",
        )
    return Decimal(0), part_prices.checked_prices(service, prices, "prices")


def _said(price: Decimal, prices: dict[str, Decimal]) -> dict[str, Any]:
    """The offer's price as its audit row says it."""
    if prices:
        return {"prices": {k: str(v) for k, v in prices.items()}}
    return {"unit_price": str(price)}


async def _row(actor: Actor, offer_id: int) -> dict[str, Any]:
    row = (
        await Offer.select(*_COLUMNS)
        .where((Offer.id == offer_id) & (Offer.municipality == actor.municipality_id))
        .first()
    )
    if row is None or (actor.role == "provider" and row["provider"] != actor.provider_id):
        raise NotFound(f"пропозицію {offer_id} не знайдено / offer not found", "offer_id")
    return row


async def read(actor: Actor, offer_id: int) -> OfferOut:
    return _out(await _row(actor, offer_id))


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
    price, prices = _prices(service, body.unit_price, body.prices)
    row = Offer(
        municipality=actor.municipality_id,
        provider=provider_id,
        service_code=body.service_code,
        unit_price_kop=to_kopiyky(price),
        prices=part_prices.prices_json(prices),
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
        {"service": body.service_code, **_said(price, prices)},
    )
    return _out(await _row(actor, int(row.id)))


async def update(platform: Platform, actor: Actor, offer_id: int, patch: OfferPatch) -> OfferOut:
    row = await _row(actor, offer_id)
    values: dict[Any, Any] = {}
    if patch.unit_price is not msgspec.UNSET or patch.prices is not msgspec.UNSET:
        service = await platform.service(actor.municipality_id, row["service_code"])
        price, prices = _prices(
            service,
            None if patch.unit_price is msgspec.UNSET else patch.unit_price,
            {} if patch.prices is msgspec.UNSET else patch.prices,
        )
        values[Offer.unit_price_kop] = to_kopiyky(price)
        values[Offer.prices] = part_prices.prices_json(prices)
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
