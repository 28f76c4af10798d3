"""Parameters by date, identifiers, money, calendar, configuration."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core import validators
from core.config import ConfigError, load_settings
from core.errors import Invalid
from core.money import from_kopiyky, money, to_kopiyky
from core.parameters import ParameterMissing, Parameters, load_parameters
from core.workflow.calendar import add_term, next_working_day

PM = {
    "pm.general": [
        (date(2024, 1, 1), 2920),
        (date(2026, 1, 1), 3209),
        (date(2021, 7, 1), 2294),
        (date(2021, 1, 1), 2189),
    ]
}


def test_parameter_in_force_on_a_date() -> None:
    p = Parameters(PM)
    assert p.at("pm.general", date(2021, 6, 30)) == 2189
    assert p.at("pm.general", date(2021, 7, 1)) == 2294
    assert p.at("pm.general", date(2025, 12, 31)) == 2920
    assert p.at("pm.general", date(2026, 1, 1)) == 3209
    assert p.used["pm.general"].valid_from == date(2026, 1, 1)
    with pytest.raises(ParameterMissing, match="no value in force on 2020-12-31"):
        p.at("pm.general", date(2020, 12, 31))
    with pytest.raises(ParameterMissing):
        p.at("pm.unknown", date(2026, 1, 1))


def test_municipal_override_replaces_from_its_date() -> None:
    p = Parameters(PM).overridden(
        {"pm.general": [(date(2026, 1, 1), 4000), (date(2026, 6, 1), 4100)]}
    )
    assert p.at("pm.general", date(2025, 1, 1)) == 2920
    assert p.at("pm.general", date(2026, 1, 1)) == 4000
    assert p.at("pm.general", date(2026, 7, 1)) == 4100


def test_parameters_toml_needs_dates_and_values(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[amount]\nvalues = [{ valid_from = 2026-01-01, value = "1.10" }]\n')
    assert load_parameters(good, "x") == {"x.amount": [(date(2026, 1, 1), "1.10")]}
    bad = tmp_path / "bad.toml"
    bad.write_text('[amount]\nvalues = [{ valid_from = "soon", value = 1 }]\n')
    with pytest.raises(ValueError, match="valid_from must be a date"):
        load_parameters(bad, "x")
    bad.write_text("[amount]\nunit = 'UAH'\n")
    with pytest.raises(ValueError, match="non-empty 'values'"):
        load_parameters(bad, "x")


@pytest.mark.parametrize(
    "number", ["1759013776", "3184710691", "2245134075", "3652504575", "3068208400"]
)
def test_valid_tax_numbers(number: str) -> None:
    assert validators.tax_number(number) == number


@pytest.mark.parametrize(
    "number", ["1759013770", "1234567890", "3184710619", "2222222222", "175901377"]
)
def test_invalid_tax_numbers(number: str) -> None:
    with pytest.raises(Invalid) as info:
        validators.tax_number(number)
    assert info.value.field == "tax_number"


@pytest.mark.parametrize(
    "code",
    [
        "03192997",
        "05385909",
        "34814859",
        "37993783",
        "38008294",
        "37941997",
        "44116011",
        "10000062",
        "10000640",
        "30000005",
    ],
)
def test_valid_edrpou(code: str) -> None:
    assert validators.edrpou(code) == code


def test_invalid_edrpou() -> None:
    with pytest.raises(Invalid, match="ЄДРПОУ"):
        validators.edrpou("32855968")


@pytest.mark.parametrize(
    "iban",
    [
        "UA238999980334179879010013923",
        "UA688999980313070170000008479",
        "UA583808050000026009702978805",
        "UA213223130000026007233566001",
    ],
)
def test_valid_iban(iban: str) -> None:
    assert validators.iban(iban) == iban


@pytest.mark.parametrize(
    "iban",
    [
        "UA238999980334179879010013932",
        "UA248999980334179879010013923",
        "UA23899998033417987901001392",
        "DE89370400440532013000",
    ],
)
def test_invalid_iban(iban: str) -> None:
    with pytest.raises(Invalid):
        validators.iban(iban)


def test_money_rounds_half_up_and_round_trips_kopiyky() -> None:
    assert money("0.125") == Decimal("0.13")
    assert money(Decimal("2.675")) == Decimal("2.68")
    assert to_kopiyky(Decimal("1234.56")) == 123456
    assert from_kopiyky(123456) == Decimal("1234.56")
    assert sum(from_kopiyky(k) for k in (10, 20)) == Decimal("0.30")
    with pytest.raises(ValueError, match="not an amount"):
        money("abc")


def test_weekend_receipt_moves_to_monday_and_terms_count() -> None:
    saturday = date(2026, 11, 21)
    assert next_working_day(saturday) == date(2026, 11, 23)
    assert next_working_day(date(2026, 11, 23)) == date(2026, 11, 23)
    assert add_term(date(2026, 11, 23), 10, "working") == date(2026, 12, 7)
    assert add_term(date(2026, 11, 23), 30, "calendar") == date(2026, 12, 23)


def test_settings_from_file_and_environment(tmp_path: Path) -> None:
    cfg = tmp_path / "hromada.toml"
    cfg.write_text('database_url = "postgresql://u@h:5432/db"\nplugins = ["funeral_aid", "x"]\n')
    s = load_settings({"HROMADA_CONFIG": str(cfg)})
    assert s.database_url.startswith("postgresql")
    assert s.plugins == ("funeral_aid", "x")
    s = load_settings(
        {
            "HROMADA_CONFIG": str(cfg),
            "HROMADA_PLUGINS": "a, b",
            "HROMADA_DATABASE_URL": "sqlite:///x.db",
        }
    )
    assert s.plugins == ("a", "b")
    assert s.is_sqlite
    cfg.write_text("plugins = 5\n")
    with pytest.raises(ConfigError, match="plugins"):
        load_settings({"HROMADA_CONFIG": str(cfg)})
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings({"HROMADA_CONFIG": str(tmp_path / "none.toml")})
