"""Each hook of the contract, exercised through the core that calls it."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import httpx
import msgspec
import pytest
from click.testing import CliRunner
from litestar import get
from litestar.handlers import HTTPRouteHandler

from core.api.access import public, roles
from core.api.app import all_handlers, create_app
from core.config import Settings
from core.events import Event
from core.hookspecs import hookimpl
from core.parameters import Parameters
from core.platform import Platform
from core.plugin_info import PluginInfo
from core.plugins import Candidate, PluginError, PluginHost
from core.service import Applicant, Finding, Municipality, RuleContext, Service, Text
from core.web.menus import menu_for
from core.web.plugin_pages import MenuEntry, PluginPages, menu_entries
from core.workflow.eligibility import evaluate
from plugins.funeral_aid.service import SERVICE, FuneralAidForm
from tests.funeral import funeral_form


def fake(**hooks: Any) -> Candidate:
    module = ModuleType("fake_hooks")

    @hookimpl
    def plugin_info() -> PluginInfo:
        return PluginInfo(name="fake", contract=1, title=Text("Тест", "Test"))

    @hookimpl
    def register_services() -> list[Service]:
        return [msgspec.structs.replace(SERVICE, code="fake.one")]

    module.plugin_info = plugin_info  # type: ignore[attr-defined]
    module.register_services = register_services  # type: ignore[attr-defined]
    for name, fn in hooks.items():
        setattr(module, name, hookimpl(fn))
    return Candidate("fake", "fake-pkg", "0.1", lambda: module)


def test_hook_plugin_info() -> None:
    host = PluginHost(["fake"], [fake()])
    assert host.plugins["fake"].info.title.en == "Test"
    assert host.plugins["fake"].info.contract == 1


def test_hook_register_services() -> None:
    host = PluginHost(["fake"], [fake()])
    assert host.service_plugin == {"fake.one": "fake"}
    assert host.services_for(["fake"])[0].card.title.uk == "Допомога на поховання"
    assert host.services_for(["other"]) == []


def test_hook_register_tables() -> None:
    def register_tables() -> list[str]:
        return ["core.db.piccolo_app"]

    host = PluginHost(["fake"], [fake(register_tables=register_tables)])
    assert host.table_apps() == ["core.db.piccolo_app"]

    def bad_tables() -> Any:
        return [42]

    with pytest.raises(PluginError, match="dotted module paths"):
        PluginHost(["fake"], [fake(register_tables=bad_tables)])


async def test_hook_register_routes(platform: Platform) -> None:
    @get("/hello", opt=public())
    async def hello() -> dict[str, str]:
        return {"hello": "світ"}

    def register_routes() -> list[Any]:
        return [hello]

    settings = Settings(database_url=platform.settings.database_url, plugins=("funeral_aid",))
    host = PluginHost(["fake"], [fake(register_routes=register_routes)])
    app = create_app(Platform(settings, host))
    from core.db.tables import Municipality

    slug = f"fake-{uuid.uuid4().hex[:8]}"
    await Municipality(slug=slug, name_uk="Тест", name_en="Test", enabled_plugins='["fake"]').save()
    await Municipality(slug=f"{slug}-off", name_uk="Тест", name_en="Test").save()
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # no lifespan: the session's engine stays
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        r = await client.get("/api/ext/fake/hello", params={"municipality": slug})
        closed = await client.get("/api/ext/fake/hello", params={"municipality": f"{slug}-off"})
    assert r.json() == {"hello": "світ"}
    assert closed.status_code == 404  # not enabled there: the host closes the route
    assert "fake" in closed.text

    @get("/naked")
    async def naked() -> None:
        return None

    host = PluginHost(["fake"], [fake(register_routes=lambda: [naked])])
    with pytest.raises(
        PluginError, match="plugin 'fake': route /api/ext/fake/naked declares no access"
    ):
        create_app(Platform(settings, host))


def test_hook_register_pages(platform: Platform, tmp_path: Path) -> None:
    @get("/hello", opt=roles("caseworker"))
    async def hello() -> str:
        return "світ"

    (tmp_path / "hello.html").write_text('{% extends "desk/layout.html" %}', encoding="utf-8")
    menu = [MenuEntry(label=Text("Привіт", "Hello"), path="/hello", roles=("caseworker",))]

    def register_pages() -> PluginPages:
        return PluginPages(handlers=[hello], menu=menu, templates=str(tmp_path))

    settings = Settings(database_url=platform.settings.database_url, plugins=("funeral_aid",))
    host = PluginHost(["fake"], [fake(register_pages=register_pages)])
    app = create_app(Platform(settings, host))
    paths = {path for path, _ in all_handlers(app)}
    assert "/desk/ext/fake/hello" in paths
    handler = next(h for path, h in all_handlers(app) if path == "/desk/ext/fake/hello")
    assert isinstance(handler, HTTPRouteHandler)
    assert not handler.resolve_include_in_schema()  # pages are not in the API's document
    engine = app.template_engine
    assert engine is not None
    assert engine.get_template("fake/hello.html") is not None  # the plugin's own folder
    assert engine.get_template("desk/layout.html") is not None  # the core's still first
    assert menu_entries(host.pages(), ["fake"], "caseworker") == [("fake", menu[0])]
    assert menu_entries(host.pages(), ["fake"], "intake") == []
    assert menu_entries(host.pages(), [], "caseworker") == []
    labels = [
        i.label
        for i in menu_for(
            "caseworker", "en", "/desk/ext/fake/hello", [("Hello", "/desk/ext/fake/hello")]
        )
    ]
    assert "Hello" in labels

    @get("/open", opt=public())
    async def open_page() -> str:
        return ""

    host = PluginHost(["fake"], [fake(register_pages=lambda: PluginPages(handlers=[open_page]))])
    with pytest.raises(PluginError, match="page /desk/ext/fake/open declares no roles"):
        create_app(Platform(settings, host))
    with pytest.raises(PluginError, match=r"must return a core\.web\.plugin_pages\.PluginPages"):
        PluginHost(["fake"], [fake(register_pages=lambda: [hello])]).pages()
    wrong_role = PluginPages(
        handlers=[], menu=[MenuEntry(label=Text("a", "a"), path="/a", roles=("boss",))]
    )
    with pytest.raises(PluginError, match="unknown roles"):
        PluginHost(["fake"], [fake(register_pages=lambda: wrong_role)]).pages()


def test_hook_extra_checks() -> None:
    def extra_checks(service: Service, ctx: RuleContext) -> list[Finding]:
        if ctx.applicant.tax_number is None:
            return [ctx.unknown("fake.tax_number", "Потрібен РНОКПП", "Tax number needed")]
        return []

    host = PluginHost(["fake"], [fake(extra_checks=extra_checks)])
    form = msgspec.convert(funeral_form(date(2026, 3, 1)), FuneralAidForm)
    muni = Municipality(id=1, slug="k", name=Text("К", "K"), settlements=("Ковель",))
    result = evaluate(
        host,
        SERVICE,
        applicant=Applicant(),
        form=form,
        on=date(2026, 3, 1),
        params=Parameters(SERVICE.parameters),
        municipality=muni,
    )
    assert result.verdict == "needs_data"
    assert result.findings[-1].rule == "fake.tax_number"


def test_hook_on_event() -> None:
    seen: list[Event] = []

    def on_event(event: Event) -> None:
        seen.append(event)

    host = PluginHost(["fake"], [fake(on_event=on_event)])
    host.emit(Event(kind="request.decided", municipality_id=1, subject="request", subject_id=7))
    assert [(e.kind, e.subject_id) for e in seen] == [("request.decided", 7)]


def test_hook_register_commands() -> None:
    def register_commands(cli: click.Group) -> None:
        @cli.command("hello")
        def hello() -> None:
            click.echo("привіт")

    host = PluginHost(["fake"], [fake(register_commands=register_commands)])
    group = click.Group("hromada")
    host.add_commands(group)
    assert CliRunner().invoke(group, ["hello"]).output == "привіт\n"


async def test_hook_prepare_demo() -> None:
    from datetime import date as day

    from core.actor import Actor

    seen: list[tuple[str, list[int], Any]] = []

    async def prepare(actor: Actor, citizen_ids: list[int], since: Any) -> None:
        seen.append((actor.username, citizen_ids, since))

    def prepare_sync(actor: Actor, citizen_ids: list[int], since: Any) -> None:
        seen.append(("sync", citizen_ids, since))

    host = PluginHost(["fake"], [fake(prepare_demo=prepare)])
    admin = Actor(
        id=1,
        username="k.admin",
        full_name="",
        role="admin",
        municipality_id=1,
        municipality_slug="k",
    )
    await host.prepare_demo(None, admin, ["fake"], [5, 6], day(2026, 10, 1))
    await host.prepare_demo(None, admin, ["other"], [7], day(2026, 10, 1))  # not enabled there
    assert seen == [("k.admin", [5, 6], day(2026, 10, 1))]
    host = PluginHost(["fake"], [fake(prepare_demo=prepare_sync)])
    await host.prepare_demo(None, admin, ["fake"], [8], day(2026, 10, 1))
    assert seen[-1] == ("sync", [8], day(2026, 10, 1))
