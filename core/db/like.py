"""Searching text with LIKE without letting the searched text act as a pattern.

``%`` and ``_`` typed by a user would match anything; :func:`contains` escapes them (and
the escape character itself) and adds an ``ESCAPE`` clause, which SQLite needs (it has
no default escape character) and PostgreSQL accepts.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import Where
from piccolo.columns.operators.comparison import ComparisonOperator

ESCAPE = "!"


class _EscapedLike(ComparisonOperator):
    template = "{name} LIKE {value} ESCAPE '" + ESCAPE + "'"


def escape_like(text: str) -> str:
    """``text`` with the LIKE wildcards and the escape character made literal."""
    return (
        text.replace(ESCAPE, ESCAPE + ESCAPE).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    )


def like(column: Any, prefix: str = "", text: str = "", suffix: str = "") -> Where:
    """``column LIKE prefix || text || suffix`` where only ``prefix`` and ``suffix`` (written
    by the caller, never by a user) may hold wildcards; ``text`` is matched literally."""
    return Where(column=column, value=prefix + escape_like(text) + suffix, operator=_EscapedLike)


def contains(column: Any, text: str) -> Where:
    """Rows whose ``column`` contains ``text`` literally (case as stored)."""
    return like(column, "%", text, "%")
