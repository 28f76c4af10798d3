"""Accounts' identities at other sign-in providers (OpenID Connect issuer and subject),
for the plugins that add a way to sign in (``register_sign_in``)."""

from __future__ import annotations

from core import clock
from core.actor import Actor
from core.db.tables import User, UserIdentity
from core.errors import Conflict, NotFound
from core.workflow import audit, users


async def user_for(issuer: str, subject: str, ip: str = "") -> Actor | None:
    """The active account linked to this identity, or None."""
    row = (
        await UserIdentity.select(UserIdentity.user)
        .where((UserIdentity.issuer == issuer) & (UserIdentity.subject == subject))
        .first()
    )
    return None if row is None else await users.actor_by_id(int(row["user"]), ip)


async def link(user_id: int, issuer: str, subject: str) -> None:
    """Link an identity to an account (each identity to one account only)."""
    if not issuer or not subject:
        raise NotFound("особу не встановлено / no identity", "subject")
    user = await User.select(User.municipality).where(User.id == user_id).first()
    if user is None:
        raise NotFound("користувача не знайдено / user not found", "user_id")
    if await UserIdentity.exists().where(
        (UserIdentity.issuer == issuer) & (UserIdentity.subject == subject)
    ):
        raise Conflict("особу вже пов'язано / the identity is linked already", "subject")
    await UserIdentity(user=user_id, issuer=issuer, subject=subject, linked_at=clock.now()).save()
    await audit.record(
        None,
        "user.identity_link",
        "user",
        user_id,
        {"issuer": issuer},
        municipality_id=user["municipality"],
    )
