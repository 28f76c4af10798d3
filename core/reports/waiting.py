"""People waiting that only a plugin knows of (a rental point's waiting list, social-taxi
trips refused because the rider's cap was used up), for the coverage report.

A plugin implements the ``report_waiting`` hook (:mod:`core.hookspecs`) and returns an
awaitable of :class:`PluginWaiting` figures per service and settlement; the core never
imports a plugin, it asks the municipality's enabled plugins through the hook.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

import msgspec

log = logging.getLogger(__name__)


class PluginWaiting(msgspec.Struct, frozen=True, kw_only=True):
    """People waiting for one service in one settlement, as a plugin counts them.

    ``settlement`` is the applicant's settlement frozen on the request (``""`` when the
    request has none); ``people`` are distinct citizens; ``source`` names what they wait
    in (``rental_aids.waiting_list``), so the report can say where the figure comes from.
    """

    service_code: str
    settlement: str
    people: int
    source: str


async def from_plugins(
    host: Any, plugins: Iterable[str], municipality_id: int, start: date, end: date
) -> list[PluginWaiting]:
    """The ``report_waiting`` figures of the given (the municipality's enabled) plugins.
    A plugin that fails is logged and left out: the report still shows the rest."""
    allowed = set(plugins)
    given = {"municipality_id": municipality_id, "start": start, "end": end}
    found: list[PluginWaiting] = []
    for impl in host.pm.hook.report_waiting.get_hookimpls():
        if impl.plugin_name not in allowed:
            continue
        try:
            outcome: Any = impl.function(**{name: given[name] for name in impl.argnames})
            if inspect.isawaitable(outcome):
                outcome = await outcome
        except Exception:
            log.exception("report_waiting of plugin %r failed", impl.plugin_name)
            continue
        found.extend(w for w in outcome or [] if isinstance(w, PluginWaiting))
    return found
