"""The household as the application form carries it: members and their incomes, the
dwelling, the utilities, and the declaration the disqualifying rules read.

The form carries the whole household inline, so screening and the calculation work
without any stored rows; the plugin's tables keep the same data between applications.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from core.sdk import ukrainian_iban as sdk_ukrainian_iban

#: Free text: no NUL characters (PostgreSQL refuses them), bounded length.
Name = Annotated[str, Meta(min_length=1, max_length=255, pattern=r"^[^\x00]+$")]
Amount = Decimal
Area = Decimal
Volume = Decimal
Year = Annotated[int, Meta(ge=1900, le=2200)]
Id = Annotated[int, Meta(ge=1, le=2_147_483_647)]

Category = Literal["child_lt6", "child_6_18", "able_bodied", "lost_ability"]
IncomeKind = Literal[
    "salary",
    "pension",
    "entrepreneur",
    "social_benefit",
    "scholarship",
    "alimony",
    "other",
    # Not counted as income (wartime rules): the IDP living allowance, "Прихисток".
    "idp_allowance",
    "prykhystok",
]
EXCLUDED_INCOME: frozenset[str] = frozenset({"idp_allowance", "prykhystok"})
UtilityKind = Literal["heating", "gas", "electricity", "water", "housing_maintenance"]
UTILITY_KINDS: tuple[str, ...] = UtilityKind.__args__  # type: ignore[attr-defined]
HeatingType = Literal["central", "individual_gas", "individual_electric"]
Cooking = Literal["none", "stove", "stove_no_hot_water", "stove_water_heater"]
Tenure = Literal["owner", "tenant"]
DwellingKind = Literal["flat", "house"]
Channel = Literal["non_cash", "cash"]


def checked(
    value: Decimal | None,
    field: str,
    *,
    positive: bool = False,
    most: int = 1_000_000_000,
    places: int = 2,
) -> None:
    """A number of the form: finite, not negative (or positive), bounded, few decimals."""
    if value is None:
        return
    if not value.is_finite():
        raise ValueError(f"{field}: не число / not a number")
    if value < 0 or (positive and value == 0):
        raise ValueError(f"{field}: має бути більше нуля / must be above zero")
    if value > most:
        raise ValueError(f"{field}: завелике значення / too large (at most {most})")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        raise ValueError(f"{field}: забагато знаків після коми / at most {places} decimals")


class _S(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class Income(_S, kw_only=True, forbid_unknown_fields=True):
    kind: IncomeKind
    year: Year
    quarter: Annotated[int, Meta(ge=1, le=4)]
    amount: Amount

    def __post_init__(self) -> None:
        checked(self.amount, "amount")


class Member(_S, kw_only=True, forbid_unknown_fields=True):
    """A member of the household registered at the dwelling."""

    name: Name
    birth_date: date
    citizen_id: Id | None = None
    #: For the subsistence minimum; derived from the age and ability when empty.
    category: Category | None = None
    #: Able to work; derived (adult, not a pensioner) when empty.
    able_bodied: bool | None = None
    student: bool = False
    pensioner: bool = False
    working: bool = False
    #: The single social contribution (ЄСВ) was paid for the person in the income period.
    contributions_paid: bool = False
    social_pension: bool = False
    # Good reasons for an able-bodied adult to have no income.
    registered_unemployed: bool = False
    ill: bool = False
    caring_for_child: bool = False
    #: Days spent abroad during the income period.
    abroad_days: Annotated[int, Meta(ge=0, le=366)] = 0
    incomes: list[Income] = msgspec.field(default_factory=list)


class Dwelling(_S, kw_only=True, forbid_unknown_fields=True):
    #: A flat or a (private) house: the optional floor-area caps differ.
    kind: DwellingKind = "flat"
    total_area: Area
    #: Heated area; the total area when empty.
    heated_area: Area | None = None
    tenure: Tenure = "owner"
    #: The lease ends on this day (tenants only; a tenant needs a lease).
    lease_end: date | None = None

    def __post_init__(self) -> None:
        checked(self.total_area, "total_area", positive=True, most=100_000)
        checked(self.heated_area, "heated_area", positive=True, most=100_000)


class Utility(_S, kw_only=True, forbid_unknown_fields=True):
    kind: UtilityKind
    #: A core Provider of kind "utility" the subsidy is paid to.
    provider_id: Id | None = None
    #: The month's charge for the service at current tariffs, UAH (without benefits).
    monthly_charge: Amount
    metered: bool = False
    #: Metered consumption a month (m³ of gas or water, kWh of electricity).
    monthly_volume: Volume | None = None
    heating_type: HeatingType = "central"
    cooking: Cooking = "none"

    def __post_init__(self) -> None:
        checked(self.monthly_charge, "monthly_charge", most=10_000_000)
        checked(self.monthly_volume, "monthly_volume", most=10_000_000, places=3)


class Purchase(_S, kw_only=True, forbid_unknown_fields=True):
    on: date
    amount: Amount
    #: Purchases the rule does not count (medical treatment, education, housing and
    #: utility services within the norm, a new dwelling after selling another), and solar
    #: or wind generation bought on credit, not counted up to its own limit.
    exempt: Literal[
        "", "medical", "education", "utilities", "replacement_dwelling", "solar_on_credit"
    ] = ""

    def __post_init__(self) -> None:
        checked(self.amount, "amount")


class Vehicle(_S, kw_only=True, forbid_unknown_fields=True):
    kind: Literal["car", "truck", "bus", "motorcycle", "moped", "trailer"]
    year_made: Year


class OtherDwelling(_S, kw_only=True, forbid_unknown_fields=True):
    rural: bool = False
    inherited: bool = False
    shared_ownership: bool = False


class UtilityDebt(_S, kw_only=True, forbid_unknown_fields=True):
    months_overdue: Annotated[int, Meta(ge=0, le=1200)]
    amount: Amount
    restructured: bool = False
    disputed_in_court: bool = False

    def __post_init__(self) -> None:
        checked(self.amount, "amount")


class SubsidyForm(_S, kw_only=True, forbid_unknown_fields=True):
    """The application (заява і декларація): the household inline plus the declaration."""

    members: Annotated[list[Member], Meta(min_length=1, max_length=30)]
    dwelling: Dwelling
    utilities: Annotated[list[Utility], Meta(min_length=1, max_length=10)]
    #: Purchases over the last 12 months (goods, land, dwellings, vehicles, services).
    purchases: Annotated[list[Purchase], Meta(max_length=100)]
    currency_purchases: Annotated[list[Purchase], Meta(max_length=100)]
    #: Bank deposits of all members on the first day of the month of assignment, UAH.
    deposits_total: Amount
    vehicles: Annotated[list[Vehicle], Meta(max_length=50)]
    other_dwellings: Annotated[list[OtherDwelling], Meta(max_length=20)]
    utility_debts: Annotated[list[UtilityDebt], Meta(max_length=20)]
    #: The plugin's stored household this application is about, if any.
    household_id: Id | None = None
    #: An overpaid subsidy the household has not returned (Pension Fund data), UAH.
    overpaid_unreturned: Amount = Decimal(0)
    #: How the subsidy is paid: to the utility providers (non-cash) or to the recipient.
    payment_channel: Channel = "non_cash"
    #: The recipient's account for the cash channel (a Ukrainian IBAN, spaces allowed).
    iban: Annotated[str, Meta(max_length=42)] = ""

    def __post_init__(self) -> None:
        checked(self.deposits_total, "deposits_total")
        checked(self.overpaid_unreturned, "overpaid_unreturned")
        if self.payment_channel == "cash" or self.iban:
            self.iban = ukrainian_iban(self.iban)


def ukrainian_iban(value: str) -> str:
    """The IBAN compacted, or ValueError naming the field (the cash channel needs it)."""
    if not value:
        raise ValueError(
            "iban: для виплати готівкою потрібен IBAN / the cash channel needs an IBAN"
        )
    return sdk_ukrainian_iban(value)


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def able_bodied(member: Member, on: date) -> bool:
    if member.able_bodied is not None:
        return member.able_bodied and age_on(member.birth_date, on) >= 18
    return age_on(member.birth_date, on) >= 18 and not member.pensioner


def category_of(member: Member, on: date) -> Category:
    if member.category is not None:
        return member.category
    age = age_on(member.birth_date, on)
    if age < 6:
        return "child_lt6"
    if age < 18:
        return "child_6_18"
    return "able_bodied" if able_bodied(member, on) else "lost_ability"


def individual_heating(utilities: list[Utility]) -> HeatingType:
    """The household's heating: individual when a gas or electricity line says so."""
    for u in utilities:
        if u.heating_type != "central":
            return u.heating_type
    return "central"
