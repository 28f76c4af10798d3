"""The subsidy calculation (DOMAIN §1.2–1.4), a pure function of the household, the
period and the dated parameters, with Decimal arithmetic and a full trace::

    income per person = average monthly total income of the household / members
    Кд = income per person / ПМ (general, on 1 January of the year the period starts)
    Ро = Кд / Кг × Рг, rounded to 2 places (Кг = 2, Рг = 15 %)
    mandatory payment = Ро % × average monthly total income of the household
    subsidy = cost within the social norms − mandatory payment (never negative)

Amounts are rounded half up to kopiyky at each step; Кд is kept exact.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from core.sdk import ParameterMissing, Parameters, money
from plugins.subsidies import norms
from plugins.subsidies.model import (
    EXCLUDED_INCOME,
    Dwelling,
    Member,
    Utility,
    able_bodied,
    category_of,
    individual_heating,
)
from plugins.subsidies.periods import Period, assignment_period
from plugins.subsidies.result import Calculation, MemberTrace, MonthAmount, MonthUtility
from plugins.subsidies.trace import Lookup, Steps, q

ZERO = Decimal("0.00")


def household_type(members: list[Member], on: date) -> str:
    if norms.single_non_working_pensioner(members):
        return "single_pensioner"
    cats = [category_of(m, on) for m in members]
    if all(c != "able_bodied" for c in cats) and any(c == "lost_ability" for c in cats):
        return "non_working"
    if any(c.startswith("child") for c in cats):
        return "with_children"
    return "general"


def _coefficients(kind: str, on: date, look: Lookup, s: Steps) -> tuple[Decimal, Decimal]:
    kg = look.dec("base_income_coefficient", on)
    rg = look.dec("base_payment_percent", on)
    override = (look.raw("share_overrides", on) or {}).get(kind)
    if isinstance(override, dict):
        kg = Decimal(str(override.get("Kg", kg)))
        rg = Decimal(str(override.get("Rg", rg)))
        s.add("override", "Особливі Кг/Рг для типу", "Override for the type", kind, f"{kg}/{rg}")
    return kg, rg


def _member_pm(cat: str, on: date, params: Parameters) -> Decimal | None:
    try:
        return Decimal(str(params.at(f"subsidies.pm_{cat}", on)))
    except ParameterMissing:
        return None


def calculate(
    members: list[Member],
    dwelling: Dwelling,
    utilities: list[Utility],
    *,
    applied_on: date,
    period: Period,
    params: Parameters,
) -> Calculation:
    look, s = Lookup(params), Steps()
    n = len(members)
    quarters = set(period.income_quarters)
    pm_day = date(period.start.year, 1, 1)
    traced: list[MemberTrace] = []
    income_total = ZERO
    for m in members:
        own = sum(
            (
                i.amount
                for i in m.incomes
                if (i.year, i.quarter) in quarters and i.kind not in EXCLUDED_INCOME
            ),
            ZERO,
        )
        income_total += own
        cat = category_of(m, applied_on)
        traced.append(
            MemberTrace(
                name=m.name,
                age_category=cat,
                able_bodied=able_bodied(m, applied_on),
                category_pm=_member_pm(cat, pm_day, params),
                income=money(own),
            )
        )
    months = 3 * len(quarters)
    labels = [f"{y}-Q{k}" for y, k in period.income_quarters]
    s.add(
        "income_total",
        "Сукупний дохід за період",
        "Total income of the period",
        " + ".join(labels),
        money(income_total),
    )
    income_monthly = money(income_total / months)
    s.add(
        "income_monthly",
        "Середньомісячний сукупний дохід домогосподарства",
        "Average monthly total income of the household",
        f"{money(income_total)} / {months}",
        income_monthly,
    )
    per_person = money(income_monthly / n)
    s.add(
        "income_per_person",
        "Середньомісячний дохід на особу",
        "Monthly income per person",
        f"{income_monthly} / {n}",
        per_person,
    )
    pm = look.dec("pm_general", pm_day)
    s.add(
        "pm",
        "Прожитковий мінімум на 1 січня року призначення",
        "Subsistence minimum on 1 January of the year of assignment",
        f"ПМ({pm_day})",
        pm,
    )
    kd = per_person / pm
    s.add("kd", "Коефіцієнт доходу Кд", "Income coefficient Кд", f"{per_person} / {pm}", kd)
    kind = household_type(members, applied_on)
    kg, rg = _coefficients(kind, applied_on, look, s)
    share = q(kd / kg * rg)
    s.add(
        "share",
        "Обов'язковий відсоток платежу Ро",
        "Mandatory share Ро",
        f"{q(kd, '0.0001')} / {kg} × {rg}",
        share,
    )
    mandatory = money(income_monthly * share / 100)
    s.add(
        "mandatory",
        "Обов'язкова плата",
        "Mandatory payment",
        f"{income_monthly} × {share}%",
        mandatory,
    )
    norm_area = norms.area_norm(members, dwelling, applied_on, look, s)
    lines = [
        norms.utility_line(
            u,
            n=n,
            norm_area=norm_area,
            dwelling=dwelling,
            season=period.season,
            on=applied_on,
            look=look,
        )
        for u in utilities
    ]
    for line in lines:
        s.add(
            f"normed_{line.kind}",
            f"Вартість у межах норм: {line.kind}",
            f"Cost within the norms: {line.kind}",
            f"{line.charge} × min(1, {line.norm} / {line.actual})",
            line.normed_charge,
        )
    normed_total = sum((line.normed_charge for line in lines), ZERO)
    s.add(
        "normed_total",
        "Вартість послуг у межах норм",
        "Cost within the norms",
        " + ".join(str(line.normed_charge) for line in lines),
        normed_total,
    )
    lines = norms.spread(lines, mandatory)
    subsidy = sum((line.subsidy for line in lines), ZERO)
    s.add(
        "subsidy",
        "Субсидія на місяць",
        "Subsidy a month",
        f"max(0, {normed_total} − {mandatory})",
        subsidy,
    )
    local = look.dec("local_programme_share_percent", applied_on)
    payable = [money(line.subsidy * local / 100) for line in lines]
    total_payable = sum(payable, ZERO)
    s.add(
        "payable",
        "До виплати за місцевою програмою",
        "Payable by the local programme",
        f"{subsidy} × {local}%",
        total_payable,
    )
    month_rows = []
    for share_m in period.months:
        items = [
            MonthUtility(
                kind=line.kind,
                provider_id=line.provider_id,
                amount=money(p * share_m.days / share_m.days_in_month),
            )
            for line, p in zip(lines, payable, strict=True)
        ]
        month_rows.append(
            MonthAmount(
                month=share_m.month,
                days=share_m.days,
                days_in_month=share_m.days_in_month,
                utilities=items,
                total=sum((i.amount for i in items), ZERO),
            )
        )
    return Calculation(
        applied_on=applied_on,
        period=period,
        household_type=kind,
        persons=n,
        members=traced,
        income_quarters=labels,
        income_total=money(income_total),
        income_monthly=income_monthly,
        income_per_person=per_person,
        subsistence_minimum=pm,
        income_coefficient=q(kd, "0.0001"),
        base_coefficient=kg,
        base_payment_percent=rg,
        mandatory_percent=share,
        mandatory_payment=mandatory,
        area_norm=norm_area,
        lines=lines,
        normed_total=normed_total,
        subsidy_total=subsidy,
        local_share_percent=local,
        payable_monthly=total_payable,
        months=month_rows,
        steps=s.items,
        parameters=look.used,
    )


def explain(
    members: list[Member],
    dwelling: Dwelling,
    utilities: list[Utility],
    *,
    applied_on: date,
    params: Parameters,
) -> Calculation:
    """The period from the application date, then the calculation over it."""
    look = Lookup(params)
    period = assignment_period(
        applied_on,
        individual=individual_heating(utilities) != "central",
        tenant=dwelling.tenure == "tenant",
        lease_end=dwelling.lease_end,
        look=look,
    )
    calc = calculate(
        members, dwelling, utilities, applied_on=applied_on, period=period, params=params
    )
    used = [u for u in look.used if u not in calc.parameters]
    return msgspec.structs.replace(calc, parameters=[*used, *calc.parameters])
