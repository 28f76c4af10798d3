"""The result of a calculation: every figure, month amounts, steps and parameters used."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from plugins.subsidies.norms import UtilityLine
from plugins.subsidies.periods import Period
from plugins.subsidies.trace import Step, UsedValue


class MemberTrace(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    age_category: str
    able_bodied: bool
    #: The category's subsistence minimum (for information; the formula uses the general one).
    category_pm: Decimal | None
    income: Decimal


class MonthUtility(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    provider_id: int | None
    amount: Decimal


class MonthAmount(msgspec.Struct, frozen=True, kw_only=True):
    month: str
    days: int
    days_in_month: int
    #: What is paid for each utility that month (prorated by the days covered).
    utilities: list[MonthUtility]
    total: Decimal


class Calculation(msgspec.Struct, frozen=True, kw_only=True):
    """The result and its explanation, as a specialist shows it to the citizen."""

    applied_on: date
    period: Period
    household_type: str
    persons: int
    members: list[MemberTrace]
    income_quarters: list[str]
    income_total: Decimal
    income_monthly: Decimal
    income_per_person: Decimal
    subsistence_minimum: Decimal
    income_coefficient: Decimal
    base_coefficient: Decimal
    base_payment_percent: Decimal
    mandatory_percent: Decimal
    mandatory_payment: Decimal
    area_norm: Decimal
    lines: list[UtilityLine]
    normed_total: Decimal
    subsidy_total: Decimal
    local_share_percent: Decimal
    payable_monthly: Decimal
    months: list[MonthAmount]
    steps: list[Step]
    parameters: list[UsedValue]
