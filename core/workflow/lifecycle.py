"""The request lifecycle: which status may follow which."""

from __future__ import annotations

from core.errors import Conflict

TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"approved", "refused", "withdrawn"}),
    "approved": frozenset({"assigned", "closed"}),
    "assigned": frozenset({"closed"}),
    "refused": frozenset(),
    "withdrawn": frozenset(),
    "closed": frozenset(),
}

#: Statuses in which a request still waits for a decision (and can be overdue).
OPEN: frozenset[str] = frozenset({"submitted"})


def check(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise Conflict(
            f"звернення у стані «{current}» не може перейти в «{target}» / "
            f"a request in status '{current}' cannot become '{target}'",
            "status",
        )
