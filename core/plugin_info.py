"""Metadata a plugin declares about itself (the ``plugin_info`` hook)."""

from __future__ import annotations

import msgspec

from core.service import Text


class PluginInfo(msgspec.Struct, frozen=True, kw_only=True):
    #: Must equal the entry-point name the plugin is registered under.
    name: str
    #: The plugin contract version the plugin was written for.
    contract: int
    title: Text
    description: Text | None = None
