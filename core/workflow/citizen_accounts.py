"""Citizens' own accounts for the cabinet, three ways in:

- **an activation code** handed over at the front office (:func:`issue_activation_code`,
  printed on a slip): the citizen types it with their birth date, chooses a user name and
  a password (:func:`activate`); the account belongs to the record the office verified;
- **self-registration** (:func:`register`): name, birth date, e-mail and password; a link
  is e-mailed and the account exists only once it is followed (:func:`confirm`). The new
  record is the person's own word, never matched to an existing one (that would let
  anyone claim a stranger's file); the front office links documents at the first visit;
- **a password reset** by e-mail (:func:`request_reset`, :func:`reset`) for an account
  whose record has that address.

Codes are random (60 bits for the slip, 256 for links), stored only as SHA-256, used once,
and expire. Asking to register or reset answers the same whether or not the address is
known; what differs goes into the e-mail, which only the address's owner reads.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from core import clock
from core.actor import Actor
from core.config import Settings
from core.db.engine import write_transaction
from core.db.tables import AccountCode, Citizen, SessionToken, User
from core.errors import Conflict, Invalid, NotFound
from core.notify import outbox
from core.workflow import audit, users
from core.workflow.account_mail import confirm_mail, known_address_mail, reset_mail
from core.workflow.citizens import search_name

ACTIVATE_DAYS = 30
CONFIRM_HOURS = 48
RESET_MINUTES = 60
#: The slip's alphabet: no 0/O, 1/I/L, so a code read aloud or typed from paper survives.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SLIP_LENGTH = 12
MIN_PASSWORD = 8
MAX_USERNAME = 64


class CodeRefused(Invalid):
    """The code is unknown, used, expired, or (for a slip) the birth date differs."""

    def __init__(self, field: str = "code") -> None:
        super().__init__(
            "код недійсний або прострочений / the code is not valid or has expired", field
        )


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def normalise_slip(code: str) -> str:
    """What the citizen typed, without spaces and dashes, in capitals."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def show_slip(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def check_password(password: str, repeat: str | None = None) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(
            f"пароль щонайменше {MIN_PASSWORD} символів / at least {MIN_PASSWORD} characters",
            "password",
        )
    if len(password) > 1024:
        raise Invalid("пароль задовгий / the password is too long", "password")
    if repeat is not None and repeat != password:
        raise Invalid("паролі не збігаються / the passwords differ", "password_repeat")


def check_username(username: str) -> None:
    if not username:
        raise Invalid("вкажіть ім'я користувача / enter a user name", "username")
    if len(username) > MAX_USERNAME or any(ch.isspace() for ch in username):
        raise Invalid(
            f"до {MAX_USERNAME} символів без пробілів / up to {MAX_USERNAME} characters, no spaces",
            "username",
        )


def check_email(value: str) -> str:
    address = value.strip()
    local, _, domain = address.rpartition("@")
    if not local or "." not in domain or any(ch.isspace() for ch in address):
        raise Invalid("вкажіть адресу e-mail / enter an e-mail address", "email")
    if len(address) > MAX_USERNAME:
        raise Invalid(
            f"адреса довша за {MAX_USERNAME} символів / longer than {MAX_USERNAME}", "email"
        )
    return address


async def _new_code(
    *,
    municipality_id: int,
    purpose: str,
    code: str,
    expires_at: datetime,
    citizen_id: int | None = None,
    user_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    await AccountCode(
        municipality=municipality_id,
        purpose=purpose,
        code_hash=_hash(code),
        citizen=citizen_id,
        user=user_id,
        payload=payload or {},
        expires_at=expires_at,
        created_at=clock.now(),
    ).save()


async def _take(purpose: str, code: str) -> dict[str, Any]:
    """The live code row for ``code``, marked used (inside the caller's transaction)."""
    now = clock.now()
    used = (
        await AccountCode.update({AccountCode.used_at: now})
        .where(
            (AccountCode.code_hash == _hash(code))
            & (AccountCode.purpose == purpose)
            & AccountCode.used_at.is_null()
            & (AccountCode.expires_at > now)
        )
        .returning(
            AccountCode.id,
            AccountCode.municipality,
            AccountCode.citizen,
            AccountCode.user,
            AccountCode.payload,
        )
    )
    if not used:
        raise CodeRefused()
    row: dict[str, Any] = used[0]
    payload = row["payload"]
    if isinstance(payload, str):
        row["payload"] = json.loads(payload or "{}")
    return row


async def has_account(citizen_id: int) -> bool:
    return bool(await User.exists().where(User.citizen == citizen_id))


async def issue_activation_code(actor: Actor, citizen_id: int) -> str:
    """A new slip code for a citizen without an account; earlier unused slips stop
    working. Staff of the citizen's municipality only (the route checks the role)."""
    row = (
        await Citizen.select(Citizen.id)
        .where((Citizen.id == citizen_id) & (Citizen.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound("громадянина не знайдено / citizen not found", "citizen_id")
    if await has_account(citizen_id):
        raise Conflict("у людини вже є кабінет / the person already has an account", "citizen_id")
    code = "".join(secrets.choice(ALPHABET) for _ in range(SLIP_LENGTH))
    async with write_transaction():
        await AccountCode.update({AccountCode.used_at: clock.now()}).where(
            (AccountCode.citizen == citizen_id)
            & (AccountCode.purpose == "activate")
            & AccountCode.used_at.is_null()
        )
        await _new_code(
            municipality_id=actor.municipality_id,
            purpose="activate",
            code=code,
            citizen_id=citizen_id,
            expires_at=clock.now() + timedelta(days=ACTIVATE_DAYS),
        )
        await audit.record(
            actor, "citizen.activation_code", "citizen", citizen_id, {"citizen_ids": [citizen_id]}
        )
    return code


async def activate(
    code: str, birth_date: date | None, username: str, password: str, repeat: str
) -> int:
    """Open the account of the slip's citizen; returns the new user's id."""
    slip = normalise_slip(code)
    if len(slip) != SLIP_LENGTH:
        raise CodeRefused()
    check_username(username)
    check_password(password, repeat)
    if birth_date is None:
        raise Invalid("вкажіть дату народження / enter your birth date", "birth_date")
    async with write_transaction():
        row = await _take("activate", slip)
        person = (
            await Citizen.select(Citizen.birth_date).where(Citizen.id == row["citizen"]).first()
        )
        if person is None or person["birth_date"] != birth_date:
            raise CodeRefused()
        if await has_account(row["citizen"]):
            raise Conflict("кабінет уже відкрито / the account exists already", "code")
        user_id = await users.create_user(
            municipality_id=row["municipality"],
            username=username,
            password=password,
            role="citizen",
            citizen_id=row["citizen"],
        )
        await audit.record(
            None,
            "account.activate",
            "user",
            user_id,
            {"citizen_ids": [row["citizen"]]},
            municipality_id=row["municipality"],
        )
    return user_id


async def register(
    settings: Settings,
    *,
    municipality_id: int,
    last_name: str,
    first_name: str,
    patronymic: str,
    birth_date: date,
    email: str,
    password: str,
    repeat: str,
    lang: str,
) -> None:
    """Ask for an account: e-mail a confirmation link (or, when the address already has
    an account, a note saying so with the reset link)."""
    address = check_email(email)
    check_password(password, repeat)
    for field, value in (("last_name", last_name), ("first_name", first_name)):
        if not value.strip() or len(value) > 128:
            raise Invalid("вкажіть до 128 символів / up to 128 characters", field)
    if len(patronymic) > 128:
        raise Invalid("до 128 символів / up to 128 characters", "patronymic")
    code = secrets.token_urlsafe(32)
    async with write_transaction():
        if await User.exists().where(User.username == address):
            subject, body = known_address_mail(settings, lang)
        else:
            await _new_code(
                municipality_id=municipality_id,
                purpose="confirm",
                code=code,
                expires_at=clock.now() + timedelta(hours=CONFIRM_HOURS),
                payload={
                    "last_name": last_name.strip(),
                    "first_name": first_name.strip(),
                    "patronymic": patronymic.strip(),
                    "birth_date": birth_date.isoformat(),
                    "email": address,
                    "password_hash": users.hash_password(password),
                },
            )
            subject, body = confirm_mail(settings, lang, code)
        await outbox.enqueue(
            municipality_id=municipality_id,
            event="account.confirm",
            recipient=address,
            subject=subject,
            body=body,
        )


async def confirm(code: str) -> int:
    """Make the account a confirmation link was sent for; returns the user's id."""
    async with write_transaction():
        row = await _take("confirm", code)
        data = row["payload"]
        if await User.exists().where(User.username == data["email"]):
            raise Conflict("кабінет уже відкрито / the account exists already", "code")
        person = Citizen(
            municipality=row["municipality"],
            last_name=data["last_name"],
            first_name=data["first_name"],
            patronymic=data["patronymic"],
            search_name=search_name(data["last_name"], data["first_name"], data["patronymic"]),
            birth_date=date.fromisoformat(data["birth_date"]),
            email=data["email"],
        )
        await person.save()
        user = User(
            municipality=row["municipality"],
            username=data["email"],
            password_hash=data["password_hash"],
            role="citizen",
            full_name=" ".join(
                part for part in (data["last_name"], data["first_name"], data["patronymic"]) if part
            ),
            citizen=person.id,
        )
        await user.save()
        await audit.record(
            None,
            "account.register",
            "user",
            int(user.id),
            {"citizen_ids": [int(person.id)], "self_registered": True},
            municipality_id=row["municipality"],
        )
    return int(user.id)


async def request_reset(settings: Settings, *, municipality_id: int, email: str, lang: str) -> None:
    """E-mail a reset link to each citizen account of the municipality whose record has
    this address; nothing is said of whether there is one."""
    address = check_email(email)
    accounts = await User.select(User.id, User.username).where(
        (User.municipality == municipality_id)
        & (User.role == "citizen")
        & (User.active == True)  # noqa: E712
        & ((User.citizen.email == address) | (User.citizen.email == address.lower()))
    )
    async with write_transaction():
        for account in accounts:
            code = secrets.token_urlsafe(32)
            await _new_code(
                municipality_id=municipality_id,
                purpose="reset",
                code=code,
                user_id=account["id"],
                expires_at=clock.now() + timedelta(minutes=RESET_MINUTES),
            )
            subject, body = reset_mail(settings, lang, code, account["username"])
            await outbox.enqueue(
                municipality_id=municipality_id,
                event="account.reset",
                recipient=address,
                subject=subject,
                body=body,
            )


async def reset(code: str, password: str, repeat: str) -> int:
    """Set a new password from a reset link: every session of the account ends and a lock
    is lifted. Returns the user's id."""
    check_password(password, repeat)
    async with write_transaction():
        row = await _take("reset", code)
        user_id = int(row["user"])
        await User.update(
            {
                User.password_hash: users.hash_password(password),
                User.failed_logins: 0,
                User.locked_until: None,
            }
        ).where(User.id == user_id)
        await SessionToken.delete().where(SessionToken.user == user_id)
        await audit.record(
            None, "account.reset", "user", user_id, municipality_id=row["municipality"]
        )
    users.forget_sessions()  # this process's copies; the others' within session_cache_seconds
    return user_id


async def code_is_live(purpose: str, code: str) -> bool:
    """Whether a link's code can still be used (to show its form or say it has expired)."""
    return bool(
        await AccountCode.exists().where(
            (AccountCode.code_hash == _hash(code))
            & (AccountCode.purpose == purpose)
            & AccountCode.used_at.is_null()
            & (AccountCode.expires_at > clock.now())
        )
    )
