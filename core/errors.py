"""Domain errors; the API maps each to its HTTP status with a JSON body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DomainError(Exception):
    status_code = 400

    def __init__(
        self, message: str, field: str | None = None, *, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        #: What the client may do next (e.g. a 409's offer of a waiting list), answered in
        #: the field's ``extra`` entry beside ``key``, ``message`` and ``source``.
        self.details: dict[str, Any] = dict(details or {})


class Invalid(DomainError):
    status_code = 400


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409
