"""msgspec Structs of the plugin's API: what comes in and what goes out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from msgspec import Meta, Struct

from core.sdk import Checked, RowId
from plugins.subsidies.billing import Month
from plugins.subsidies.formula import Calculation
from plugins.subsidies.model import (
    Channel,
    Dwelling,
    Member,
    Utility,
    UtilityKind,
    checked,
    ukrainian_iban,
)


class HouseholdData(Checked, kw_only=True, forbid_unknown_fields=True):
    """Members with their incomes, the dwelling and the utilities."""

    members: Annotated[list[Member], Meta(min_length=1, max_length=30)]
    dwelling: Dwelling
    utilities: Annotated[list[Utility], Meta(min_length=1, max_length=10)]


class CalculateIn(HouseholdData, kw_only=True, forbid_unknown_fields=True):
    #: The application date; today when empty.
    applied_on: date | None = None


class HouseholdIn(HouseholdData, kw_only=True, forbid_unknown_fields=True):
    applicant_citizen_id: RowId
    #: The core Household the members belong to, if any.
    core_household_id: RowId | None = None


class HouseholdOut(HouseholdIn, kw_only=True):
    id: int
    updated_at: datetime


class HouseholdSummary(Struct, kw_only=True):
    id: int
    applicant_citizen_id: int
    core_household_id: int | None
    members: int
    total_area: Decimal
    tenure: str


class AssignIn(Checked, kw_only=True, forbid_unknown_fields=True):
    """Assign the approved request's subsidy; ``contract_id`` also assigns the request to
    a utility provider's contract (the core's assignment) when it is still approved."""

    contract_id: RowId | None = None
    comment: Annotated[str, Meta(max_length=2000, pattern=r"^[^\x00]*$")] = ""
    #: The day the request was assigned to ``contract_id``, when entered later (as the
    #: core's ``assigned_on``): the months from then on are paid within each month, the
    #: ones before it are back payments.
    assigned_on: date | None = None


class MonthLine(Struct, kw_only=True):
    month: str
    utility: str
    provider_id: int | None
    #: The assigned amount.
    amount: Decimal
    status: str
    #: The provider's charge for the month, when reported (non-cash channel).
    charged: Decimal | None = None
    #: What was paid for the month: the provider's recorded delivery (non-cash), or the
    #: utility's share of the month's payout to the recipient (cash).
    paid: Decimal | None = None
    #: Unused money carried into the month from earlier months of the utility.
    carried_in: Decimal = Decimal("0.00")


class AssignmentSummary(Struct, kw_only=True):
    id: int
    request_id: int
    #: non_cash: paid to the utility providers; cash: paid to the recipient.
    channel: str
    household_id: int | None
    citizen_id: int
    season: str
    applied_on: date
    period_start: date
    period_end: date
    status: str
    mandatory_percent: str
    monthly_subsidy: Decimal
    end_reason: str


class AssignmentOut(AssignmentSummary, kw_only=True):
    months: list[MonthLine]
    #: Unused money on the household's account per utility after the settled months.
    balance: dict[str, Decimal]
    calculation: Calculation


class ChannelIn(Struct, kw_only=True, forbid_unknown_fields=True):
    """Pay the rest of the period another way (or to another account): from the months
    not yet paid on."""

    payment_channel: Channel
    #: The recipient's account (a Ukrainian IBAN) for the cash channel.
    iban: Annotated[str, Meta(max_length=42)] = ""
    comment: Annotated[str, Meta(max_length=2000, pattern=r"^[^\x00]*$")] = ""

    def __post_init__(self) -> None:
        if self.payment_channel == "cash" or self.iban:
            self.iban = ukrainian_iban(self.iban)
        if self.payment_channel == "non_cash":
            self.iban = ""


class ChargeLine(Struct, kw_only=True, forbid_unknown_fields=True):
    assignment_id: RowId
    utility: UtilityKind
    #: The provider's charge for the month within the social norms, UAH.
    charged: Decimal

    def __post_init__(self) -> None:
        checked(self.charged, "charged", most=10_000_000)


class ChargesIn(Checked, kw_only=True, forbid_unknown_fields=True):
    """Utility providers' charges of a month; all lines are stored or none."""

    month: Month
    lines: Annotated[list[ChargeLine], Meta(min_length=1, max_length=10_000)]


class ChargesOut(Struct, kw_only=True):
    month: str
    stored: int


class RecalculateIn(Checked, kw_only=True, forbid_unknown_fields=True):
    """New incomes of the members (the two quarters after those first counted)."""

    members: Annotated[list[Member], Meta(min_length=1, max_length=30)]
    #: The first month the new amounts apply from (not in the past).
    from_month: Month


class RecalculateOut(Struct, kw_only=True):
    changed: bool
    income_before: Decimal
    income_after: Decimal
    change_percent: Decimal
    threshold_percent: Decimal
    assignment: AssignmentOut


class PayIn(Checked, kw_only=True, forbid_unknown_fields=True):
    month: Month


class PayLine(Struct, kw_only=True):
    assignment_id: int
    request_id: int
    channel: str
    #: The utility (non-cash); empty for the cash channel, whose line covers the month.
    utility: str
    provider_id: int | None
    #: What is paid: the amount due (non-cash) or the month's total (cash).
    amount: Decimal
    outcome: str  # recorded | already_recorded | nothing_due | skipped
    delivery_id: int | None = None
    payout_id: int | None = None
    carried_in: Decimal = Decimal("0.00")
    reason: str = ""


class PayOut(Struct, kw_only=True):
    month: str
    recorded: int
    already_recorded: int
    #: Months whose provider charged nothing: the amount carries over.
    nothing_due: int
    skipped: int
    total: Decimal
    lines: list[PayLine]
