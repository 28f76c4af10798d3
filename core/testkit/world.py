"""A self-contained municipality per test: every row is scoped to it, so tests share one
database without seeing each other's data. Part of the test kit (:mod:`core.testkit`)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import httpx
import msgspec

from core.actor import Actor
from core.db.tables import Citizen, Municipality, Office, Provider, User
from core.platform import Platform
from core.schemas import ROLES
from core.workflow import users

_counter = itertools.count(1)
PASSWORD = "correct horse battery"
_HASH = users.hash_password(PASSWORD)

IBAN = "UA213223130000026007233566001"
IBAN2 = "UA583808050000026009702978805"


@dataclass
class World:
    client: httpx.AsyncClient
    municipality_id: int
    slug: str
    settlements: list[str]
    tokens: dict[str, str] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    citizen_id: int = 0
    other_citizen_id: int = 0
    provider_id: int = 0
    other_provider_id: int = 0
    office_id: int = 0

    def auth(self, role: str | None) -> dict[str, str]:
        return {} if role is None else {"Authorization": f"Bearer {self.tokens[role]}"}

    async def get(self, role: str | None, url: str, **kw: Any) -> Any:
        return await self.client.get(url, headers=self.auth(role), **kw)

    async def post(self, role: str | None, url: str, json: Any = None, **kw: Any) -> Any:
        return await self.client.post(url, headers=self.auth(role), json=json, **kw)

    async def patch(self, role: str | None, url: str, json: Any = None, **kw: Any) -> Any:
        return await self.client.patch(url, headers=self.auth(role), json=json, **kw)

    async def put(self, role: str | None, url: str, json: Any = None, **kw: Any) -> Any:
        return await self.client.put(url, headers=self.auth(role), json=json, **kw)


async def make_world(
    platform: Platform, client: httpx.AsyncClient, plugins: list[str] | None = None
) -> World:
    n = next(_counter)
    slug = f"test{n}-{id(client) % 10000}"
    settlements = ["Ковель", "Дубове", "Колодяжне"]
    muni = Municipality(
        slug=slug,
        name_uk=f"Тестова громада {n}",
        name_en=f"Test hromada {n}",
        settlements=msgspec.json.encode(settlements).decode(),
        enabled_plugins=msgspec.json.encode(plugins or list(platform.host.plugins)).decode(),
    )
    await muni.save()
    w = World(client=client, municipality_id=int(muni.id), slug=slug, settlements=settlements)
    office = Office(
        municipality=w.municipality_id,
        name="ЦНАП",
        kind="front_office",
        settlement="Ковель",
        address="вул. Незалежності, 1",
    )
    await office.save()
    w.office_id = int(office.id)
    citizens = []
    for last, first, tax in (
        ("Шевченко", "Оксана", "3184710691"),
        ("Коваль", "Петро", "2245134075"),
    ):
        c = Citizen(
            municipality=w.municipality_id,
            last_name=last,
            first_name=first,
            patronymic="Іванівна" if first == "Оксана" else "Іванович",
            search_name=f"{last} {first}".lower(),
            tax_number=tax,
            settlement="Ковель",
            categories="[]",
        )
        await c.save()
        citizens.append(int(c.id))
    w.citizen_id, w.other_citizen_id = citizens
    providers = []
    for name, code in (("БФ «Надія»", "37993783"), ("ГО «Дім»", "38008294")):
        p = Provider(municipality=w.municipality_id, name=name, kind="ngo", edrpou=code, iban=IBAN)
        await p.save()
        providers.append(int(p.id))
    w.provider_id, w.other_provider_id = providers
    for role in ROLES:
        user = User(
            municipality=w.municipality_id,
            username=f"{slug}.{role}",
            password_hash=_HASH,
            role=role,
            full_name=f"{role} user",
            provider=w.provider_id if role == "provider" else None,
            citizen=w.citizen_id if role == "citizen" else None,
        )
        await user.save()
        actor = Actor(
            id=int(user.id),
            username=f"{slug}.{role}",
            full_name="",
            role=role,
            municipality_id=w.municipality_id,
            municipality_slug=slug,
            provider_id=w.provider_id if role == "provider" else None,
            citizen_id=w.citizen_id if role == "citizen" else None,
        )
        w.actors[role] = actor
        w.tokens[role], _ = await users.open_session(actor, 3600)
    return w
