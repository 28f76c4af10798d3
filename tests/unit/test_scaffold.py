"""``hromada plugin new``: the package it writes is complete and valid; bad names and
non-empty folders are refused. (That the package installs and passes its own tests is
run by examples/run-tests in CI.)"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.cards import load_card
from core.cli import cli
from core.parameters import load_parameters
from core.scaffold import ScaffoldError, new_plugin


def test_the_package_is_complete(tmp_path: Path) -> None:
    root = tmp_path / "snow_help"
    written = new_plugin("snow_help", root, title_uk="Прибирання снігу", title_en="Snow help")
    names = {str(p.relative_to(root)) for p in written}
    assert names == {
        "pyproject.toml",
        "README.md",
        "docs/snow_help.md",
        "snow_help/__init__.py",
        "snow_help/service.py",
        "snow_help/card.toml",
        "snow_help/parameters.toml",
        "tests/test_snow_help.py",
    }
    project = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["entry-points"]["hromada.plugins"] == {"snow_help": "snow_help"}
    assert "hromada[testkit]" in project["project"]["optional-dependencies"]["test"][0]
    card = load_card(root / "snow_help" / "card.toml")
    assert (card.title.uk, card.title.en) == ("Прибирання снігу", "Snow help")
    params = load_parameters(root / "snow_help" / "parameters.toml", "snow_help")
    assert set(params) == {"snow_help.income_limit", "snow_help.units_per_month"}
    for path in written:
        if path.suffix == ".py":
            source = path.read_text("utf-8")
            ast.parse(source)
            assert "$" not in source.replace("${", "")  # every placeholder filled
            assert "from core." not in source.replace("from core.sdk", "").replace(
                "from core.testkit", ""
            )


@pytest.mark.parametrize("name", ["Snow", "1snow", "snow-help", "class", "x", "snow_"])
def test_a_bad_name_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ScaffoldError, match="does not fit"):
        new_plugin(name, tmp_path / "p")


def test_a_folder_in_use_is_refused_and_the_command_says_so(tmp_path: Path) -> None:
    (tmp_path / "kept.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["plugin", "new", "snow_help", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "is not empty" in result.output
    assert (tmp_path / "kept.txt").read_text(encoding="utf-8") == "mine"
    made = CliRunner().invoke(cli, ["plugin", "new", "snow_help", "--dir", str(tmp_path / "n")])
    assert made.exit_code == 0, made.output
    assert "HROMADA_TEST_PLUGINS=snow_help pytest" in made.output
