"""The built-in plugins reach the core only through ``core.sdk``, and the public surface
of ``core.sdk`` is exactly the one documented in docs/plugin-contract.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import core
from core import sdk

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "docs" / "plugin-contract.md"
ALLOWED = "core.sdk"


def _from_core(module: str) -> bool:
    return module == "core" or module.startswith("core.")


def core_imports(source: str, path: str) -> list[str]:
    """Every import of the core other than ``core.sdk`` in the source, as
    ``path:line: module``. ``from core import sdk`` is allowed; ``from core import x``
    of anything else is not."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            found += [
                f"{path}:{node.lineno}: import {alias.name}"
                for alias in node.names
                if _from_core(alias.name) and alias.name != ALLOWED
            ]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == ALLOWED or not _from_core(node.module):
                continue
            names = [a.name for a in node.names]
            if node.module == "core" and names == ["sdk"]:
                continue
            found.append(f"{path}:{node.lineno}: from {node.module} import {', '.join(names)}")
    return found


def documented_names(text: str) -> list[str]:
    """The names listed under "## What `core.sdk` offers": one ``- `name` — ...`` each."""
    section = re.search(r"^## What `core\.sdk` offers$(.*?)^## ", text, re.M | re.S)
    assert section, "docs/plugin-contract.md lacks the section ## What `core.sdk` offers"
    return re.findall(r"^- `([A-Za-z_][A-Za-z0-9_]*)` — ", section.group(1), re.M)


def test_the_built_in_plugins_import_the_core_only_through_core_sdk() -> None:
    files = sorted((ROOT / "plugins").rglob("*.py"))
    assert len(files) > 50
    found: list[str] = []
    for path in files:
        found += core_imports(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == [], "plugins import the core past core.sdk:\n" + "\n".join(found)


def test_the_import_check_names_file_line_and_module() -> None:
    source = (
        "from core.sdk import Text\n"
        "from core import sdk\n"
        "import json\n"
        "from plugins.x import y\n"
        "from core.service import Service\n"
        "def f():\n"
        "    from core import clock\n"
        "    import core.errors\n"
    )
    assert core_imports(source, "plugins/x/a.py") == [
        "plugins/x/a.py:5: from core.service import Service",
        "plugins/x/a.py:7: from core import clock",
        "plugins/x/a.py:8: import core.errors",
    ]


def test_core_sdk_exports_exactly_the_documented_names() -> None:
    names = documented_names(CONTRACT.read_text(encoding="utf-8"))
    repeated = sorted({n for n in names if names.count(n) > 1})
    assert repeated == [], f"docs/plugin-contract.md lists {repeated} more than once"
    assert len(sdk.__all__) == len(set(sdk.__all__))
    undocumented = sorted(set(sdk.__all__) - set(names))
    gone = sorted(set(names) - set(sdk.__all__))
    assert (undocumented, gone) == ([], []), (
        f"core.sdk exports {undocumented} not in docs/plugin-contract.md, and the page "
        f"lists {gone} that core.sdk does not export: document the change in the "
        "contract's changelog (a removal raises core.CONTRACT_VERSION)"
    )


def test_every_exported_name_exists() -> None:
    missing = [name for name in sdk.__all__ if not hasattr(sdk, name)]
    assert missing == []


def test_the_changelog_has_the_current_contract_version() -> None:
    text = CONTRACT.read_text(encoding="utf-8")
    assert re.search(r"^## Changelog$", text, re.M)
    assert re.search(
        rf"^### Contract {core.CONTRACT_VERSION} — \d{{4}}-\d{{2}}-\d{{2}}$", text, re.M
    ), f"docs/plugin-contract.md has no changelog entry for contract {core.CONTRACT_VERSION}"


def test_no_core_module_imports_core_sdk() -> None:
    found: list[str] = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.ImportFrom) and node.module == ALLOWED) or (
                isinstance(node, ast.ImportFrom)
                and node.module == "core"
                and any(a.name == "sdk" for a in node.names)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == [], "the core imports core.sdk (it must only be imported by plugins)"
