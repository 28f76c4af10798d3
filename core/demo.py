"""Demo data: two municipalities (a city and a rural hromada with remote workplaces),
staff of every role, a few hundred citizens with Ukrainian names, providers, and requests
in every state reached through the same use cases a specialist uses."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import msgspec
from faker import Faker
from stdnum import iban as iban_lib
from stdnum.ua import rntrc

from core import clock, demo_market
from core.actor import Actor
from core.db.tables import Citizen, Municipality, Office, Provider, User
from core.platform import Platform
from core.schemas import ROLES, Channel, CommentIn, DecisionIn, RequestIn
from core.workflow import citizens as citizen_flow
from core.workflow import requests as request_flow
from core.workflow.users import create_user

DEMO_PASSWORD = "hromada-demo"

MUNICIPALITIES: list[dict[str, Any]] = [
    {
        "slug": "lutsk",
        "name_uk": "Луцька міська територіальна громада",
        "name_en": "Lutsk city hromada",
        "kind": "city",
        "edrpou": "03192997",
        "settlements": ["Луцьк", "Жидичин", "Прилуцьке", "Княгининок", "Забороль", "Рованці"],
        "address": "43025, м. Луцьк, пр-т Волі, 4А",
        "offices": [
            (
                "ЦНАП м. Луцька",
                "front_office",
                "Луцьк",
                "м. Луцьк, вул. Лесі Українки, 35",
                "пн–пт 08:00–20:00, сб 09:00–16:00",
            ),
            (
                "ЦНАП, філія «Центральна»",
                "front_office",
                "Луцьк",
                "м. Луцьк, пр-т Перемоги, 1",
                "пн–пт 09:00–18:00",
            ),
            (
                "Віддалене робоче місце, Жидичинський старостат",
                "remote_workplace",
                "Жидичин",
                "с. Жидичин, вул. Данила Галицького, 12",
                "вт, чт 09:00–16:00",
            ),
            (
                "Департамент соціальної політики (бек-офіс)",
                "back_office",
                "Луцьк",
                "м. Луцьк, пр-т Волі, 4А",
                "пн–пт 09:00–18:00",
            ),
        ],
    },
    {
        "slug": "prylisne",
        "name_uk": "Прилісненська сільська територіальна громада",
        "name_en": "Prylisne rural hromada",
        "kind": "rural",
        # A rural hromada offers only some of the services.
        "plugins": ["funeral_aid"],
        "edrpou": "04333150",
        "settlements": [
            "Прилісне",
            "Гораймівка",
            "Велика Ведмежка",
            "Мала Ведмежка",
            "Бубнів",
            "Личини",
        ],
        "address": "45041, с. Прилісне, вул. Незалежності, 3",
        "offices": [
            (
                "ЦНАП Прилісненської громади",
                "front_office",
                "Прилісне",
                "с. Прилісне, вул. Незалежності, 3",
                "пн–пт 08:00–17:00",
            ),
            (
                "Віддалене робоче місце, Гораймівський старостат",
                "remote_workplace",
                "Гораймівка",
                "с. Гораймівка, вул. Центральна, 8",
                "пн, ср 09:00–15:00",
            ),
            (
                "Віддалене робоче місце, Бубнівський старостат",
                "remote_workplace",
                "Бубнів",
                "с. Бубнів, вул. Шкільна, 2",
                "вт, пт 09:00–15:00",
            ),
            (
                "Відділ соціального захисту (бек-офіс)",
                "back_office",
                "Прилісне",
                "с. Прилісне, вул. Незалежності, 3",
                "пн–пт 08:00–17:00",
            ),
        ],
    },
]

PROVIDERS: list[tuple[str, str, str]] = [
    ("БФ «Милосердя Волині»", "ngo", "37993783"),
    ("ГО «Вихід»", "ngo", "38008294"),
    ("КУ «Територіальний центр соціального обслуговування»", "communal", "34814859"),
    ("КП «Ритуальна служба»", "communal", "05385909"),
]

CATEGORIES = [
    "disability",
    "veteran",
    "idp",
    "large_family",
    "low_income",
    "pensioner",
    "single_pensioner",
    "wheelchair_user",
]


class DemoSummary(msgspec.Struct):
    municipalities: list[str]
    users: list[tuple[str, str, str]]  # municipality, username, role
    citizens: int
    providers: int
    requests: dict[str, int]
    contracts: int = 0
    deliveries: int = 0
    invoices: dict[str, int] = msgspec.field(default_factory=dict)
    password: str = DEMO_PASSWORD
    #: What the demo did with each plugin it does not know (printed after the summary).
    notes: list[str] = msgspec.field(default_factory=list)


def plugin_notes(platform: Platform, slug: str, names: list[str]) -> list[str]:
    """Say what the demo does with plugins from outside Hromada enabled in ``slug``:
    enabled there like every plugin of the deployment, demo rows only if the plugin
    prepares them (``prepare_demo``), requests only for services with an example form."""
    notes = []
    for name in names:
        plugin = platform.host.plugins[name]
        if plugin.distribution == "hromada":
            continue
        rows = (
            "its prepare_demo hook set up its own rows"
            if "prepare_demo" in plugin.hooks
            else "it has no prepare_demo hook, so it set up no rows of its own"
        )
        notes.append(
            f"{slug}: enabled plugin {name} ({plugin.distribution} {plugin.version}) "
            f"as every plugin of this deployment; {rows}"
        )
        for service in plugin.services:
            if service.example_form is None:
                notes.append(
                    f"{slug}: {service.code} has no example_form, so the demo made no "
                    "requests for it"
                )
            elif service.payee == "provider":
                notes.append(
                    f"{slug}: {service.code} is paid to providers; its requests come with "
                    "the social order's demo contracts, if the plugin's prepare_demo makes any"
                )
    return notes


def tax_number_for(birth: date, rng: random.Random, male: bool) -> str:
    days = (birth - date(1899, 12, 31)).days
    serial = rng.randint(0, 999)
    gender = rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    body = f"{days:05d}{serial:03d}{gender}"
    return body + str(rntrc.calc_check_digit(body))


def iban_for(rng: random.Random) -> str:
    bban = "305299" + f"{rng.randrange(10**19):019d}"
    return "UA" + iban_lib.calc_check_digits("UA00" + bban) + bban


async def _citizens(
    muni: dict[str, Any], muni_id: int, count: int, rng: random.Random, fake: Faker
) -> None:
    rows = []
    for _ in range(count):
        male = rng.random() < 0.47
        birth = date(1935, 1, 1) + timedelta(days=rng.randint(0, 365 * 70))
        last = fake.last_name_male() if male else fake.last_name_female()
        first = fake.first_name_male() if male else fake.first_name_female()
        middle = fake.middle_name_male() if male else fake.middle_name_female()
        settlement = rng.choice(muni["settlements"])
        cats = sorted(set(rng.sample(CATEGORIES, k=rng.choice([0, 0, 1, 1, 2]))))
        homeless = "homeless" in cats
        rows.append(
            Citizen(
                municipality=muni_id,
                last_name=last,
                first_name=first,
                patronymic=middle,
                search_name=citizen_flow.search_name(last, first, middle),
                birth_date=birth,
                tax_number=None
                if homeless or rng.random() < 0.05
                else tax_number_for(birth, rng, male),
                gender="m" if male else "f",
                settlement=settlement,
                address=""
                if homeless
                else f"{settlement}, {fake.street_name()}, {rng.randint(1, 120)}",
                phone=f"+380{rng.choice(['50', '67', '97', '63'])}{rng.randint(1000000, 9999999)}",
                categories=msgspec.json.encode(cats).decode(),
                disability_group=rng.choice([1, 2, 3]) if "disability" in cats else None,
            )
        )
    await Citizen.insert(*rows)


async def load(platform: Platform, *, seed: int = 2026, citizens: int = 300) -> DemoSummary:
    rng = random.Random(seed)
    fake = Faker("uk_UA")
    fake.seed_instance(seed)
    enabled = list(platform.host.plugins)
    summary = DemoSummary([], [], 0, 0, {})
    today = clock.today()
    for muni in MUNICIPALITIES:
        row = Municipality(
            slug=muni["slug"],
            name_uk=muni["name_uk"],
            name_en=muni["name_en"],
            kind=muni["kind"],
            edrpou=muni["edrpou"],
            iban=iban_for(rng),
            address=muni["address"],
            settlements=msgspec.json.encode(muni["settlements"]).decode(),
            enabled_plugins=msgspec.json.encode(
                [p for p in enabled if p in muni.get("plugins", enabled)]
            ).decode(),
        )
        await row.save()
        muni_id = int(row.id)
        summary.municipalities.append(muni["slug"])
        summary.notes += plugin_notes(
            platform, muni["slug"], [p for p in enabled if p in muni.get("plugins", enabled)]
        )
        office_ids = []
        for name, kind, settlement, address, schedule in muni["offices"]:
            office = Office(
                municipality=muni_id,
                name=name,
                kind=kind,
                settlement=settlement,
                address=address,
                schedule=schedule,
                phone="+380332" + str(rng.randint(100000, 999999)),
            )
            await office.save()
            office_ids.append((int(office.id), kind))
        await _citizens(muni, muni_id, citizens, rng, fake)
        summary.citizens += citizens
        provider_ids = []
        for name, kind, code in PROVIDERS[: 4 if muni["kind"] == "city" else 2]:
            provider = Provider(
                municipality=muni_id,
                name=name,
                kind=kind,
                edrpou=code,
                iban=iban_for(rng),
                address=muni["address"],
                verified=rng.random() < 0.8,
            )
            await provider.save()
            provider_ids.append(int(provider.id))
        summary.providers += len(provider_ids)
        first_citizen = (
            await Citizen.select(Citizen.id)
            .where(Citizen.municipality == muni_id)
            .order_by(Citizen.id)
            .first()
        )
        user_ids: dict[str, int] = {}
        for role in ROLES:
            username = f"{muni['slug']}.{role}"
            user_ids[role] = await create_user(
                municipality_id=muni_id,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                full_name=fake.name(),
                provider_id=provider_ids[0] if role == "provider" else None,
                citizen_id=first_citizen["id"] if role == "citizen" and first_citizen else None,
                office_id=office_ids[0][0] if role == "intake" else None,
            )
            summary.users.append((muni["slug"], username, role))
        actors = {r: _actor(user_ids[r], muni_id, muni["slug"], r) for r in ROLES}
        await demo_market.allow_history(platform, actors["admin"], today)
        lines = await demo_market.budget_lines(actors["admin"], today.year, muni["kind"] == "city")
        people = 8 if muni["kind"] == "city" else 3
        await demo_market.prepare_plugins(platform, actors["admin"], today, people)
        await _requests(platform, muni_id, muni["slug"], user_ids, office_ids, rng, today, summary)
        provider_users = {provider_ids[0]: user_ids["provider"]}
        if len(provider_ids) > 1:
            second = f"{muni['slug']}.provider2"
            provider_users[provider_ids[1]] = await create_user(
                municipality_id=muni_id,
                username=second,
                password=DEMO_PASSWORD,
                role="provider",
                full_name=fake.name(),
                provider_id=provider_ids[1],
            )
            summary.users.append((muni["slug"], second, "provider"))
        contracts = await demo_market.social_order(
            platform, actors, provider_users, lines["services"], rng, today
        )
        summary.contracts += len(contracts)
        if contracts:
            summary.deliveries += await demo_market.serve_people(
                platform,
                actors,
                provider_users,
                contracts,
                rng,
                today,
                people=people,
            )
        for state, n in (await demo_market.bill(platform, actors, provider_users, today)).items():
            summary.invoices[state] = summary.invoices.get(state, 0) + n
    return summary


def _actor(user_id: int, muni_id: int, slug: str, role: str) -> Actor:
    return Actor(
        id=user_id,
        username=f"{slug}.{role}",
        full_name="",
        role=role,
        municipality_id=muni_id,
        municipality_slug=slug,
    )


async def _requests(
    platform: Platform,
    muni_id: int,
    slug: str,
    user_ids: dict[str, int],
    office_ids: list[tuple[int, str]],
    rng: random.Random,
    today: date,
    summary: DemoSummary,
) -> None:
    intake = _actor(user_ids["intake"], muni_id, slug, "intake")
    caseworker = _actor(user_ids["caseworker"], muni_id, slug, "caseworker")
    services = [
        s
        for s in await platform.services(muni_id)
        if s.example_form is not None and s.payee != "provider"
    ]
    if not services:
        return
    people = await Citizen.select().where(Citizen.municipality == muni_id).order_by(Citizen.id)
    front = [o for o, kind in office_ids if kind != "back_office"]
    plan = (
        ["submitted"] * 8
        + ["overdue"] * 4
        + ["approved"] * 10
        + ["refused"] * 5
        + ["withdrawn"] * 3
    )
    for n, state in enumerate(plan):
        service = services[n % len(services)]
        person = rng.choice(people)
        received = today - timedelta(
            days=rng.randint(0, 4)
            if state == "submitted"
            else rng.randint(25, 60)
            if state == "overdue"
            else rng.randint(5, 40)
        )
        assert service.example_form is not None
        form = service.example_form(rng, citizen_flow.snapshot(person), received)
        if state in ("approved", "submitted", "overdue", "withdrawn"):
            form = msgspec.structs.replace(form, **_eligible_overrides(form))
        channels: list[Channel] = ["front_office", "front_office", "remote_workplace", "online"]
        channel = rng.choice(channels)
        body = RequestIn(
            service_code=service.code,
            citizen_id=person["id"],
            form=msgspec.to_builtins(form),
            channel=channel,
            office_id=None if channel == "online" else rng.choice(front),
            received_on=received,
        )
        detail = await request_flow.submit(platform, intake, body)
        if state == "approved" and detail.eligibility == "eligible":
            await request_flow.decide(
                platform,
                caseworker,
                detail.id,
                DecisionIn(decision="approve", comment="Документи в порядку."),
            )
        elif state == "refused":
            ground = service.card.refusal_grounds[rng.randrange(len(service.card.refusal_grounds))]
            await request_flow.decide(
                platform,
                caseworker,
                detail.id,
                DecisionIn(
                    decision="refuse", refusal_ground=ground.code, comment="Див. підставу відмови."
                ),
            )
        elif state == "withdrawn":
            await request_flow.withdraw(
                platform, intake, detail.id, CommentIn(comment="Заявник відкликав заяву.")
            )
    rows = await request_flow.Request.select(request_flow.Request.status).where(
        request_flow.Request.municipality == muni_id
    )
    for r in rows:
        summary.requests[r["status"]] = summary.requests.get(r["status"], 0) + 1


def _eligible_overrides(form: Any) -> dict[str, Any]:
    """Demo forms meant to pass: clear the flags that would make them fail."""
    fields = set(form.__struct_fields__)
    overrides = {
        k: False
        for k in ("deceased_employed", "deceased_pensioner", "deceased_registered_unemployed")
        if k in fields
    }
    return overrides


async def load_if_empty(
    platform: Platform, *, seed: int = 2026, citizens: int = 300
) -> DemoSummary | None:
    if await Municipality.count() > 0 or await User.count() > 0:
        return None
    return await load(platform, seed=seed, citizens=citizens)


def print_summary(summary: DemoSummary) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"Social order: {summary.contracts} contracts, {summary.deliveries} deliveries, "
        f"invoices {', '.join(f'{k} {v}' for k, v in sorted(summary.invoices.items()))}"
    )
    console.print(
        f"[bold]Demo data loaded[/]: municipalities {', '.join(summary.municipalities)}; "
        f"{summary.citizens} citizens, {summary.providers} providers, requests "
        + ", ".join(f"{k} {v}" for k, v in sorted(summary.requests.items()))
    )
    for note in summary.notes:
        console.print(f"[yellow]plugin[/] {note}")
    table = Table("municipality", "username", "role", "password", title="Demo users")
    for muni, username, role in summary.users:
        table.add_row(muni, username, role, summary.password)
    console.print(table)
