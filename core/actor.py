"""Who is acting: the authenticated user as the use cases see it."""

from __future__ import annotations

import msgspec


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    username: str
    full_name: str
    role: str
    municipality_id: int
    municipality_slug: str
    provider_id: int | None = None
    citizen_id: int | None = None
    ip: str = ""

    @property
    def is_staff(self) -> bool:
        return self.role in ("admin", "intake", "caseworker", "accountant", "auditor")
