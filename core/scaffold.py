"""``hromada plugin new NAME``: a complete plugin package to start from.

It writes ``pyproject.toml`` (with the ``hromada.plugins`` entry point and the test kit
as the ``test`` extra), the package (hooks, a service with a labelled form, one rule, a
tariff, a delivery check with a monthly cap, its card and dated parameters), tests that
use the kit, a docs page and a README. Installed as it is written, it passes its own
tests; the files are in ``core/scaffold_template/`` (``PKG`` stands for the name).
"""

from __future__ import annotations

import keyword
import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class ScaffoldError(ValueError):
    """A name or a target the scaffold cannot use; the message says why."""


def check_name(name: str) -> str:
    if not NAME.match(name) or keyword.iskeyword(name) or name.endswith("_"):
        raise ScaffoldError(
            f"назва {name!r} не підходить: малі латинські літери, цифри і _, 2–40 знаків, "
            f"з літери / the name {name!r} does not fit: lower-case letters, digits and _, "
            "2 to 40 characters, starting with a letter"
        )
    return name


def _files(root: Traversable, prefix: str = "") -> list[tuple[str, str]]:
    out = []
    for item in sorted(root.iterdir(), key=lambda i: i.name):
        if item.is_dir():
            out += _files(item, f"{prefix}{item.name}/")
        elif item.name.endswith(".tmpl"):
            out.append((prefix + item.name.removesuffix(".tmpl"), item.read_text("utf-8")))
    return out


def new_plugin(name: str, target: Path, *, title_uk: str = "", title_en: str = "") -> list[Path]:
    """Write the package ``name`` into ``target`` (which must not exist or be empty); the
    files written."""
    check_name(name)
    if target.exists() and any(target.iterdir()):
        raise ScaffoldError(f"тека {target} не порожня / the folder {target} is not empty")
    words = {
        "name": name,
        "dashed": name.replace("_", "-"),
        "title_uk": title_uk or name.replace("_", " ").capitalize(),
        "title_en": title_en or name.replace("_", " ").capitalize(),
    }
    written = []
    for relative, text in _files(resources.files("core") / "scaffold_template"):
        path = target / relative.replace("PKG", name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(text).substitute(words), encoding="utf-8")
        written.append(path)
    return written
