"""Reads of personal data are audited by the host, from a declaration on the route.

A route that returns personal data (names, tax numbers, birth dates, addresses, phones,
incomes, IBANs, documents, health or disability, household members, bookings, loans,
places on a waiting list) says so next to its access::

    @get("/loans/{loan_id:int}", opt=roles("admin", "caseworker") | personal_data("rental_loan"))

and one that does not says that too (``| not_personal()``; a public route is never
personal). After the handler has answered with a success, the host writes **one** audit row
per request: who (the user, their role and address), when, what (``action``, default
``<subject>.read``, the subject and the path's id, the path and the query) and which
citizens: the ids found in the answer under the declared fields (``citizen_id`` by
default; ``"id"`` for a citizen, ``"members.id"`` for a household's members; lists and
``Page`` items are walked), or the ids a handler of a file sets on
:class:`PersonalResponse`. If the row cannot be written, the answer is not sent.

A list of audit rows declares ``row_ids``: its read records the ids of the rows shown in
``details`` and the citizens they name only as ``audit_citizen`` pairs. Were the citizens
in its ``details``, the next read of the log would show them and name them again, and
reads of the newest page would name more citizens each time.

The guard :func:`remember` notes the request of a declared route; the app's
``after_request`` hook :func:`audit_read` writes the row. A GET route under ``/api``
without either declaration stops start-up (a plugin's with a message naming it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from core.schemas import Page
from core.workflow import audit

T = TypeVar("T")

#: The key of a route's ``opt`` holding its declaration (a :class:`Personal` or ``False``).
KEY = "personal"

Extract = Callable[[Any], Iterable[int]]


@dataclass(frozen=True)
class Personal:
    """What a route reads: the audit ``subject``, the ``action`` recorded, and where the
    citizens' ids are in its answer."""

    subject: str
    action: str
    citizens: tuple[str, ...] | Extract
    #: The ``details`` key holding the ids of the answer's rows, or None: ``details`` holds
    #: the citizens (``citizen_ids``).
    row_ids: str | None = None


def personal_data(
    subject: str,
    *,
    action: str | None = None,
    citizens: str | Sequence[str] | Extract = "citizen_id",
    row_ids: str | None = None,
) -> dict[str, Any]:
    """The route returns personal data about ``subject``; join it to the access with ``|``.

    ``citizens``: the field holding a citizen's id in the answer, a dotted path
    (``"members.id"``), several of them, or a function of the answer returning the ids.
    ``row_ids``: record the ids (``id``) of the rows answered under this key of
    ``details`` instead of ``citizen_ids``, the citizens only in ``audit_citizen`` (the
    audit log, whose rows name citizens: see the module's text).
    """
    if not subject:
        raise ValueError("personal_data needs a subject")
    fields: tuple[str, ...] | Extract
    if isinstance(citizens, str):
        fields = (citizens,)
    elif callable(citizens):
        fields = citizens
    else:
        fields = tuple(citizens)
    return {KEY: Personal(subject, action or f"{subject}.read", fields, row_ids)}


def not_personal() -> dict[str, Any]:
    """The route returns no personal data; join it to the access with ``|``."""
    return {KEY: False}


def declaration(handler: BaseRouteHandler) -> Personal | None:
    value = handler.opt.get(KEY)
    return value if isinstance(value, Personal) else None


def declared(handler: BaseRouteHandler) -> bool:
    """Whether the route says if it returns personal data (a public route never does)."""
    value = handler.opt.get(KEY)
    return isinstance(value, Personal) or value is False or bool(handler.opt.get("public"))


def must_declare(path: str, handler: BaseRouteHandler) -> bool:
    """Every GET route under ``/api`` declares whether it returns personal data."""
    methods: set[str] = getattr(handler, "http_methods", set())
    return path.startswith("/api/") and "GET" in methods


class PersonalResponse(Response[T]):
    """A response whose content the host cannot read (a file): the handler names the
    citizens it is about."""

    def __init__(self, content: T, *, citizen_ids: Iterable[int], **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self.citizen_ids = [int(i) for i in citizen_ids]


def _pluck(value: Any, parts: Sequence[str]) -> Iterator[int]:
    if value is None:
        return
    if isinstance(value, Page):
        value = value.items
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _pluck(item, parts)
        return
    if not parts:
        if isinstance(value, int) and not isinstance(value, bool):
            yield value
        return
    head, rest = parts[0], parts[1:]
    if isinstance(value, dict):
        yield from _pluck(value.get(head), rest)
    else:
        yield from _pluck(getattr(value, head, None), rest)


def citizen_ids(personal: Personal, response: Response[Any]) -> list[int]:
    """The distinct ids of the citizens an answer is about, in ascending order."""
    found: set[int] = set()
    if isinstance(response, PersonalResponse):
        found.update(response.citizen_ids)
    content = response.content
    if not isinstance(content, (bytes, bytearray, str)):
        if callable(personal.citizens):
            found.update(int(i) for i in personal.citizens(content))
        else:
            for path in personal.citizens:
                found.update(_pluck(content, path.split(".")))
    return sorted(found)


def ids_of_rows(response: Response[Any]) -> list[int]:
    """The ids (``id``) of the rows an answer holds, in ascending order."""
    content = response.content
    if isinstance(content, (bytes, bytearray, str)):
        return []
    return sorted(set(_pluck(content, ["id"])))


#: The request of a declared route being answered in this task (set by :func:`remember`).
_pending: ContextVar[tuple[Request[Any, Any, Any], Personal] | None] = ContextVar(
    "hromada_personal_read", default=None
)


async def remember(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Guard: note the request when its route reads personal data (runs after access)."""
    personal = declaration(handler)
    if personal is None or not isinstance(connection, Request):
        _pending.set(None)
        audit.route_audits.set(False)
        return
    _pending.set((connection, personal))
    audit.route_audits.set(True)


def scoped(app: ASGIApp) -> ASGIApp:
    """Wrap the application so what :func:`remember` notes ends with the request, even
    when the handler fails (a test client runs requests in its own task, one after another)."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        pending = _pending.set(None)
        flag = audit.route_audits.set(False)
        try:
            await app(scope, receive, send)
        finally:
            _pending.reset(pending)
            audit.route_audits.reset(flag)

    return wrapped


def _subject_id(request: Request[Any, Any, Any]) -> int | None:
    ids = [v for v in request.path_params.values() if isinstance(v, int)]
    return ids[-1] if ids else None


async def audit_read(response: Response[Any]) -> Response[Any]:
    """``after_request`` hook: one audit row for a successful read of personal data."""
    pending = _pending.get()
    if pending is None:
        return response
    _pending.set(None)
    audit.route_audits.set(False)
    if (response.status_code or 200) >= 400:
        return response
    request, personal = pending
    named = citizen_ids(personal, response)
    details: dict[str, Any] = {"route": f"{request.method} {request.url.path}"}
    if personal.row_ids is None:
        details["citizen_ids"] = named
    else:
        details[personal.row_ids] = ids_of_rows(response)
    query = {k: v if len(v) > 1 else v[0] for k, v in request.query_params.dict().items()}
    if query:
        details["query"] = query
    await audit.record(
        request.scope.get("user"),
        personal.action,
        personal.subject,
        _subject_id(request),
        details,
        citizens=None if personal.row_ids is None else named,
    )
    return response
