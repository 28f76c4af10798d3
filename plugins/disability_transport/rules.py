"""Eligibility for the social taxi (registration): who may use it, where they live and,
where the municipality wants it, income and car-ownership limits.

Each rule asks for an answer (``ctx.answer``) only where its path needs it: a wheelchair
user is not asked the disability group, nobody is asked the pension where the hromada sets
no pension cap."""

from __future__ import annotations

from decimal import Decimal

from core.sdk import Finding, RuleContext, Text, rule

P = "disability_transport."
CATEGORY = "disability_transport.category"
RESIDENT = "disability_transport.resident"
INCOME_CAP = "disability_transport.income_cap"
NO_CAR = "disability_transport.no_car"

GROUPS = {1: "I", 2: "II", 3: "III"}


def _flag(ctx: RuleContext, name: str) -> bool:
    return bool(ctx.params.at(P + name, ctx.on))


@rule(CATEGORY, title=Text("Категорія отримувача", "Category of the user"))
def category(ctx: RuleContext) -> Finding:
    if ctx.answer("wheelchair") != "none":
        return ctx.passed(
            CATEGORY,
            "Особа пересувається на кріслі колісному.",
            "The person moves in a wheelchair.",
        )
    allowed = {"musculoskeletal"}
    if _flag(ctx, "visual_impairment_eligible"):
        allowed.add("visual")
    if _flag(ctx, "intellectual_impairment_eligible"):
        allowed.add("intellectual")
    group = ctx.answer("disability_group")
    if group in (1, 2):
        kinds = set(ctx.answer("impairments"))
        if not kinds & allowed and ctx.answer("uses_crutches_or_cane"):
            kinds.add("musculoskeletal")
        if kinds & allowed:
            names = {"musculoskeletal": "опорно-рухового апарату", "visual": "зору"}
            found = sorted(kinds & allowed)
            uk = ", ".join(names.get(k, "інтелектуальні") for k in found)
            return ctx.passed(
                CATEGORY,
                f"Особа з інвалідністю {GROUPS[group]} групи, порушення: {uk}.",
                f"A person with a group {GROUPS[group]} disability, impairment: "
                f"{', '.join(found)}.",
            )
    if ctx.answer("child_with_disability"):
        return ctx.passed(CATEGORY, "Дитина з інвалідністю.", "A child with a disability.")
    listed = "опорно-рухового апарату" + (", зору" if "visual" in allowed else "")
    listed += ", інтелектуальними" if "intellectual" in allowed else ""
    listed_en = ", ".join(sorted(allowed))
    return ctx.failed(
        CATEGORY,
        "Соціальне таксі надають особам на кріслі колісному, дітям з інвалідністю та "
        f"особам з інвалідністю I–II групи з порушеннями {listed}; "
        f"заявник не належить до жодної з цих категорій.",
        "The social taxi serves wheelchair users, children with disabilities and persons "
        f"with a group I–II disability with a {listed_en} impairment; the applicant is in "
        "none of these categories.",
    )


@rule(RESIDENT, title=Text("Мешканець громади", "Resident of the hromada"))
def resident(ctx: RuleContext) -> Finding:
    place = (ctx.applicant.settlement or "").strip()
    name = ctx.municipality.name
    if not place:
        return ctx.unknown(
            RESIDENT,
            "Невідомо, де проживає особа: зазначте населений пункт у картці громадянина.",
            "It is not known where the person lives: enter the settlement in the citizen's record.",
        )
    known = {s.strip().casefold() for s in ctx.municipality.settlements}
    if place.casefold() in known:
        return ctx.passed(
            RESIDENT, f"Проживає: {place}, {name.uk}.", f"Lives in {place}, {name.en}."
        )
    return ctx.failed(
        RESIDENT,
        f"Населений пункт «{place}» не належить до громади {name.uk}: соціальне таксі "
        "надають лише мешканцям громади.",
        f"'{place}' is not in {name.en}: the social taxi serves residents of the hromada only.",
    )


@rule(INCOME_CAP, title=Text("Розмір пенсії", "Pension amount"))
def income_cap(ctx: RuleContext) -> Finding:
    if not _flag(ctx, "income_cap_enabled"):
        return ctx.passed(
            INCOME_CAP,
            "Громада не обмежує послугу розміром пенсії.",
            "The hromada sets no pension cap for the service.",
        )
    pm = ctx.params.decimal(P + "pm_general", ctx.on)
    k = ctx.params.decimal(P + "income_cap_pm_multiplier", ctx.on)
    limit = (pm * k).quantize(Decimal("0.01"))
    pension = Decimal(ctx.answer("monthly_pension")).quantize(Decimal("0.01"))
    if pension <= limit:
        return ctx.passed(
            INCOME_CAP,
            f"Пенсія {pension} грн не перевищує {k} ПМ ({limit} грн).",
            f"The pension of {pension} UAH is within {k} subsistence minimums ({limit} UAH).",
        )
    return ctx.failed(
        INCOME_CAP,
        f"Пенсія {pension} грн перевищує {k} прожиткових мінімуми ({limit} грн): послугу "
        "надають особам з меншим доходом.",
        f"The pension of {pension} UAH exceeds {k} subsistence minimums ({limit} UAH): the "
        "service is for persons with a lower income.",
    )


@rule(NO_CAR, title=Text("Автомобіль у сім'ї", "A car in the family"))
def no_car(ctx: RuleContext) -> Finding:
    if not _flag(ctx, "no_car_rule_enabled"):
        return ctx.passed(
            NO_CAR,
            "Наявність автомобіля в сім'ї не перевіряють.",
            "A car in the family does not matter here.",
        )
    if not ctx.answer("family_has_car"):
        return ctx.passed(NO_CAR, "У сім'ї немає автомобіля.", "The family has no car.")
    return ctx.failed(
        NO_CAR,
        "У сім'ї є автомобіль: у громаді соціальне таксі надають лише сім'ям без "
        "власного автомобіля.",
        "The family has a car: in this hromada the social taxi serves only families without a car.",
    )


RULES = (category, resident, income_cap, no_car)
