"""Social norms (DOMAIN §1.3): the cost of housing and utility services within the norms.

Each utility's charge counts only for its normed part: ``charge × min(1, norm / actual)``
— area for heating and housing maintenance, metered volume for gas, electricity and
water (an unmetered charge is already a normative one and counts in full).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from core.sdk import money
from plugins.subsidies.model import Dwelling, Member, Utility
from plugins.subsidies.periods import Season
from plugins.subsidies.trace import Lookup, Steps, q

ONE = Decimal(1)
COOKING = {
    "none": None,
    "stove": "gas_cooking_stove",
    "stove_no_hot_water": "gas_cooking_stove_no_hot_water",
    "stove_water_heater": "gas_cooking_stove_water_heater",
}


class UtilityLine(msgspec.Struct, frozen=True, kw_only=True):
    """One utility in the calculation; amounts in UAH a month."""

    kind: str
    provider_id: int | None
    charge: Decimal
    norm: Decimal | None
    actual: Decimal | None
    unit: str
    factor: Decimal
    normed_charge: Decimal
    #: The part of the mandatory payment this utility bears.
    mandatory_share: Decimal = Decimal(0)
    subsidy: Decimal = Decimal(0)
    note: str = ""


def single_non_working_pensioner(members: list[Member]) -> bool:
    return len(members) == 1 and members[0].pensioner and not members[0].working


def area_norm(
    members: list[Member], dwelling: Dwelling, on: date, look: Lookup, s: Steps
) -> Decimal:
    n = len(members)
    per_person = look.dec("area_per_person", on)
    per_household = look.dec("area_per_household", on)
    norm = per_person * n + per_household
    s.add(
        "area_norm",
        "Соціальна норма площі",
        "Housing area norm",
        f"{per_person} × {n} + {per_household}",
        norm,
    )
    if single_non_working_pensioner(members):
        uplift = look.dec("single_pensioner_area_uplift_percent", on)
        base = norm
        raised = q(base * (100 + uplift) / 100)
        norm = min(raised, dwelling.total_area)
        s.add(
            "area_norm_uplift",
            "Норма для одинокого непрацюючого пенсіонера (не більше фактичної площі)",
            "Norm for a single non-working pensioner (not above the actual area)",
            f"min({base} × (100 + {uplift}) / 100 = {raised}, {dwelling.total_area})",
            norm,
        )
    return norm


def _factor(norm: Decimal, actual: Decimal | None) -> Decimal:
    if actual is None or actual <= 0:
        return ONE
    return min(ONE, norm / actual)


def _volume(u: Utility) -> Decimal | None:
    return u.monthly_volume if u.metered else None


def utility_line(
    u: Utility,
    *,
    n: int,
    norm_area: Decimal,
    dwelling: Dwelling,
    season: Season,
    on: date,
    look: Lookup,
) -> UtilityLine:
    heated = dwelling.heated_area or dwelling.total_area
    heating = season == "heating"
    norm: Decimal | None
    actual: Decimal | None
    note = ""
    if u.kind == "heating":
        if not heating:
            return UtilityLine(
                kind=u.kind,
                provider_id=u.provider_id,
                charge=money(u.monthly_charge),
                norm=None,
                actual=None,
                unit="m²",
                factor=Decimal(0),
                normed_charge=Decimal("0.00"),
                note="outside the heating season",
            )
        norm, actual, unit = norm_area, heated, "m²"
    elif u.kind == "housing_maintenance":
        norm, actual, unit = norm_area, dwelling.total_area, "m²"
    elif u.kind == "gas":
        unit = "m³"
        key = COOKING[u.cooking]
        norm = look.dec(key, on) * n if key else Decimal(0)
        if heating and u.heating_type == "individual_gas":
            per_m2 = look.dec("gas_heating_m3_per_m2", on)
            coef = look.dec("gas_heating_correction", on)
            norm += per_m2 * coef * min(norm_area, heated)
            note = "cooking + individual heating"
        actual = _volume(u)
    elif u.kind == "electricity":
        unit = "kWh"
        norm = look.dec("electricity_kwh_per_household", on)
        norm += look.dec("electricity_kwh_per_person", on) * n
        if heating and u.heating_type == "individual_electric":
            norm += look.dec("electric_heating_kwh_per_m2", on) * min(norm_area, heated)
            note = "household + individual electric heating"
        actual = _volume(u)
    else:  # water
        unit = "m³"
        norm = look.dec("water_m3_per_person", on) * n
        actual = _volume(u)
    factor = _factor(norm, actual)
    return UtilityLine(
        kind=u.kind,
        provider_id=u.provider_id,
        charge=money(u.monthly_charge),
        norm=norm,
        actual=actual,
        unit=unit,
        factor=factor,
        normed_charge=money(u.monthly_charge * factor),
        note=note,
    )


def spread(lines: list[UtilityLine], mandatory: Decimal) -> list[UtilityLine]:
    """Spread the mandatory payment across utilities in proportion to their normed charges
    (rounded half up; the kopiyky left over go to the largest charge), then each
    utility's subsidy is its normed charge less its share, never negative."""
    total = sum((line.normed_charge for line in lines), Decimal("0.00"))
    if total <= 0:
        return [msgspec.structs.replace(line, subsidy=Decimal("0.00")) for line in lines]
    if mandatory >= total:
        return [
            msgspec.structs.replace(
                line, mandatory_share=line.normed_charge, subsidy=Decimal("0.00")
            )
            for line in lines
        ]
    shares = [money(mandatory * line.normed_charge / total) for line in lines]
    largest = max(range(len(lines)), key=lambda i: (lines[i].normed_charge, -i))
    shares[largest] += mandatory - sum(shares, Decimal("0.00"))
    return [
        msgspec.structs.replace(
            line, mandatory_share=share, subsidy=max(Decimal("0.00"), line.normed_charge - share)
        )
        for line, share in zip(lines, shares, strict=True)
    ]
