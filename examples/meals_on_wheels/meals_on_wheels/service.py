"""Meals on wheels: a hot meal brought home to residents aged 70 or more who live alone,
and to persons with disability group I. The provider is paid 85.00 a meal and 20.00 a
delivery trip (the contract fixes both prices); at most 22 meals a person a month."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from core.sdk import (
    Applicant,
    DeliveryContext,
    Finding,
    Payee,
    PositiveMoney,
    Pricing,
    RuleContext,
    Service,
    TariffPart,
    Text,
    label,
    load_card,
    load_parameters,
    rule,
)

HERE = Path(__file__).parent
CAP = "meals_on_wheels.max_meals_per_month"


class MealsForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    diet: Literal["regular", "diabetic", "soft"] = "regular"
    notes: Annotated[str, msgspec.Meta(max_length=500)] = ""


class Tariff(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    meal: PositiveMoney
    trip: PositiveMoney


class MealDelivery(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    meals: Annotated[int, msgspec.Meta(ge=1, le=3)] = 1


@rule("meals_on_wheels.eligible", title=Text("Хто має право", "Who may receive it"))
def eligible(ctx: RuleContext) -> Finding:
    rid = "meals_on_wheels.eligible"
    if ctx.applicant.disability_group == 1:
        return ctx.passed(rid, "Інвалідність I групи.", "Disability group I.")
    min_age = int(ctx.params.at("meals_on_wheels.min_age", ctx.on))
    born = ctx.applicant.birth_date
    age = (
        None
        if born is None
        else ctx.on.year - born.year - ((ctx.on.month, ctx.on.day) < (born.month, born.day))
    )
    if age is None or age < min_age:
        return ctx.failed(rid, f"Молодше {min_age} років.", f"Younger than {min_age}.")
    if not ctx.household.need("lives_alone"):
        return ctx.failed(rid, "Проживає не сам.", "Does not live alone.")
    return ctx.passed(rid, f"{age} років, проживає сам.", f"Aged {age}, lives alone.")


def price(tariff: Tariff, delivery: MealDelivery) -> Pricing:
    meals = Decimal(delivery.meals)
    return Pricing(quantity=meals, parts={"meal": meals, "trip": Decimal(1)})


async def within_cap(ctx: DeliveryContext) -> list[Finding]:
    cap = int(ctx.params.at(CAP, ctx.delivered_on))
    total = await ctx.recorded.quantity("month") + ctx.delivery.meals
    rid, month = "meals_on_wheels.monthly_cap", f"{ctx.delivered_on:%m.%Y}"
    if total <= cap:
        return [ctx.passed(rid, f"За {month}: {total} з {cap}.", f"In {month}: {total} of {cap}.")]
    return [
        ctx.failed(
            rid,
            f"За {month} було б {total}, більше за {cap}.",
            f"In {month} it would be {total}, over {cap}.",
        )
    ]


def example_form(rng: random.Random, applicant: Applicant, on: date) -> MealsForm:
    return MealsForm(diet=rng.choice(["regular", "diabetic", "soft"]))


SERVICE = Service(
    code="meals_on_wheels.meals",
    card=load_card(HERE / "card.toml"),
    form=MealsForm,
    labels={
        "diet": label(
            "Дієта",
            "Diet",
            choices={
                "regular": ("Звичайна", "Regular"),
                "diabetic": ("Діабетична", "Diabetic"),
                "soft": ("Щадна", "Soft"),
            },
        ),
        "notes": label("Примітки для доставки", "Notes for the delivery"),
    },
    rules=(eligible,),
    payee=Payee.provider,
    parameters=load_parameters(HERE / "parameters.toml", "meals_on_wheels"),
    example_form=example_form,
    unit=Text("обід", "meal"),
    tariff=Tariff,
    tariff_parts=(
        TariffPart(key="meal", label=Text("обід", "meal"), unit=Text("обід", "meal")),
        TariffPart(
            key="trip", label=Text("доставка", "delivery trip"), unit=Text("поїздка", "trip")
        ),
    ),
    delivery=MealDelivery,
    delivery_labels={"meals": label("Кількість обідів", "Meals")},
    price=price,
    check_delivery=within_cap,
    reference_unit_price=Decimal("85.00"),
)
