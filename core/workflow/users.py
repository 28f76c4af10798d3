"""Users, passwords (argon2) and session tokens (stored hashed)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core import clock
from core.actor import Actor
from core.db.tables import Municipality, SessionToken, User
from core.errors import Conflict, Invalid
from core.schemas import ROLES

_hasher = PasswordHasher()
# Verified against when the user does not exist, so both paths take the same time.
_DUMMY_HASH = _hasher.hash("no such user")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_user(
    *,
    municipality_id: int,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    provider_id: int | None = None,
    citizen_id: int | None = None,
    office_id: int | None = None,
) -> int:
    if role not in ROLES:
        raise Invalid(f"невідома роль / unknown role {role!r} (one of {', '.join(ROLES)})", "role")
    if role == "provider" and provider_id is None:
        raise Invalid(
            "користувач-надавач має бути прив'язаний до надавача / needs a provider", "provider_id"
        )
    if role == "citizen" and citizen_id is None:
        raise Invalid(
            "користувач-громадянин має бути прив'язаний до громадянина / needs a citizen",
            "citizen_id",
        )
    if len(password) < 8:
        raise Invalid("пароль щонайменше 8 символів / password needs 8+ characters", "password")
    if await User.exists().where(User.username == username):
        raise Conflict(f"користувач «{username}» уже є / user exists", "username")
    row = User(
        municipality=municipality_id,
        username=username,
        password_hash=hash_password(password),
        role=role,
        full_name=full_name,
        provider=provider_id,
        citizen=citizen_id,
        office=office_id,
    )
    await row.save()
    return int(row.id)


def _actor(row: dict[str, Any], ip: str = "") -> Actor:
    return Actor(
        id=row["id"],
        username=row["username"],
        full_name=row["full_name"],
        role=row["role"],
        municipality_id=row["municipality"],
        municipality_slug=row["municipality.slug"],
        provider_id=row["provider"],
        citizen_id=row["citizen"],
        ip=ip,
    )


_USER_COLUMNS = (
    User.id,
    User.username,
    User.full_name,
    User.role,
    User.municipality,
    User.municipality.slug,
    User.provider,
    User.citizen,
    User.password_hash,
    User.active,
)


async def authenticate(username: str, password: str) -> Actor | None:
    row = await User.select(*_USER_COLUMNS).where(User.username == username).first()
    try:
        _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row["active"]:
        return None
    return _actor(row)


async def open_session(actor: Actor, ttl_seconds: int) -> tuple[str, datetime]:
    token = secrets.token_urlsafe(32)
    expires = clock.now() + timedelta(seconds=ttl_seconds)
    await SessionToken(token_hash=_token_hash(token), user=actor.id, expires_at=expires).save()
    return token, expires


async def close_session(token: str) -> None:
    await SessionToken.delete().where(SessionToken.token_hash == _token_hash(token))


async def actor_for_token(token: str, ip: str = "") -> Actor | None:
    row = (
        await SessionToken.select(SessionToken.user, SessionToken.expires_at)
        .where(SessionToken.token_hash == _token_hash(token))
        .first()
    )
    if row is None:
        return None
    expires = row["expires_at"]
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if expires < clock.now():
        return None
    user = await User.select(*_USER_COLUMNS).where(User.id == row["user"]).first()
    if user is None or not user["active"]:
        return None
    return _actor(user, ip)


async def municipality_id_by_slug(slug: str) -> int | None:
    row = await Municipality.select(Municipality.id).where(Municipality.slug == slug).first()
    return None if row is None else int(row["id"])
