"""Meals on wheels, a Hromada plugin package (see service.py)."""

from core.sdk import PluginInfo, Service, Text, hookimpl

from .service import SERVICE


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="meals_on_wheels", contract=1, title=Text("Гарячі обіди вдома", "Meals on wheels")
    )


@hookimpl
def register_services() -> list[Service]:
    return [SERVICE]
