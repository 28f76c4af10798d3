"""Events the core emits to plugins through the ``on_event`` hook."""

from __future__ import annotations

from typing import Any

import msgspec


class Event(msgspec.Struct, frozen=True, kw_only=True):
    #: ``request.submitted``, ``request.decided``, ``request.withdrawn``, ...
    kind: str
    municipality_id: int
    subject: str
    subject_id: int
    data: dict[str, Any] = msgspec.field(default_factory=dict)
