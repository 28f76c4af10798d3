"""The append-only audit log: reads of personal data and every decision.

Reads over HTTP are audited by the host from the route's declaration
(:mod:`core.api.reads`): one row per request, naming the citizens returned. A use case
that reads personal data for another caller (a web page, the command line) records it with
:func:`read`, which leaves the row to the host while a declared route is being answered.

The citizens a row names are in ``details.citizen_ids`` and, one indexed pair each, in
``audit_citizen``. A read of the audit log (``audit.read``) is the exception: its
``details.audit_ids`` holds the ids of the rows it showed, and the citizens those rows
name are only its ``audit_citizen`` pairs. Its row, shown by a later read of the log,
then shows no citizen, so each read names only the citizens the rows it showed name in
their ``details``, and keeps one id per row shown however often the log is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

import msgspec

from core.actor import Actor
from core.db import built_once
from core.db.engine import is_sqlite
from core.db.tables import AuditCitizen, AuditLog


async def record(
    actor: Actor | None,
    action: str,
    subject: str,
    subject_id: int | None,
    details: dict[str, Any] | None = None,
    municipality_id: int | None = None,
    *,
    citizens: Iterable[int] | None = None,
) -> None:
    """Append a row. The citizens it names are ``details["citizen_ids"]``, or
    ``citizens`` when given (kept out of ``details``: a read of the audit log)."""
    row = await built_once.insert(
        AuditLog, **_values(actor, action, subject, subject_id, details, municipality_id)
    )
    # The citizens the row names, one indexed row each (the citizen's "who looked at my
    # data" finds them without searching the JSON text).
    if citizens is None:
        citizens = (details or {}).get("citizen_ids") or ()
    named = sorted({int(c) for c in citizens})
    if named:
        # One statement, the ids as one JSON array: a read of the audit log names every
        # citizen its rows name, thousands of them (one ORM object each took 0.7 s).
        await AuditCitizen.raw(_named(), row["id"], msgspec.json.encode(named).decode())


def values_of(
    actor: Actor | None,
    action: str,
    subject: str,
    subject_id: int | None,
    details: dict[str, Any] | None = None,
    municipality_id: int | None = None,
) -> dict[str, Any]:
    """The values of the row :func:`record` appends, for a caller that writes it itself
    (the submission, with its journal number); only for a row naming no citizen."""
    if (details or {}).get("citizen_ids"):
        raise ValueError("a row naming citizens is written by record(), with its pairs")
    return _values(actor, action, subject, subject_id, details, municipality_id)


def _values(
    actor: Actor | None,
    action: str,
    subject: str,
    subject_id: int | None,
    details: dict[str, Any] | None,
    municipality_id: int | None,
) -> dict[str, Any]:
    return {
        "municipality": municipality_id if actor is None else actor.municipality_id,
        "actor": None if actor is None else actor.id,
        "actor_role": "" if actor is None else actor.role,
        "action": action,
        "subject": subject,
        "subject_id": subject_id,
        "details": msgspec.json.encode(details or {}).decode(),
        "ip": "" if actor is None else actor.ip,
    }


def _named() -> str:
    """Rows of ``audit_citizen`` from an audit id and a JSON array of citizen ids."""
    each = "json_each({})" if is_sqlite() else "json_array_elements_text(CAST({} AS json))"
    return (
        "INSERT INTO audit_citizen (audit_id, citizen_id) "
        f"SELECT CAST({{}} AS integer), CAST(value AS integer) FROM {each}"
    )


#: True while a route that declares personal data is being answered: the host writes
#: the read's row, so :func:`read` does not write a second one.
route_audits: ContextVar[bool] = ContextVar("hromada_route_audits", default=False)


async def read(
    actor: Actor | None,
    action: str,
    subject: str,
    subject_id: int | None,
    details: dict[str, Any] | None = None,
) -> None:
    """A use case's record of a read of personal data, unless the route audits it."""
    if route_audits.get():
        return
    await record(actor, action, subject, subject_id, details)
