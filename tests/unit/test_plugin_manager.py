"""The plugin manager: discovery, enabling a subset, and a clear refusal for each breakage."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec
import pytest

from core.hookspecs import hookimpl
from core.plugin_info import PluginInfo
from core.plugins import Candidate, PluginError, PluginHost, discover, summarize
from plugins.funeral_aid.service import CARD, SERVICE


class Form(msgspec.Struct):
    x: int


def service(code: str = "demo.one", **changes: Any) -> Any:
    base: dict[str, Any] = {"rules": (), "payee": "nobody", "amount": None, "subject_key": None}
    return msgspec.structs.replace(SERVICE, code=code, **(base | changes))


def plugin(
    name: str = "demo",
    contract: int = 1,
    info_name: str | None = None,
    services: Callable[[], Any] | None = None,
    **extra: Any,
) -> ModuleType:
    module = ModuleType(f"fake_{name}")

    @hookimpl
    def plugin_info() -> PluginInfo:
        return PluginInfo(name=info_name or name, contract=contract, title=CARD.title)

    @hookimpl
    def register_services() -> Any:
        return services() if services else [service(f"{name}.one")]

    module.plugin_info = plugin_info  # type: ignore[attr-defined]
    module.register_services = register_services  # type: ignore[attr-defined]
    for key, value in extra.items():
        setattr(module, key, value)
    return module


def cand(
    module: ModuleType | Callable[[], Any], name: str = "demo", dist: str = "demo-pkg"
) -> Candidate:
    load = module if callable(module) and not isinstance(module, ModuleType) else (lambda: module)
    return Candidate(name=name, distribution=dist, version="1.2.3", load=load)


def refuse(match: str, enabled: list[str], *candidates: Candidate) -> PluginError:
    with pytest.raises(PluginError, match=match) as info:
        PluginHost(enabled, candidates)
    return info.value


def test_a_good_plugin_loads_with_its_services() -> None:
    host = PluginHost(["demo"], [cand(plugin())])
    assert list(host.services) == ["demo.one"]
    assert host.plugins["demo"].version == "1.2.3"
    assert host.plugins["demo"].hooks == ("plugin_info", "register_services")


def test_only_enabled_plugins_are_imported() -> None:
    imported: list[str] = []

    def load() -> ModuleType:
        imported.append("other")
        return plugin("other")

    host = PluginHost(["demo"], [cand(plugin()), cand(load, "other")])
    assert imported == []
    assert [p.name for p in summarize(host)] == ["demo", "other"]
    assert [p.enabled for p in summarize(host)] == [True, False]


def test_enabled_but_not_installed() -> None:
    err = refuse("not installed", ["ghost"], cand(plugin()))
    assert err.plugin == "ghost"


def test_import_error_names_the_plugin() -> None:
    def load() -> ModuleType:
        raise ImportError("No module named 'numpyy'")

    refuse(
        r"plugin 'demo': cannot be imported: ImportError: No module named 'numpyy'",
        ["demo"],
        cand(load),
    )


def test_installed_twice() -> None:
    refuse(
        "installed twice, by a-pkg and by b-pkg",
        ["demo"],
        cand(plugin(), dist="a-pkg"),
        cand(plugin(), dist="b-pkg"),
    )


def test_misspelled_hook() -> None:
    @hookimpl
    def register_service() -> list[Any]:
        return []

    refuse(
        "implements 'register_service', which is not a Hromada hook",
        ["demo"],
        cand(plugin(register_service=register_service)),
    )


def test_hook_with_unknown_argument() -> None:
    @hookimpl
    def extra_checks(service: Any, ctx: Any, weather: Any) -> list[Any]:
        return []

    refuse("breaks the contract", ["demo"], cand(plugin(extra_checks=extra_checks)))


def test_missing_required_hook() -> None:
    module = plugin()
    del module.register_services
    refuse("does not implement the required hook 'register_services'", ["demo"], cand(module))


def test_wrong_contract_version() -> None:
    refuse(
        "needs plugin contract version 2, this Hromada provides version 1",
        ["demo"],
        cand(plugin(contract=2)),
    )


def test_name_differs_from_entry_point() -> None:
    refuse("plugin_info\\(\\) names it 'other'", ["demo"], cand(plugin(info_name="other")))


@pytest.mark.parametrize(
    ("services", "match"),
    [
        (lambda: [], "non-empty list"),
        (lambda: ["not a service"], "not a Service"),
        (lambda: [service("Demo One")], "must look like 'demo.<name>'"),
        (lambda: [service("other.one")], "must look like 'demo.<name>'"),
        (lambda: [service("demo.one"), service("demo.one")], "already registered by plugin 'demo'"),
        (lambda: [service(form=dict)], "form must be a msgspec.Struct"),
        (
            lambda: [service(card=msgspec.structs.replace(CARD, refusal_grounds=()))],
            "no refusal grounds",
        ),
        (
            lambda: [service(card=msgspec.structs.replace(CARD, term_days=0))],
            "term must be positive",
        ),
        (
            lambda: [service(rules=(SERVICE.rules[0], SERVICE.rules[0]), form=SERVICE.form)],
            "rule ids repeat",
        ),
        (lambda: [service(rules=(SERVICE.rules[0],), form=Form)], "needs unknown form fields"),
        (lambda: [service(payee="applicant")], "pays the applicant but has no amount"),
    ],
)
def test_bad_services_are_refused(services: Callable[[], Any], match: str) -> None:
    refuse(match, ["demo"], cand(plugin(services=services)))


def test_a_plugin_cannot_claim_another_plugins_service_codes() -> None:
    a = plugin("alpha", services=lambda: [service("alpha.x")])
    b = plugin("beta", services=lambda: [service("alpha.x")])
    refuse("must look like 'beta", ["alpha", "beta"], cand(a, "alpha"), cand(b, "beta"))


def test_failing_hook_names_the_plugin() -> None:
    def boom() -> list[Any]:
        raise RuntimeError("database not ready")

    refuse(
        "register_services\\(\\) failed: RuntimeError: database not ready",
        ["demo"],
        cand(plugin(services=boom)),
    )


def test_failing_event_handler_does_not_reach_the_caller() -> None:
    from core.events import Event

    @hookimpl
    def on_event(event: Event) -> None:
        raise RuntimeError("mail server down")

    host = PluginHost(["demo"], [cand(plugin(on_event=on_event))])
    host.emit(Event(kind="request.submitted", municipality_id=1, subject="request", subject_id=1))


@pytest.fixture
def fake_distribution(tmp_path: Path) -> Iterator[Path]:
    """An installed third-party plugin: a module and a *.dist-info with its entry point."""
    (tmp_path / "hromada_fake_plugin.py").write_text(
        textwrap.dedent("""
        from core.hookspecs import hookimpl
        from core.plugin_info import PluginInfo
        from core.service import Text
        import msgspec
        from plugins.funeral_aid.service import SERVICE

        @hookimpl
        def plugin_info():
            return PluginInfo(name="fake", contract=1, title=Text("Тест", "Test"))

        @hookimpl
        def register_services():
            return [msgspec.structs.replace(SERVICE, code="fake.one")]
    """)
    )
    info = tmp_path / "hromada_fake_plugin-0.3.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: hromada-fake-plugin\nVersion: 0.3.0\n"
    )
    (info / "entry_points.txt").write_text("[hromada.plugins]\nfake = hromada_fake_plugin\n")
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    sys.modules.pop("hromada_fake_plugin", None)


def test_entry_point_discovery_finds_builtins_and_third_party(fake_distribution: Path) -> None:
    found = {c.name: c for c in discover()}
    assert found["funeral_aid"].distribution == "hromada"
    assert found["fake"].distribution == "hromada-fake-plugin"
    assert found["fake"].version == "0.3.0"
    host = PluginHost(["funeral_aid", "fake"])
    assert set(host.services) == {"funeral_aid.lump_sum", "fake.one"}


def test_third_party_plugin_is_not_enabled_by_default(fake_distribution: Path) -> None:
    from core.config import load_settings

    settings = load_settings({})
    host = PluginHost(settings.plugins)
    assert "fake" not in host.plugins
    assert "fake" in {c.name for c in host.installed}
