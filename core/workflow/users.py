"""Users, passwords (argon2), session tokens (stored hashed) and sign-in limits.

Sign-in is limited twice, and a refused attempt never runs argon2 (0.3-0.8 s of CPU):

- **by client address**, in the server process (:class:`AddressThrottle`): after
  ``login_address_failures`` failed attempts from one address within
  ``login_address_window_seconds``, further attempts from it are refused until the oldest
  failure leaves the window. Each server process counts on its own, so N processes allow
  up to N times the limit;
- **by account**, in the database (``hromada_user.failed_logins``, ``locked_until``):
  ``login_failures_before_lock`` wrong passwords in a row lock the account for
  ``login_lock_seconds``, in every server process, until the time-out or an admin's
  unlock (``POST /api/users/{id}/unlock``). A successful sign-in resets the count.

Both answer 429 with ``Retry-After``; the start of a throttle and every lock are audited
(``auth.throttled``, ``auth.locked``), and so is an admin's unlock (``user.unlock``).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core import clock
from core.actor import Actor
from core.db import built_once
from core.db.tables import Municipality, SessionToken, User
from core.errors import Conflict, DomainError, Invalid
from core.schemas import ROLES
from core.workflow import audit

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


class LoginLimits(msgspec.Struct, frozen=True, kw_only=True):
    """How many failed sign-ins are allowed (see the module's docstring)."""

    failures_before_lock: int = 10
    lock_seconds: int = 15 * 60
    address_failures: int = 30
    address_window_seconds: int = 5 * 60


class LoginRefused(DomainError):
    """A sign-in refused before its password was checked (429, ``Retry-After``)."""

    status_code = 429

    def __init__(self, reason: Literal["address", "locked"], retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        if reason == "locked":
            message = (
                "обліковий запис тимчасово заблоковано після невдалих спроб входу; спробуйте "
                f"за {minutes} хв або зверніться до адміністратора / the account is locked "
                f"after failed sign-ins; try again in {minutes} min or ask an administrator"
            )
        else:
            message = (
                f"забагато невдалих спроб входу з цієї адреси; спробуйте за {minutes} хв / "
                f"too many failed sign-ins from this address; try again in {minutes} min"
            )
        super().__init__(message)
        self.reason = reason
        self.retry_after = max(1, retry_after)


class AddressThrottle:
    """Failed sign-ins per client address in a sliding window, kept in this process."""

    #: Addresses remembered at most; beyond it, the ones with no failure in the window go.
    MAX_ADDRESSES = 10_000

    def __init__(self, limit: int, window_seconds: int) -> None:
        self.limit = limit
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self._failures.get(address)
        if times is None:
            return deque()
        # Time moved back (a test's clock) counts as the window having passed too.
        while times and not (now - self.window < times[0] <= now):
            times.popleft()
        if not times:
            del self._failures[address]
        return times

    def retry_after(self, address: str) -> int | None:
        """Seconds until the address may try again, or None if it may now."""
        now = clock.now().timestamp()
        times = self._recent(address, now)
        if len(times) < self.limit:
            return None
        return max(1, math.ceil(times[-self.limit] + self.window - now))

    def failed(self, address: str) -> bool:
        """Count a failure; True when it is the one that starts the throttle."""
        now = clock.now().timestamp()
        times = self._recent(address, now)
        if address not in self._failures:
            if len(self._failures) >= self.MAX_ADDRESSES:
                for key in list(self._failures):
                    self._recent(key, now)
            self._failures[address] = times
        times.append(now)
        while len(times) > self.limit:
            times.popleft()
        return len(times) == self.limit

    def clear(self) -> None:
        self._failures.clear()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


async def _failed(row: dict[str, Any] | None, ip: str, limits: LoginLimits) -> None:
    """Count a wrong password against the account; lock it at the limit."""
    if row is None:
        return
    counted = await User.raw(
        "UPDATE hromada_user SET failed_logins = failed_logins + 1 WHERE id = {} "
        "RETURNING failed_logins",
        row["id"],
    )
    failures = int(counted[0]["failed_logins"]) if counted else 0
    if failures < limits.failures_before_lock:
        return
    until = clock.now() + timedelta(seconds=limits.lock_seconds)
    await User.update({User.failed_logins: 0, User.locked_until: until}).where(User.id == row["id"])
    await audit.record(
        None,
        "auth.locked",
        "user",
        row["id"],
        {"failures": failures, "until": until.isoformat(), "ip": ip},
        municipality_id=row["municipality"],
    )


async def authenticate(
    username: str,
    password: str,
    ip: str = "",
    *,
    limits: LoginLimits | None = None,
    throttle: AddressThrottle | None = None,
) -> Actor | None:
    """The user whose name and password these are, or None.

    Raises :class:`LoginRefused` (before argon2 runs) when the address is throttled or
    the account is locked; a wrong password counts against both."""
    limits = limits or LoginLimits()
    if throttle is not None:
        wait = throttle.retry_after(ip)
        if wait is not None:
            raise LoginRefused("address", wait)
    row = (
        await User.select(*_USER_COLUMNS, User.failed_logins, User.locked_until)
        .where(User.username == username)
        .first()
    )
    if row is not None and row["locked_until"] is not None:
        left = (_aware(row["locked_until"]) - clock.now()).total_seconds()
        if left > 0:
            if throttle is not None:
                throttle.failed(ip)
            raise LoginRefused("locked", math.ceil(left))
    try:
        _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        if throttle is not None and throttle.failed(ip):
            await audit.record(
                None,
                "auth.throttled",
                "address",
                None,
                {"ip": ip, "failures": throttle.limit, "window_seconds": throttle.window},
                municipality_id=None if row is None else row["municipality"],
            )
        await _failed(row, ip, limits)
        return None
    if row is None or not row["active"]:
        return None
    if row["failed_logins"] or row["locked_until"] is not None:
        await User.update({User.failed_logins: 0, User.locked_until: None}).where(
            User.id == row["id"]
        )
    return _actor(row, ip)


async def unlock(user_id: int) -> bool:
    """Release a locked account and forget its failed sign-ins; True if it was locked."""
    rows = (
        await User.update({User.failed_logins: 0, User.locked_until: None})
        .where((User.id == user_id) & User.locked_until.is_not_null())
        .returning(User.id)
    )
    return bool(rows)


async def open_session(actor: Actor, ttl_seconds: int) -> tuple[str, datetime]:
    token = secrets.token_urlsafe(32)
    expires = clock.now() + timedelta(seconds=ttl_seconds)
    await SessionToken(token_hash=_token_hash(token), user=actor.id, expires_at=expires).save()
    return token, expires


async def close_session(token: str) -> None:
    await SessionToken.delete().where(SessionToken.token_hash == _token_hash(token))
    forget_sessions(token)


#: The session's expiry and its user's columns, read together (one statement a request).
_SESSION_COLUMNS = (
    SessionToken.expires_at,
    SessionToken.user.id,
    SessionToken.user.username,
    SessionToken.user.full_name,
    SessionToken.user.role,
    SessionToken.user.municipality,
    SessionToken.user._.municipality._.slug,
    SessionToken.user.provider,
    SessionToken.user.citizen,
    SessionToken.user.active,
)


#: Sessions this process has read, by token hash: when the copy expires (monotonic
#: time) and the row :func:`actor_for_token` read (see :func:`forget_sessions`).
_kept: dict[str, tuple[float, dict[str, Any]]] = {}
#: At most this many are kept; beyond it the copies are all dropped and read again.
KEPT_MOST = 10_000


def forget_sessions(token: str | None = None) -> None:
    """Drop this process's copy of a session (by its token), or of every session: call
    once a sign-out, or a change to a user's role, activity or password, has committed.
    Other processes read theirs again within ``session_cache_seconds``."""
    if token is None:
        _kept.clear()
    else:
        _kept.pop(_token_hash(token), None)


async def actor_for_token(token: str, ip: str = "", keep_seconds: float = 0.0) -> Actor | None:
    """The active user signed in with this session token, while it has not expired.

    With ``keep_seconds``, a session found is kept in the process for that long (its
    expiry is still checked at every use); one not found, expired or of an inactive user
    is never kept."""
    digest = _token_hash(token)
    kept = _kept.get(digest)
    now = time.monotonic()
    if kept is not None and kept[0] > now:
        row = kept[1]
    else:
        sql = built_once.sql_of(
            "session_user",
            lambda: (
                SessionToken.select(*_SESSION_COLUMNS)
                .where(SessionToken.token_hash == built_once.MARK)
                .first()
            ),
        )
        rows = await built_once.fetch(SessionToken, sql, digest)
        if not rows:
            return None
        row = rows[0]
        if row["expires_at"].tzinfo is None:
            row["expires_at"] = row["expires_at"].replace(tzinfo=UTC)
        if keep_seconds > 0 and row["user.id"] is not None and row["user.active"]:
            if len(_kept) >= KEPT_MOST:
                _kept.clear()
            _kept[digest] = (now + keep_seconds, row)
    if row["expires_at"] < clock.now():
        _kept.pop(digest, None)
        return None
    user = {key.removeprefix("user."): value for key, value in row.items()}
    if user["id"] is None or not user["active"]:
        return None
    return _actor(user, ip)


async def actor_by_id(user_id: int, ip: str = "") -> Actor | None:
    """The active user with this id, as an actor (to sign in an account just made)."""
    user = await User.select(*_USER_COLUMNS).where(User.id == user_id).first()
    if user is None or not user["active"]:
        return None
    return _actor(user, ip)


async def municipality_id_by_slug(slug: str) -> int | None:
    row = await Municipality.select(Municipality.id).where(Municipality.slug == slug).first()
    return None if row is None else int(row["id"])
