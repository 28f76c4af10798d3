"""Demo data: realistic households for the demo citizens, a demo application form, and
the money path: utility providers with contracts, subsidies assigned to a few of the
households (paid to the providers, or in cash), their charges, and the months paid."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from core.sdk import Actor, Applicant, Parameters, Platform, load_parameters
from plugins.subsidies.model import (
    Dwelling,
    Income,
    Member,
    SubsidyForm,
    Utility,
)
from plugins.subsidies.periods import income_quarters, season_of
from plugins.subsidies.trace import Lookup

DEFAULTS = Parameters(load_parameters(Path(__file__).with_name("parameters.toml"), "subsidies"))
NAMES = ["Олена", "Микола", "Ірина", "Василь", "Галина", "Степан"]


def _quarters(on: date) -> tuple[tuple[int, int], ...]:
    season, start, _ = season_of(on, False, Lookup(DEFAULTS))
    return income_quarters(season, start)


def household(
    rng: random.Random, applicant: Applicant, on: date
) -> tuple[list[Member], Dwelling, list[Utility]]:
    """A modest household whose income leaves room for a subsidy."""
    quarters = _quarters(on)
    size = rng.choice([1, 2, 3])
    members = []
    for n in range(size):
        pensioner = size == 1 or n == 1
        born = date(on.year - (67 if pensioner else 38), rng.randint(1, 12), 1)
        quarterly = Decimal(rng.choice(["9000", "10500", "12000"]))
        members.append(
            Member(
                name=applicant.first_name or NAMES[n] if n == 0 else NAMES[n],
                birth_date=born,
                citizen_id=applicant.citizen_id if n == 0 else None,
                pensioner=pensioner,
                working=not pensioner,
                incomes=[
                    Income(
                        kind="pension" if pensioner else "salary",
                        year=y,
                        quarter=q,
                        amount=quarterly,
                    )
                    for y, q in quarters
                ],
            )
        )
    area = Decimal(rng.choice(["42.5", "56.0", "64.3"]))
    utilities = [
        Utility(kind="heating", monthly_charge=Decimal(rng.choice(["2400", "3100"]))),
        Utility(kind="housing_maintenance", monthly_charge=Decimal("310.50")),
        Utility(
            kind="electricity",
            monthly_charge=Decimal("520.00"),
            metered=True,
            monthly_volume=Decimal("120"),
        ),
    ]
    return members, Dwelling(total_area=area), utilities


def example_form(rng: random.Random, applicant: Applicant, on: date) -> SubsidyForm:
    members, dwelling, utilities = household(rng, applicant, on)
    return SubsidyForm(
        members=members,
        dwelling=dwelling,
        utilities=utilities,
        purchases=[],
        currency_purchases=[],
        deposits_total=Decimal(rng.choice(["0", "5000", "20000"])),
        vehicles=[],
        other_dwellings=[],
        utility_debts=[],
    )


async def prepare(platform: Platform, actor: Actor, citizen_ids: list[int], since: date) -> None:
    """Store a household for each of the given citizens (their own rows of the plugin),
    then assign and pay the subsidies of the first four of them (from the last heating
    season's start, whatever ``since`` says: a subsidy is assigned by season)."""
    from plugins.subsidies import demo_payments, households
    from plugins.subsidies.schemas import HouseholdIn

    rng = random.Random(len(citizen_ids) * 17 + actor.municipality_id)
    for citizen_id in citizen_ids:
        members, dwelling, utilities = household(rng, Applicant(citizen_id=citizen_id), since)
        await households.create(
            actor,
            HouseholdIn(
                applicant_citizen_id=citizen_id,
                members=members,
                dwelling=dwelling,
                utilities=utilities,
            ),
        )
    await demo_payments.prepare(platform, actor, citizen_ids[:4], rng)
