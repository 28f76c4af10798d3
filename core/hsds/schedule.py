"""An office's opening hours, as staff type them («пн–пт 08:00–20:00, сб 09:00–16:00»),
read into HSDS schedules (weekly recurrences, RFC 5545 day codes)."""

from __future__ import annotations

import re

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_NAMES = {
    "пн": 0,
    "вт": 1,
    "ср": 2,
    "чт": 3,
    "пт": 4,
    "сб": 5,
    "нд": 6,
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_DASH = "[-–—]"
_TIME = r"([01]?\d|2[0-3])[:.]([0-5]\d)"
_PART = re.compile(rf"([^\d]+?)\s*{_TIME}\s*{_DASH}\s*{_TIME}")


def _days(text: str) -> tuple[str, ...] | None:
    days: list[int] = []
    for item in re.split(r"[,;]\s*", text.strip().strip(",;").strip().lower()):
        words = [e.strip().rstrip(".")[:3] for e in re.split(_DASH, item)]
        ends = [_NAMES.get(w, _NAMES.get(w[:2], -1)) if w else -1 for w in words]
        if len(ends) == 1 and ends[0] >= 0:
            days.append(ends[0])
        elif len(ends) == 2 and 0 <= ends[0] <= ends[1]:
            days.extend(range(ends[0], ends[1] + 1))
        else:
            return None
    return tuple(DAYS[d] for d in dict.fromkeys(days)) if days else None


def parse(text: str) -> list[tuple[tuple[str, ...], str, str]] | None:
    """Each group of days with its hours, or ``None`` if the text cannot be read whole."""
    found: list[tuple[tuple[str, ...], str, str]] = []
    end = 0
    for match in _PART.finditer(text):
        if text[end : match.start()].strip(" ,;"):
            return None
        days = _days(match.group(1))
        if days is None:
            return None
        opens = f"{int(match.group(2)):02d}:{match.group(3)}"
        closes = f"{int(match.group(4)):02d}:{match.group(5)}"
        found.append((days, opens, closes))
        end = match.end()
    if not found or text[end:].strip(" ,;."):
        return None
    return found
