"""Funeral aid (допомога на поховання) for uninsured residents: CMU No. 99 of 31.01.2007."""

from __future__ import annotations

from core.sdk import PluginInfo, Service, Text, hookimpl
from plugins.funeral_aid.service import SERVICE


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="funeral_aid",
        contract=1,
        title=Text("Допомога на поховання", "Funeral aid"),
        description=Text(
            "Одноразова допомога на поховання незастрахованих мешканців громади.",
            "A one-off lump sum for burying an uninsured resident of the hromada.",
        ),
    )


@hookimpl
def register_services() -> list[Service]:
    return [SERVICE]
