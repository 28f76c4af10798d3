"""``hromada demo`` says what it does with a plugin from outside Hromada: enabled like
every plugin of the deployment, rows only from its own ``prepare_demo``, requests only
for services with an example form."""

from __future__ import annotations

import msgspec

from core.config import Settings
from core.demo import plugin_notes
from core.platform import Platform
from core.plugins import PluginHost
from core.service import Service
from plugins.funeral_aid.service import SERVICE
from tests.unit.test_hooks import fake


def test_the_demo_names_what_it_did_with_an_outside_plugin() -> None:
    def services() -> list[Service]:
        return [
            msgspec.structs.replace(SERVICE, code="fake.one"),
            msgspec.structs.replace(SERVICE, code="fake.bare", example_form=None),
        ]

    host = PluginHost(["funeral_aid"], None)
    outside = PluginHost(["fake"], [fake(register_services=services)])
    platform = Platform(Settings(database_url="sqlite:///unused.sqlite3"), outside)
    notes = plugin_notes(platform, "lutsk", ["fake"])
    assert notes[0].startswith("lutsk: enabled plugin fake (fake-pkg 0.1) as every plugin")
    assert "no prepare_demo hook" in notes[0]
    assert notes[1:] == [
        "lutsk: fake.bare has no example_form, so the demo made no requests for it"
    ]
    # The built-in plugins need no word.
    assert (
        plugin_notes(
            Platform(Settings(database_url="sqlite:///unused.sqlite3"), host),
            "lutsk",
            ["funeral_aid"],
        )
        == []
    )
