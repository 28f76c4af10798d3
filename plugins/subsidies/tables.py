"""Piccolo tables of the subsidy plugin: the household as the subsidy sees it, and the
assigned periods with their amounts per month and utility (the subsidy history).

Linked to the core by ids: the applicant and members are core Citizens, the household
a core Household, utilities core Providers of kind "utility", assignments core Requests.
Areas are hundredths of m², volumes thousandths of the unit, money integer kopiyky.
Partial unique indexes (one active assignment per request, one amount per assignment,
month and utility) are created by hand in the second migration.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.sdk import Citizen, Household, Municipality, Provider, Request, User

R = OnDelete.restrict
C = OnDelete.cascade


class SubsidyHousehold(Table, tablename="subsidy_household"):
    """A household with its dwelling (one dwelling per household record)."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, null=False, index=True)
    household = ForeignKey(Household, on_delete=R, null=True, default=None)
    applicant = ForeignKey(Citizen, on_delete=R, null=False, index=True)
    dwelling_kind = Varchar(length=8, default="flat")  # flat | house
    total_area_centi = Integer()
    heated_area_centi = Integer(null=True, default=None)
    tenure = Varchar(length=8, default="owner")  # owner | tenant
    lease_end = Date(null=True, default=None)
    created_by = ForeignKey(User, on_delete=R, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class SubsidyMember(Table, tablename="subsidy_member"):
    id = Serial(primary_key=True)
    household = ForeignKey(SubsidyHousehold, on_delete=C, null=False, index=True)
    citizen = ForeignKey(Citizen, on_delete=R, null=True, default=None)
    position = SmallInt(default=0)
    name = Varchar(length=255)
    birth_date = Date()
    #: child_lt6 | child_6_18 | able_bodied | lost_ability; empty: derived.
    category = Varchar(length=16, default="")
    able_bodied = Boolean(null=True, default=None)
    student = Boolean(default=False)
    pensioner = Boolean(default=False)
    working = Boolean(default=False)
    #: The other flags of the member (contributions, good reasons, days abroad).
    details = JSON(default="{}")


class SubsidyIncome(Table, tablename="subsidy_income"):
    id = Serial(primary_key=True)
    member = ForeignKey(SubsidyMember, on_delete=C, null=False, index=True)
    kind = Varchar(length=32)
    year = SmallInt()
    quarter = SmallInt()
    amount_kop = BigInt()


class SubsidyUtility(Table, tablename="subsidy_utility"):
    id = Serial(primary_key=True)
    household = ForeignKey(SubsidyHousehold, on_delete=C, null=False, index=True)
    provider = ForeignKey(Provider, on_delete=R, null=True, default=None)
    kind = Varchar(length=32)  # heating | gas | electricity | water | housing_maintenance
    monthly_charge_kop = BigInt()
    metered = Boolean(default=False)
    volume_milli = BigInt(null=True, default=None)
    heating_type = Varchar(length=24, default="central")
    cooking = Varchar(length=24, default="none")


class SubsidyAssignment(Table, tablename="subsidy_assignment"):
    """An assigned period of a request: its calculation frozen with the trace."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, null=False, index=True)
    request = ForeignKey(Request, on_delete=R, null=False, index=True)
    household = ForeignKey(SubsidyHousehold, on_delete=R, null=True, default=None, index=True)
    citizen = ForeignKey(Citizen, on_delete=R, null=False, index=True)
    season = Varchar(length=16)
    applied_on = Date()
    period_start = Date()
    period_end = Date()
    status = Varchar(length=16, default="active")  # active | ended
    income_monthly_kop = BigInt()
    mandatory_percent = Varchar(length=12)
    subsidy_kop = BigInt()
    #: non_cash: paid to the utility providers; cash: to the recipient's account.
    channel = Varchar(length=8, default="non_cash")
    iban = Varchar(length=34, default="")
    calculation = JSON(default="{}")
    end_reason = Text(default="")
    created_by = ForeignKey(User, on_delete=R, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class SubsidyMonth(Table, tablename="subsidy_month"):
    """The amount assigned for one month and utility, and the provider's charge for it
    when known: under the non-cash channel a provider is paid at most its charge, and
    what is not used carries over to the next months (DOMAIN §1.3, §1.6). What was paid
    is the recorded delivery (or, in cash, the payout), never a copy kept here."""

    id = Serial(primary_key=True)
    municipality = ForeignKey(Municipality, on_delete=R, null=False, index=True)
    assignment = ForeignKey(SubsidyAssignment, on_delete=R, null=False, index=True)
    month = Varchar(length=7)
    utility = Varchar(length=32)
    provider = ForeignKey(Provider, on_delete=R, null=True, default=None)
    amount_kop = BigInt()
    #: The provider's charge for the month (within the norms), when it reported one.
    charged_kop = BigInt(null=True, default=None)
    status = Varchar(length=16, default="active")  # active | cancelled


SUBSIDY_TABLES: tuple[type[Table], ...] = (
    SubsidyHousehold,
    SubsidyMember,
    SubsidyIncome,
    SubsidyUtility,
    SubsidyAssignment,
    SubsidyMonth,
)
