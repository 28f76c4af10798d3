"""Housing subsidy: worked examples computed by hand, to the kopiyka.

Each row is a household; the comment beside it is the hand calculation with the default
parameters (ПМ on 1 January of the year the period starts: 1176 in 2015, 3209 in 2026;
Кг = 2, Рг = 15 %; area norm 13.65 m² × persons + 35.22 m²).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from core.parameters import Parameters
from plugins.subsidies.formula import explain
from plugins.subsidies.model import SubsidyForm
from plugins.subsidies.periods import income_changed, next_quarters
from plugins.subsidies.service import PARAMETERS

D = Decimal


def params(**overrides: Any) -> Parameters:
    p = Parameters(PARAMETERS)
    if overrides:
        p = p.overridden({f"subsidies.{k}": [(date(2015, 1, 1), v)] for k, v in overrides.items()})
    return p


def person(
    name: str = "Оксана",
    born: str = "1980-05-01",
    quarterly: str | None = "6000",
    year: int = 2026,
    quarters: tuple[int, ...] = (1, 2),
    kind: str = "salary",
    **flags: Any,
) -> dict[str, Any]:
    incomes = (
        []
        if quarterly is None
        else [{"kind": kind, "year": year, "quarter": q, "amount": quarterly} for q in quarters]
    )
    return {
        "name": name,
        "birth_date": born,
        "working": quarterly is not None,
        **flags,
        "incomes": incomes,
    }


def util(kind: str, charge: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "monthly_charge": charge, **extra}


def form(
    members: list[dict[str, Any]] | None = None,
    dwelling: dict[str, Any] | None = None,
    utilities: list[dict[str, Any]] | None = None,
    **declaration: Any,
) -> dict[str, Any]:
    """A complete application; the default is the one-person household of row 2."""
    out: dict[str, Any] = {
        "members": members or [person()],
        "dwelling": dwelling or {"total_area": "60"},
        "utilities": utilities or [util("heating", "2400"), util("housing_maintenance", "300")],
        "purchases": [],
        "currency_purchases": [],
        "deposits_total": "0",
        "vehicles": [],
        "other_dwellings": [],
        "utility_debts": [],
    }
    out.update(declaration)
    return out


def calc(data: dict[str, Any], on: date, p: Parameters | None = None) -> Any:
    f = msgspec.convert(data, SubsidyForm)
    return explain(f.members, f.dwelling, f.utilities, applied_on=on, params=p or params())


FAMILY = [
    person("Андрій", "1985-02-01", "30000"),
    person("Марія", "1987-03-01", "12000"),
    person("Софія", "2016-04-01", None),
    person("Іван", "2022-06-01", None),
]
PENSIONER = [person("Ганна", "1950-01-01", "13500", kind="pension", pensioner=True, working=False)]

ROWS = [
    # id, form, applied on, Ро %, mandatory, subsidy a month, per utility
    (
        # DOMAIN §1.2: 44400 / 6 = 7400; 7400 / 4 = 1850; 1850 / 1176 = 1.5731;
        # / 2 × 15 = 11.7985 → 11.80 %; 7400 × 11.80 % = 873.20; norm 4 × 13.65 + 35.22 =
        # 89.82 ≥ 60 m² → heating counts in full: 1500 − 873.20 = 626.80
        "2015 worked example",
        form(
            [
                person("A", quarterly="11100", year=2015),
                person("B", quarterly="11100", year=2015),
                person("C", quarterly=None),
                person("D", quarterly=None),
            ],
            utilities=[util("heating", "1500")],
        ),
        date(2015, 10, 10),
        "11.80",
        "873.20",
        "626.80",
        {"heating": "626.80"},
    ),
    (
        # 12000 / 6 = 2000; 2000 / 3209 = 0.6232; / 2 × 15 = 4.674 → 4.67 %; 2000 × 4.67 % =
        # 93.40; norm 48.87 / 60 m² = 0.8145: heating 2400 × 0.8145 = 1954.80, maintenance
        # 300 × 0.8145 = 244.35; total 2199.15 − 93.40 = 2105.75; shares 8/9 and 1/9 of
        # 93.40: 83.02 and 10.38 → 1871.78 and 233.97
        "one person",
        form(),
        date(2026, 10, 5),
        "4.67",
        "93.40",
        "2105.75",
        {"heating": "1871.78", "housing_maintenance": "233.97"},
    ),
    (
        # (60000 + 24000) / 6 = 14000; / 4 = 3500; 3500 / 3209 = 1.0907 → 8.18 %;
        # 14000 × 8.18 % = 1145.20; norm 89.82 ≥ 72 m²; gas norm 6 × 4 = 24 ≥ 20 m³;
        # electricity norm 70 + 30 × 4 = 190 / 250 kWh = 0.76 → 900 × 0.76 = 684.00;
        # water norm 3.6 × 4 = 14.4 ≥ 12 m³; total 3600 + 200 + 684 + 350 = 4834.00;
        # shares 852.86 / 47.38 / 162.04 / 82.92; subsidy 4834.00 − 1145.20 = 3688.80
        "family with children",
        form(
            FAMILY,
            {"total_area": "72"},
            [
                util("heating", "3600"),
                util("gas", "200", metered=True, monthly_volume="20", cooking="stove"),
                util("electricity", "900", metered=True, monthly_volume="250"),
                util("water", "350", metered=True, monthly_volume="12"),
            ],
        ),
        date(2026, 11, 20),
        "8.18",
        "1145.20",
        "3688.80",
        {"heating": "2747.14", "gas": "152.62", "electricity": "521.96", "water": "267.08"},
    ),
    (
        # 27000 / 6 = 4500; 4500 / 3209 = 1.4023 → 10.52 %; 4500 × 10.52 % = 473.40;
        # norm 48.87 × 1.3 = 63.53 (< 70 m²): heating 2800 × 63.53 / 70 = 2541.20,
        # maintenance 350 × 63.53 / 70 = 317.65; 2858.85 − 473.40 = 2385.45;
        # shares 8/9 and 1/9: 420.80 and 52.60 → 2120.40 and 265.05
        "single pensioner, +30 % norm",
        form(
            PENSIONER,
            {"total_area": "70"},
            [util("heating", "2800"), util("housing_maintenance", "350")],
        ),
        date(2026, 10, 1),
        "10.52",
        "473.40",
        "2385.45",
        {"heating": "2120.40", "housing_maintenance": "265.05"},
    ),
    (
        # as above, but the raised norm 63.53 is capped at the actual 55 m²: factor 1;
        # 2200 − 473.40 = 1726.60
        "single pensioner, norm capped at the actual area",
        form(PENSIONER, {"total_area": "55"}, [util("heating", "2200")]),
        date(2026, 10, 1),
        "10.52",
        "473.40",
        "1726.60",
        {"heating": "1726.60"},
    ),
    (
        # 36000 / 6 = 6000; / 2 = 3000; 3000 / 3209 = 0.9349 → 7.01 %; 6000 × 7.01 % =
        # 420.60; norm 62.52 ≥ 50 m²: 2000 − 420.60 = 1579.40 (lease to 15.01.2027)
        "tenant, lease ending mid-season",
        form(
            [person("A", quarterly="9000"), person("B", quarterly="9000")],
            {"total_area": "50", "tenure": "tenant", "lease_end": "2027-01-15"},
            [util("heating", "2000")],
        ),
        date(2026, 10, 3),
        "7.01",
        "420.60",
        "1579.40",
        {"heating": "1579.40"},
    ),
    (
        # (15000 + 9000) × 2 / 6 = 8000; / 3 = 2666.67; / 3209 = 0.8310 → 6.23 %;
        # 8000 × 6.23 % = 498.40; norm 76.17 m²; gas norm 18 × 3 + 7 × 76.17 = 587.19 m³
        # of 700: 5572 × 587.19 / 700 = 4674.03; electricity unmetered 400; maintenance
        # 450 × 76.17 / 90 = 380.85; total 5454.88 − 498.40 = 4956.48; shares 427.06 /
        # 36.55 / 34.80 = 498.41, the extra kopiyka off the largest (gas): 427.05
        "individual gas heating",
        form(
            [
                person("A", quarterly="15000"),
                person("B", "1955-01-01", "9000", kind="pension", pensioner=True, working=False),
                person("C", "2012-01-01", None),
            ],
            {"total_area": "90", "heated_area": "80"},
            [
                util(
                    "gas",
                    "5572",
                    metered=True,
                    monthly_volume="700",
                    heating_type="individual_gas",
                    cooking="stove_water_heater",
                ),
                util("electricity", "400"),
                util("housing_maintenance", "450"),
            ],
        ),
        date(2026, 11, 10),
        "6.23",
        "498.40",
        "4956.48",
        {"gas": "4246.98", "electricity": "363.45", "housing_maintenance": "346.05"},
    ),
    (
        # non-heating season 2026: incomes of Q3–Q4 2025: 32000 / 6 = 5333.33; / 2 = 2666.67
        # → 6.23 %; 5333.33 × 6.23 % = 332.27; heating is not counted in summer;
        # 300 + 250 = 550 − 332.27 = 217.73; shares 181.24 / 151.03 → 118.76 / 98.97
        "non-heating season",
        form(
            [
                person("A", quarterly="8000", year=2025, quarters=(3, 4)),
                person("B", quarterly="8000", year=2025, quarters=(3, 4)),
            ],
            {"total_area": "50"},
            [util("heating", "2000"), util("housing_maintenance", "300"), util("water", "250")],
        ),
        date(2026, 6, 15),
        "6.23",
        "332.27",
        "217.73",
        {"heating": "0.00", "housing_maintenance": "118.76", "water": "98.97"},
    ),
    (
        # 30000 a month: 30000 / 3209 = 9.3487 → 70.12 %; 21036.00 > 2199.15: no subsidy
        "high income, no subsidy",
        form([person(quarterly="90000")]),
        date(2026, 10, 5),
        "70.12",
        "21036.00",
        "0.00",
        {"heating": "0.00", "housing_maintenance": "0.00"},
    ),
    (
        # the IDP living allowance is not income: as "one person"
        "IDP allowance not counted",
        form(
            [
                {
                    **person(),
                    "incomes": [*person()["incomes"], *person(kind="idp_allowance")["incomes"]],
                }
            ]
        ),
        date(2026, 10, 5),
        "4.67",
        "93.40",
        "2105.75",
        {"heating": "1871.78", "housing_maintenance": "233.97"},
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "on", "share", "mandatory", "subsidy", "per_utility"),
    ROWS,
    ids=[r[0] for r in ROWS],
)
def test_worked_example(
    name: str,
    data: dict[str, Any],
    on: date,
    share: str,
    mandatory: str,
    subsidy: str,
    per_utility: dict[str, str],
) -> None:
    c = calc(data, on)
    assert c.mandatory_percent == D(share)
    assert c.mandatory_payment == D(mandatory)
    assert c.subsidy_total == D(subsidy)
    assert {line.kind: str(line.subsidy) for line in c.lines} == per_utility
    assert sum(line.subsidy for line in c.lines) == c.subsidy_total


def test_the_2015_example_traces_every_figure_and_parameter() -> None:
    c = calc(ROWS[0][1], date(2015, 10, 10))
    steps = {s.code: s.value for s in c.steps}
    assert steps["income_monthly"] == "7400.00"
    assert steps["income_per_person"] == "1850.00"
    assert steps["pm"] == "1176"
    assert steps["kd"] == "1.5731"
    assert steps["share"] == "11.80"
    used = {u.key: (u.value, u.valid_from) for u in c.parameters}
    assert used["subsidies.pm_general"] == ("1176", date(2015, 1, 1))
    assert used["subsidies.base_income_coefficient"][0] == "2"
    assert used["subsidies.base_payment_percent"][0] == "15"
    assert "subsidies.grace_months" in used
    # the ПМ on 1 January, not the 1330 in force from 1 September
    assert c.subsistence_minimum == D(1176)


def test_tenant_period_ends_with_the_month_the_lease_ends() -> None:
    c = calc(ROWS[5][1], date(2026, 10, 3))
    assert (c.period.start, c.period.end) == (date(2026, 10, 1), date(2027, 1, 31))
    assert [m.month for m in c.months] == ["2026-10", "2026-11", "2026-12", "2027-01"]


def test_individual_heating_season_is_16_october_to_15_april_prorated() -> None:
    c = calc(ROWS[6][1], date(2026, 11, 10))
    assert (c.period.start, c.period.end) == (date(2026, 10, 16), date(2027, 4, 15))
    october, april = c.months[0], c.months[-1]
    # 4246.98 × 16 / 31 = 2191.99; 363.45 × 16 / 31 = 187.59; 346.05 × 16 / 31 = 178.61
    assert [str(u.amount) for u in october.utilities] == ["2191.99", "187.59", "178.61"]
    # 4246.98 × 15 / 30 = 2123.49; 363.45 / 2 = 181.725 → 181.73; 346.05 / 2 → 173.03
    assert [str(u.amount) for u in april.utilities] == ["2123.49", "181.73", "173.03"]
    assert str(c.months[1].total) == "4956.48"


@pytest.mark.parametrize(
    ("on", "start", "end"),
    [
        (date(2026, 10, 1), date(2026, 10, 1), date(2027, 4, 30)),
        (date(2026, 11, 30), date(2026, 10, 1), date(2027, 4, 30)),  # within 2 months
        (date(2026, 12, 1), date(2026, 12, 1), date(2027, 4, 30)),  # from the month
        (date(2027, 1, 20), date(2027, 1, 1), date(2027, 4, 30)),
        (date(2026, 5, 20), date(2026, 5, 1), date(2026, 9, 30)),
        (date(2026, 8, 9), date(2026, 8, 1), date(2026, 9, 30)),
    ],
)
def test_start_month_with_the_grace_rule(on: date, start: date, end: date) -> None:
    c = calc(form(), on)
    assert (c.period.start, c.period.end) == (start, end)


def test_a_late_application_uses_the_pm_of_the_year_the_period_starts() -> None:
    c = calc(form(), date(2027, 1, 20))  # no 2027 value: the 2026 one stays in force
    assert c.subsistence_minimum == D(3209)
    assert c.income_quarters == ["2026-Q1", "2026-Q2"]


def test_a_per_household_type_override_changes_the_share() -> None:
    # 1.4023 / 2 × 10 = 7.0115 → 7.01 %; 4500 × 7.01 % = 315.45
    p = params(share_overrides={"single_pensioner": {"Kg": "2", "Rg": "10"}})
    c = calc(ROWS[3][1], date(2026, 10, 1), p)
    assert c.mandatory_percent == D("7.01")
    assert c.mandatory_payment == D("315.45")
    assert c.subsidy_total == D("2543.40")  # 2858.85 − 315.45


def test_the_local_programme_pays_its_share() -> None:
    c = calc(form(), date(2026, 10, 5), params(local_programme_share_percent="50"))
    assert c.subsidy_total == D("2105.75")
    assert c.payable_monthly == D("1052.88")  # 935.89 + 116.99 (half of each, half up)


@pytest.mark.parametrize(
    ("before", "after", "changed"),
    [
        ("2000", "3000", False),
        ("2000", "3000.01", True),
        ("2000", "999.99", True),
        ("2000", "1000", False),
        ("0", "100", True),
    ],
)
def test_recalculation_threshold(before: str, after: str, changed: bool) -> None:
    assert income_changed(D(before), D(after), D(50)) is changed


def test_recalculation_compares_the_next_two_quarters() -> None:
    assert next_quarters(((2025, 1), (2025, 2))) == ((2025, 3), (2025, 4))
    assert next_quarters(((2024, 3), (2024, 4))) == ((2025, 1), (2025, 2))
