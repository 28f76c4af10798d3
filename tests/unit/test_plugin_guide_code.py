"""The plugin guide's code cannot rot: every Python block in docs/plugin-guide.md
compiles, every name it imports from Hromada exists where the guide says, and the worked
example it describes is the package in examples/ that CI installs and tests."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "plugin-guide.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def _blocks() -> list[tuple[int, str]]:
    text = GUIDE.read_text(encoding="utf-8")
    return [(text[: m.start()].count("\n") + 1, m.group(1)) for m in BLOCK.finditer(text)]


def _tree(source: str) -> ast.Module:
    flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    tree: ast.Module = compile(source, "<block>", "exec", flags=flags, dont_inherit=True)
    return tree


def test_the_guide_has_code() -> None:
    assert len(_blocks()) >= 10


@pytest.mark.parametrize(("line", "source"), _blocks(), ids=lambda v: str(v)[:20])
def test_a_block_compiles_and_its_imports_from_hromada_exist(line: int, source: str) -> None:
    try:
        tree = _tree(source)
    except SyntaxError as exc:
        pytest.fail(f"docs/plugin-guide.md, block at line {line}: {exc}")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("core"):
            module = importlib.import_module(node.module)
            for alias in node.names:
                assert hasattr(module, alias.name), (
                    f"docs/plugin-guide.md, block at line {line}: {node.module} has no {alias.name}"
                )


RUN = "# Run by the test suite."


def test_the_blocks_marked_to_run_run_and_their_tests_pass() -> None:
    runnable = [(line, source) for line, source in _blocks() if source.startswith(RUN)]
    assert runnable, "no block of the guide is marked to run"
    for line, source in runnable:
        namespace: dict[str, object] = {"__name__": f"plugin_guide_block_{line}"}
        exec(compile(source, f"<docs/plugin-guide.md, block at line {line}>", "exec"), namespace)
        tests = [fn for name, fn in namespace.items() if name.startswith("test_")]
        assert tests, f"the block at line {line} has no test_ function"
        for fn in tests:
            assert callable(fn)
            fn()


def test_the_worked_example_is_the_package_ci_tests() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    package = ROOT / "examples" / "meals_on_wheels"
    assert "examples/meals_on_wheels/" in guide
    sources = sorted((package / "meals_on_wheels").glob("*.py"))
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in sources)
    assert lines < 150, f"the example's Python is {lines} lines"
    for path in sources:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("core"):
                assert node.module == "core.sdk", f"{path.name} imports {node.module}"
    for name in ("within_cap", "tariff_parts", "ctx.recorded.quantity", "lives_alone"):
        assert name in guide
        assert any(name.split(".")[-1] in p.read_text(encoding="utf-8") for p in sources)
