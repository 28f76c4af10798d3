"""The contract documents itself: every hook has a docstring, a docs section and a test,
and every field of a Service is named in the plugin guide."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import msgspec
import pytest

from core import hookspecs
from core.service import Service

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted(
    name
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(fn, "hromada_spec")
)


def test_there_are_hooks() -> None:
    assert {
        "plugin_info",
        "register_services",
        "register_tables",
        "register_routes",
        "register_pages",
        "extra_checks",
        "on_event",
        "register_commands",
        "register_sign_in",
        "register_sms_gateway",
        "prepare_demo",
        "register_jobs",
        "report_waiting",
    } == set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_docstring(hook: str) -> None:
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    assert len(doc) > 80
    assert "versionadded" in doc


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_in_the_plugin_guide(hook: str) -> None:
    guide = (ROOT / "docs" / "plugin-guide.md").read_text(encoding="utf-8")
    assert re.search(rf"^### `{hook}\(", guide, re.M), (
        f"docs/plugin-guide.md lacks ### `{hook}(...)`"
    )


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test(hook: str) -> None:
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py"))
    assert f"def test_hook_{hook}" in tests, f"no test_hook_{hook} in tests/"


def test_every_service_field_is_documented_in_the_plugin_guide() -> None:
    guide = (ROOT / "docs" / "plugin-guide.md").read_text(encoding="utf-8")
    missing = [f.name for f in msgspec.structs.fields(Service) if f"`{f.name}`" not in guide]
    assert missing == [], f"docs/plugin-guide.md does not name Service fields {missing}"
    assert re.search(r"^## Form labels$", guide, re.M), "docs/plugin-guide.md lacks ## Form labels"
