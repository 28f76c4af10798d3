"""Eligibility rules (DOMAIN §1.5): each disqualifier is a finding with its reason.

Every rule declares the form fields it ``needs``, so a partial screening yields an
"unknown" finding for what the citizen has not answered yet. Limits are dated
parameters read on the application date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.sdk import Finding, RuleContext, Text, rule
from plugins.subsidies.formula import explain
from plugins.subsidies.model import Purchase, SubsidyForm, able_bodied, age_on
from plugins.subsidies.periods import NoPeriod, add_months

P = "subsidies."
PURCHASES = "subsidies.purchases"
CURRENCY = "subsidies.currency"
DEPOSITS = "subsidies.deposits"
VEHICLES = "subsidies.vehicles"
DWELLINGS = "subsidies.second_dwelling"
DEBT = "subsidies.utility_debt"
ABROAD = "subsidies.abroad"
NO_INCOME = "subsidies.no_income"
TENANCY = "subsidies.tenancy"
AMOUNT = "subsidies.amount"
OVERPAID = "subsidies.overpaid"
AREA_CAP = "subsidies.area_cap"


def _dec(ctx: RuleContext, name: str) -> Decimal:
    return ctx.params.decimal(P + name, ctx.on)


def _int(ctx: RuleContext, name: str) -> int:
    return int(ctx.params.at(P + name, ctx.on))


def _counted(p: Purchase, solar_limit: Decimal) -> bool:
    """Exempt purchases are not counted; solar or wind generation on credit only above
    its own limit."""
    if p.exempt == "solar_on_credit":
        return p.amount > solar_limit
    return not p.exempt


def _big(items: list[Purchase], on: date, limit: Decimal, solar_limit: Decimal) -> list[Purchase]:
    since = add_months(on, -12)
    return [
        p for p in items if since <= p.on <= on and _counted(p, solar_limit) and p.amount > limit
    ]


@rule(
    PURCHASES, needs=("purchases",), title=Text("Купівлі за 12 місяців", "Purchases in 12 months")
)
def purchases(ctx: RuleContext) -> Finding:
    limit = _dec(ctx, "purchase_limit")
    big = _big(ctx.form.purchases, ctx.on, limit, _dec(ctx, "solar_credit_limit"))
    if big:
        top = max(p.amount for p in big)
        return ctx.failed(
            PURCHASES,
            f"Протягом 12 місяців до звернення здійснено купівлю на {top} грн, понад "
            f"{limit} грн: субсидію не призначають.",
            f"A purchase of {top} UAH within 12 months before applying exceeds {limit} UAH: "
            "no subsidy is assigned.",
        )
    return ctx.passed(
        PURCHASES,
        f"Разових купівель понад {limit} грн за 12 місяців немає.",
        f"No one-off purchase over {limit} UAH within 12 months.",
    )


@rule(CURRENCY, needs=("currency_purchases",), title=Text("Купівля валюти", "Currency bought"))
def currency(ctx: RuleContext) -> Finding:
    limit = _dec(ctx, "currency_purchase_limit")
    since = add_months(ctx.on, -12)
    total = sum(
        (p.amount for p in ctx.form.currency_purchases if since <= p.on <= ctx.on), Decimal(0)
    )
    if total > limit:
        return ctx.failed(
            CURRENCY,
            f"За рік до звернення куплено валюти на {total} грн, понад {limit} грн.",
            f"Foreign currency worth {total} UAH was bought within a year, over {limit} UAH.",
        )
    return ctx.passed(
        CURRENCY,
        f"Валюти за рік куплено на {total} грн (межа {limit} грн).",
        f"Currency bought within a year: {total} UAH (limit {limit} UAH).",
    )


@rule(DEPOSITS, needs=("deposits_total",), title=Text("Вклади в банках", "Bank deposits"))
def deposits(ctx: RuleContext) -> Finding:
    limit = _dec(ctx, "deposit_limit")
    total = ctx.form.deposits_total
    if total > limit:
        return ctx.failed(
            DEPOSITS,
            f"Вклади членів домогосподарства {total} грн перевищують {limit} грн.",
            f"The household's deposits of {total} UAH exceed {limit} UAH.",
        )
    return ctx.passed(
        DEPOSITS,
        f"Вклади {total} грн не перевищують {limit} грн.",
        f"Deposits of {total} UAH do not exceed {limit} UAH.",
    )


@rule(VEHICLES, needs=("vehicles",), title=Text("Транспортні засоби", "Vehicles"))
def vehicles(ctx: RuleContext) -> Finding:
    new, several = _int(ctx, "vehicle_new_years"), _int(ctx, "vehicle_several_years")
    counted = [v for v in ctx.form.vehicles if v.kind not in ("moped", "trailer")]
    ages = [ctx.on.year - v.year_made for v in counted]
    young = [a for a in ages if a < new]
    fairly_young = [a for a in ages if a < several]
    if young:
        return ctx.failed(
            VEHICLES,
            f"Є транспортний засіб, молодший за {new} років: субсидію не призначають.",
            f"A vehicle is less than {new} years old: no subsidy is assigned.",
        )
    if len(fairly_young) > 1:
        return ctx.failed(
            VEHICLES,
            f"Більше одного транспортного засобу, молодшого за {several} років.",
            f"More than one vehicle is less than {several} years old.",
        )
    return ctx.passed(
        VEHICLES,
        "Транспортні засоби не позбавляють права (мопеди й причепи не враховано).",
        "Vehicles do not disqualify (mopeds and trailers are not counted).",
    )


@rule(DWELLINGS, needs=("other_dwellings",), title=Text("Інше житло", "Another dwelling"))
def second_dwelling(ctx: RuleContext) -> Finding:
    counted = [
        d for d in ctx.form.other_dwellings if not (d.rural or d.inherited or d.shared_ownership)
    ]
    if counted:
        return ctx.failed(
            DWELLINGS,
            "Домогосподарство має ще одне житло (не в сільській місцевості, не успадковане, "
            "не у спільній власності): субсидію не призначають.",
            "The household owns another dwelling (not rural, not inherited, not shared): "
            "no subsidy is assigned.",
        )
    return ctx.passed(
        DWELLINGS,
        "Іншого житла, що позбавляє права, немає.",
        "No other dwelling that disqualifies.",
    )


@rule(DEBT, needs=("utility_debts",), title=Text("Борг за ЖКП", "Utility debt"))
def utility_debt(ctx: RuleContext) -> Finding:
    months, amount = _int(ctx, "debt_months"), _dec(ctx, "debt_amount")
    bad = [
        d
        for d in ctx.form.utility_debts
        if d.months_overdue > months
        and d.amount > amount
        and not (d.restructured or d.disputed_in_court)
    ]
    if bad:
        d = bad[0]
        return ctx.failed(
            DEBT,
            f"Борг за житлово-комунальні послуги {d.amount} грн прострочено {d.months_overdue} "
            f"міс. (понад {months} міс. і {amount} грн), не реструктуризовано і не оскаржено.",
            f"A utility debt of {d.amount} UAH is {d.months_overdue} months overdue (over "
            f"{months} months and {amount} UAH), neither restructured nor disputed.",
        )
    return ctx.passed(
        DEBT,
        "Простроченого боргу, що позбавляє права, немає.",
        "No overdue debt that disqualifies.",
    )


@rule(ABROAD, needs=("members",), title=Text("Перебування за кордоном", "Time abroad"))
def abroad(ctx: RuleContext) -> Finding:
    limit = _int(ctx, "abroad_days")
    away = [
        m for m in ctx.form.members if age_on(m.birth_date, ctx.on) >= 18 and m.abroad_days > limit
    ]
    if away:
        m = away[0]
        return ctx.failed(
            ABROAD,
            f"{m.name} перебував(ла) за кордоном {m.abroad_days} днів, понад {limit}.",
            f"{m.name} was abroad {m.abroad_days} days, more than {limit}.",
        )
    return ctx.passed(
        ABROAD,
        f"Ніхто з повнолітніх не перебував за кордоном понад {limit} днів.",
        f"No adult was abroad more than {limit} days.",
    )


@rule(NO_INCOME, needs=("members",), title=Text("Доходи працездатних", "Able-bodied incomes"))
def no_income(ctx: RuleContext) -> Finding:
    for m in ctx.form.members:
        if not able_bodied(m, ctx.on) or m.student or m.pensioner or m.social_pension:
            continue
        if m.registered_unemployed or m.ill or m.caring_for_child:
            continue
        if not m.working and not m.contributions_paid and not any(i.amount > 0 for i in m.incomes):
            return ctx.failed(
                NO_INCOME,
                f"{m.name}: працездатна особа без доходів і без сплати ЄСВ, поважних причин "
                "(облік у центрі зайнятості, хвороба, догляд за дитиною, навчання) не вказано.",
                f"{m.name}: an able-bodied adult with no income and no contributions, and no "
                "good reason (registered unemployed, illness, child care, studies).",
            )
    return ctx.passed(
        NO_INCOME,
        "Працездатні члени мають доходи, сплачують ЄСВ або мають поважну причину.",
        "Able-bodied members have incomes, pay contributions or have a good reason.",
    )


@rule(TENANCY, needs=("dwelling",), title=Text("Договір найму", "Lease"))
def tenancy(ctx: RuleContext) -> Finding:
    d = ctx.form.dwelling
    if d.tenure != "tenant":
        return ctx.passed(TENANCY, "Житло у власності.", "The dwelling is owned.")
    if d.lease_end is None or d.lease_end < ctx.on:
        return ctx.failed(
            TENANCY,
            "Наймачеві субсидію призначають лише за чинним договором найму.",
            "A tenant gets a subsidy only under a lease in force.",
        )
    return ctx.passed(
        TENANCY,
        f"Договір найму діє до {d.lease_end:%d.%m.%Y}.",
        f"The lease runs until {d.lease_end:%d.%m.%Y}.",
    )


@rule(
    OVERPAID,
    needs=("overpaid_unreturned",),
    title=Text("Надміру виплачена субсидія", "Overpaid subsidy"),
)
def overpaid(ctx: RuleContext) -> Finding:
    owed = ctx.form.overpaid_unreturned
    if owed > 0:
        return ctx.failed(
            OVERPAID,
            f"Надміру виплачену субсидію {owed} грн не повернуто: субсидію не призначають, "
            "доки її не повернуто.",
            f"An overpaid subsidy of {owed} UAH has not been returned: no subsidy is assigned "
            "until it is.",
        )
    return ctx.passed(
        OVERPAID,
        "Неповернутої надміру виплаченої субсидії немає.",
        "No overpaid subsidy is owed.",
    )


@rule(AREA_CAP, needs=("dwelling",), title=Text("Площа житла", "Floor area"))
def area_cap(ctx: RuleContext) -> Finding:
    d = ctx.form.dwelling
    cap = _dec(ctx, "area_cap_house" if d.kind == "house" else "area_cap_flat")
    what = Text("будинку", "house") if d.kind == "house" else Text("квартири", "flat")
    if cap <= 0:
        return ctx.passed(
            AREA_CAP,
            "Граничну площу житла не встановлено.",
            "No floor-area cap is set.",
        )
    if d.total_area > cap:
        return ctx.failed(
            AREA_CAP,
            f"Загальна площа {what.uk} {d.total_area} м² перевищує граничну {cap} м².",
            f"The floor area of the {what.en}, {d.total_area} m², is over the cap of {cap} m².",
        )
    return ctx.passed(
        AREA_CAP,
        f"Загальна площа {what.uk} {d.total_area} м² не перевищує граничну {cap} м².",
        f"The floor area of the {what.en}, {d.total_area} m², is within the cap of {cap} m².",
    )


@rule(AMOUNT, needs=("members", "dwelling", "utilities"), title=Text("Розмір субсидії", "Amount"))
def amount(ctx: RuleContext) -> Finding:
    form: SubsidyForm = ctx.form
    try:
        calc = explain(
            form.members, form.dwelling, form.utilities, applied_on=ctx.on, params=ctx.params
        )
    except NoPeriod as exc:
        return ctx.failed(
            AMOUNT,
            f"Період призначення не визначено: {exc}.",
            f"No period of assignment: {exc}.",
        )
    if calc.subsidy_total <= 0:
        return ctx.failed(
            AMOUNT,
            f"Обов'язкова плата {calc.mandatory_payment} грн ({calc.mandatory_percent}% доходу) "
            f"покриває вартість послуг у межах норм {calc.normed_total} грн: субсидії немає.",
            f"The mandatory payment of {calc.mandatory_payment} UAH ({calc.mandatory_percent}% "
            f"of income) covers the cost within the norms, {calc.normed_total} UAH: no subsidy.",
        )
    return ctx.passed(
        AMOUNT,
        f"Субсидія {calc.subsidy_total} грн на місяць: вартість у межах норм "
        f"{calc.normed_total} грн − обов'язкова плата {calc.mandatory_payment} грн "
        f"({calc.mandatory_percent}%).",
        f"Subsidy of {calc.subsidy_total} UAH a month: cost within the norms "
        f"{calc.normed_total} UAH − mandatory payment {calc.mandatory_payment} UAH "
        f"({calc.mandatory_percent}%).",
    )


RULES = (
    purchases,
    currency,
    deposits,
    vehicles,
    second_dwelling,
    utility_debt,
    abroad,
    no_income,
    tenancy,
    overpaid,
    area_cap,
    amount,
)
