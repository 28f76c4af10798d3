"""Error mapping: every error is JSON with a message and, where known, the field path."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from asyncpg.exceptions import DeadlockDetectedError, SerializationError
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException

from core.api.outage import is_database_unavailable, unavailable
from core.api.retry import mark_retryable
from core.errors import DomainError
from core.parameters import ParameterMissing
from core.workflow.market.deliveries import DeliveryRefused
from core.workflow.requests import FormInvalid

log = logging.getLogger("hromada.api")


def _body(status: int, detail: str, extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status_code": status, "detail": detail}
    if extra:
        body["extra"] = extra
    return body


def domain_error(_: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    extra = (
        [{"key": exc.field, "message": exc.message, "source": "body", **exc.details}]
        if exc.field
        else None
    )
    return Response(
        _body(exc.status_code, exc.message, extra),
        status_code=exc.status_code,
        media_type=MediaType.JSON,
    )


def form_invalid(_: Request[Any, Any, Any], exc: FormInvalid) -> Response[Any]:
    extra = [{"key": e.key, "message": e.message, "source": e.source} for e in exc.errors]
    return Response(
        _body(400, "Форма заповнена з помилками / the form has invalid fields", extra),
        status_code=400,
        media_type=MediaType.JSON,
    )


def _locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def _bad_value(exc: BaseException) -> bool:
    """A value the database cannot take (out of range, NUL in text): the client's fault."""
    return isinstance(exc, OverflowError) or (
        type(exc).__module__.startswith("asyncpg")
        and any(cls.__name__ == "DataError" for cls in type(exc).__mro__)
    )


def _unique_violation(exc: BaseException) -> bool:
    name = type(exc).__name__
    return name == "UniqueViolationError" or (
        isinstance(exc, sqlite3.IntegrityError) and "UNIQUE" in str(exc)
    )


def unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if isinstance(exc, HTTPException):
        return Response(
            _body(exc.status_code, exc.detail, exc.extra if isinstance(exc.extra, list) else None),
            status_code=exc.status_code,
            headers=exc.headers or None,
            media_type=MediaType.JSON,
        )
    if is_database_unavailable(exc):
        return unavailable(request, exc)
    if _locked(exc):
        return Response(
            _body(503, "База даних зайнята, повторіть / database busy, retry shortly"),
            status_code=503,
            headers={"Retry-After": "2"},
            media_type=MediaType.JSON,
        )
    if _bad_value(exc):
        return Response(
            _body(400, "Неприпустиме значення / a value is out of range or invalid"),
            status_code=400,
            media_type=MediaType.JSON,
        )
    if _unique_violation(exc):
        return Response(
            _body(409, "Такий запис уже існує / such a record already exists"),
            status_code=409,
            media_type=MediaType.JSON,
        )
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return Response(
        _body(500, "Внутрішня помилка / internal error"), status_code=500, media_type=MediaType.JSON
    )


def delivery_refused(_: Request[Any, Any, Any], exc: DeliveryRefused) -> Response[Any]:
    extra = [
        {"key": f.rule, "message": f"{f.message.uk} / {f.message.en}", "source": "body"}
        for f in exc.findings
    ]
    return Response(
        _body(422, "Надання не прийнято / the delivery was refused", extra),
        status_code=422,
        media_type=MediaType.JSON,
    )


def parameter_missing(_: Request[Any, Any, Any], exc: ParameterMissing) -> Response[Any]:
    """A date before the first value of a parameter (or one the municipality has not set):
    nothing can be computed for it, which the client can fix by choosing another date."""
    on = exc.on.isoformat()
    message = (
        f"Параметр {exc.key} не має значення на {on} / parameter {exc.key} has no value in "
        f"force on {on}"
    )
    extra = [{"key": exc.key, "message": message, "source": "parameter", "date": on}]
    return Response(_body(422, message, extra), status_code=422, media_type=MediaType.JSON)


def contention(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A deadlock or a serialization failure rolled the transaction back: the request is
    run again (``core.api.retry``); this answer goes out only when the retries are spent."""
    mark_retryable(request.scope, exc)
    return Response(
        _body(
            503,
            "Базу даних зайнято паралельними змінами, повторіть / the database is busy with "
            "concurrent changes, retry shortly",
        ),
        status_code=503,
        headers={"Retry-After": "1"},
        media_type=MediaType.JSON,
    )


HANDLERS: dict[Any, Any] = {
    DomainError: domain_error,
    FormInvalid: form_invalid,
    DeliveryRefused: delivery_refused,
    ParameterMissing: parameter_missing,
    DeadlockDetectedError: contention,
    SerializationError: contention,
    Exception: unexpected,
}
