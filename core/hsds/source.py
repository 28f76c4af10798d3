"""What a municipality publishes as HSDS, read from the database and the plugins.

Only public facts: the municipality, its public offices (not the back office), the
services its enabled plugins bring, and the providers that are verified organisations
(never a natural person: a provider of kind ``individual`` is left out, as is every
provider's IBAN, tax number, phone and e-mail).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.db.market import Offer
from core.db.tables import Municipality as MunicipalityRow
from core.db.tables import Office, Provider
from core.platform import Platform
from core.service import Service, Text

#: Provider kinds that are organisations (``individual`` is a natural person).
ORGANISATION_KINDS = ("ngo", "communal", "private", "utility")


@dataclass(frozen=True)
class PublicOffice:
    id: int
    name: str
    kind: str
    settlement: str
    address: str
    schedule: str
    phone: str


@dataclass(frozen=True)
class PublicProvider:
    id: int
    name: str
    kind: str
    edrpou: str | None
    #: Codes of the enabled services it has an active offer of.
    services: tuple[str, ...]


@dataclass(frozen=True)
class Category:
    """A plugin, as a term of the catalogue's taxonomy."""

    code: str
    title: Text
    description: Text


@dataclass(frozen=True)
class Source:
    slug: str
    name: Text
    kind: str
    edrpou: str | None
    address: str
    settlements: tuple[str, ...]
    offices: tuple[PublicOffice, ...]
    providers: tuple[PublicProvider, ...]
    services: tuple[Service, ...]
    #: The plugin (category code) of each service.
    category_of: dict[str, str]
    categories: tuple[Category, ...]
    #: The deployment's public address, without a trailing slash.
    base_url: str


async def load(platform: Platform, slug: str) -> Source:
    """The municipality's public catalogue; :class:`core.errors.NotFound` if unknown."""
    muni = await platform.municipality(slug)
    row = await MunicipalityRow.select().where(MunicipalityRow.id == muni.id).first()
    assert row is not None
    services = tuple(await platform.services(muni.id))
    codes = {s.code for s in services}
    offices = await (
        Office.select()
        .where(Office.municipality == muni.id)
        .where(Office.kind != "back_office")
        .order_by(Office.id)
    )
    providers = await (
        Provider.select(Provider.id, Provider.name, Provider.kind, Provider.edrpou)
        .where(Provider.municipality == muni.id)
        .where(Provider.verified.eq(True))
        .where(Provider.kind.is_in(list(ORGANISATION_KINDS)))
        .order_by(Provider.id)
    )
    offers = await (
        Offer.select(Offer.provider, Offer.service_code)
        .where(Offer.municipality == muni.id)
        .where(Offer.active.eq(True))
        .order_by(Offer.id)
    )
    offered: dict[int, list[str]] = {}
    for offer in offers:
        if offer["service_code"] in codes:
            offered.setdefault(offer["provider"], []).append(offer["service_code"])
    plugin_of = {s.code: platform.host.service_plugin[s.code] for s in services}
    categories = []
    for name in dict.fromkeys(plugin_of.values()):
        info = platform.host.plugins[name].info
        categories.append(Category(name, info.title, info.description or info.title))
    return Source(
        slug=muni.slug,
        name=muni.name,
        kind=row["kind"],
        edrpou=row["edrpou"],
        address=row["address"],
        settlements=muni.settlements,
        offices=tuple(
            PublicOffice(
                id=o["id"],
                name=o["name"],
                kind=o["kind"],
                settlement=o["settlement"],
                address=o["address"],
                schedule=o["schedule"],
                phone=o["phone"],
            )
            for o in offices
        ),
        providers=tuple(
            PublicProvider(
                id=p["id"],
                name=p["name"],
                kind=p["kind"],
                edrpou=p["edrpou"],
                services=tuple(dict.fromkeys(offered.get(p["id"], []))),
            )
            for p in providers
        ),
        services=services,
        category_of=plugin_of,
        categories=tuple(categories),
        base_url=platform.settings.public_url.rstrip("/"),
    )
