"""User accounts of a municipality, managed by its admin."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, UnsetType

from core import clock
from core.actor import Actor
from core.db.engine import write_transaction
from core.db.tables import Citizen, Office, Provider, SessionToken, User
from core.errors import Conflict, Invalid, NotFound
from core.schemas import Role, RowId
from core.workflow import audit, users
from core.workflow.users import create_user, hash_password

Password = Annotated[str, msgspec.Meta(min_length=8, max_length=256)]
Username = Annotated[str, msgspec.Meta(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


class UserIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    username: Username
    password: Password
    role: Role
    full_name: Annotated[str, msgspec.Meta(max_length=255)] = ""
    provider_id: RowId | None = None
    citizen_id: RowId | None = None
    office_id: RowId | None = None


class UserPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    full_name: Annotated[str, msgspec.Meta(max_length=255)] | UnsetType = UNSET
    role: Role | UnsetType = UNSET
    active: bool | UnsetType = UNSET
    password: Password | UnsetType = UNSET
    office_id: RowId | UnsetType | None = UNSET


class UserOut(msgspec.Struct, kw_only=True):
    id: int
    username: str
    full_name: str
    role: str
    active: bool
    provider_id: int | None
    citizen_id: int | None
    office_id: int | None
    created_at: datetime
    #: Set while the account is locked after failed sign-ins (``POST .../unlock``).
    locked_until: datetime | None = None


def _out(row: dict[str, Any]) -> UserOut:
    return UserOut(
        id=row["id"],
        username=row["username"],
        full_name=row["full_name"],
        role=row["role"],
        active=row["active"],
        provider_id=row["provider"],
        citizen_id=row["citizen"],
        office_id=row["office"],
        created_at=row["created_at"],
        locked_until=_locked_until(row.get("locked_until")),
    )


def _locked_until(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    value = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return value if value > clock.now() else None


async def _owned(table: Any, actor: Actor, row_id: int | None, field: str) -> None:
    if row_id is not None and not await table.exists().where(
        (table.id == row_id) & (table.municipality == actor.municipality_id)
    ):
        raise Invalid(f"{field}: не знайдено в громаді / not found in this municipality", field)


async def listing(actor: Actor) -> list[UserOut]:
    rows = (
        await User.select()
        .where(User.municipality == actor.municipality_id)
        .order_by(User.username)
    )
    return [_out(r) for r in rows]


async def _read(actor: Actor, user_id: int) -> dict[str, Any]:
    row = (
        await User.select()
        .where((User.id == user_id) & (User.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound(f"користувача {user_id} не знайдено / user not found", "user_id")
    return row


async def create(actor: Actor, body: UserIn) -> UserOut:
    await _owned(Provider, actor, body.provider_id, "provider_id")
    await _owned(Citizen, actor, body.citizen_id, "citizen_id")
    await _owned(Office, actor, body.office_id, "office_id")
    user_id = await create_user(
        municipality_id=actor.municipality_id,
        username=body.username,
        password=body.password,
        role=body.role,
        full_name=body.full_name,
        provider_id=body.provider_id,
        citizen_id=body.citizen_id,
        office_id=body.office_id,
    )
    await audit.record(actor, "user.create", "user", user_id, {"role": body.role})
    return _out(await _read(actor, user_id))


async def update(actor: Actor, user_id: int, patch: UserPatch) -> UserOut:
    current = await _read(actor, user_id)
    values: dict[Any, Any] = {}
    if patch.full_name is not UNSET:
        values[User.full_name] = patch.full_name
    if patch.role is not UNSET:
        if user_id == actor.id and patch.role != actor.role:
            raise Conflict("не можна змінити власну роль / you cannot change your own role", "role")
        if patch.role == "provider" and current["provider"] is None:
            raise Invalid("роль надавача потребує надавача / needs a provider", "role")
        if patch.role == "citizen" and current["citizen"] is None:
            raise Invalid("роль громадянина потребує громадянина / needs a citizen", "role")
        values[User.role] = patch.role
    if patch.active is not UNSET:
        if user_id == actor.id and not patch.active:
            raise Conflict("не можна вимкнути себе / you cannot deactivate yourself", "active")
        values[User.active] = patch.active
    if patch.password is not UNSET:
        values[User.password_hash] = hash_password(patch.password)
    if patch.office_id is not UNSET:
        await _owned(Office, actor, patch.office_id, "office_id")
        values[User.office] = patch.office_id
    if not values:
        raise Invalid("немає змін / nothing to change", "body")
    async with write_transaction():
        await User.update(values).where(User.id == user_id)
        if patch.active is False or patch.password is not UNSET or patch.role is not UNSET:
            await SessionToken.delete().where(SessionToken.user == user_id)  # sign out everywhere
        await audit.record(
            actor, "user.update", "user", user_id, {"fields": sorted(c._meta.name for c in values)}
        )
    users.forget_sessions()  # this process's copies; the others' within session_cache_seconds
    return _out(await _read(actor, user_id))


async def unlock(actor: Actor, user_id: int) -> UserOut:
    """Release an account locked after failed sign-ins (and forget its failures)."""
    row = await _read(actor, user_id)
    was_locked = _locked_until(row.get("locked_until")) is not None
    await users.unlock(user_id)
    await audit.record(actor, "user.unlock", "user", user_id, {"was_locked": was_locked})
    return _out(await _read(actor, user_id))
