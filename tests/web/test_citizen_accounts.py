"""Citizens' ways into the cabinet: the front office's slip with a one-time code,
self-registration confirmed by e-mail, and a password reset by e-mail; the e-mails go
through a real SMTP server the test starts (aiosmtpd) and the outbox."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import httpx
import msgspec
import pytest
import time_machine
from pypdf import PdfReader

from core import clock
from core.db.tables import AccountCode, Citizen, OutboxMessage, User
from core.notify import outbox
from core.platform import Platform
from tests.mailbox import SITE, Mailbox, body, free_port, link
from tests.web.conftest import form_token, sign_in
from tests.world import World

BORN = date(1956, 3, 14)
SLIP = re.compile(r"\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\b")


def _link(mail: EmailMessage, path: str) -> str:
    return link(mail, SITE, path)


async def _born(citizen_id: int) -> None:
    await Citizen.update({Citizen.birth_date: BORN}).where(Citizen.id == citizen_id)


async def _slip_code(staff: httpx.AsyncClient, citizen_id: int) -> str:
    card = await staff.get(f"/desk/front-office/citizens/{citizen_id}")
    assert card.status_code == 200, card.text
    assert "Видати код доступу (PDF)" in card.text
    slip = await staff.post(
        f"/desk/front-office/citizens/{citizen_id}/cabinet-code",
        data={"_csrf": form_token(card.text)},
    )
    assert slip.status_code == 200, slip.text
    assert slip.headers["content-type"] == "application/pdf"
    assert slip.headers["cache-control"] == "no-store"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(slip.content)).pages)
    assert "ДОСТУП ДО ОСОБИСТОГО КАБІНЕТУ" in text
    found = SLIP.search(text)
    assert found, text
    return found.group(1)


async def _activate(visitor: httpx.AsyncClient, **data: str) -> httpx.Response:
    form = await visitor.get("/cabinet/activate")
    assert form.status_code == 200
    return await visitor.post(
        "/cabinet/activate",
        data={"_csrf": form_token(form.text), "password_repeat": data.get("password", ""), **data},
    )


async def test_a_slip_from_the_front_office_opens_the_cabinet_once(
    world: World, app: Any, visitor: httpx.AsyncClient
) -> None:
    await _born(world.other_citizen_id)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as staff:
        assert (await sign_in(staff, f"{world.slug}.intake")).status_code == 303
        first = await _slip_code(staff, world.other_citizen_id)
        code = await _slip_code(staff, world.other_citizen_id)
        assert code != first

        login = f"koval-{world.slug}"
        # The earlier slip stopped working when the new one was issued.
        refused = await _activate(
            visitor, code=first, birth_date=BORN.isoformat(), username=login, password="Sonce-2026"
        )
        assert refused.status_code == 400
        assert "Код недійсний" in refused.text
        assert 'id="code-error"' in refused.text
        # A wrong birth date is refused the same way, and the code stays usable.
        wrong = await _activate(
            visitor, code=code, birth_date="1957-03-14", username=login, password="Sonce-2026"
        )
        assert wrong.status_code == 400
        assert 'id="code-error"' in wrong.text
        short = await _activate(
            visitor, code=code, birth_date=BORN.isoformat(), username=login, password="short"
        )
        assert short.status_code == 400
        assert 'id="password-error"' in short.text
        taken = await _activate(
            visitor,
            code=code,
            birth_date=BORN.isoformat(),
            username=f"{world.slug}.admin",
            password="Sonce-2026",
        )
        assert taken.status_code == 400
        assert "вже зайняте" in taken.text

        opened = await _activate(
            visitor,
            code=code.lower().replace("-", " "),
            birth_date=BORN.isoformat(),
            username=login,
            password="Sonce-2026",
        )
        assert opened.status_code == 303, opened.text
        assert opened.headers["location"] == "/desk/citizen"
        home = await visitor.get("/desk/citizen")
        assert home.status_code == 200

        # The code was used: a second use is refused.
        again = await _activate(
            visitor,
            code=code,
            birth_date=BORN.isoformat(),
            username=login + "2",
            password="Sonce-2026",
        )
        assert again.status_code == 400
        user = await User.select(User.citizen, User.role).where(User.username == login).first()
        assert user == {"citizen": world.other_citizen_id, "role": "citizen"}

        card = await staff.get(f"/desk/front-office/citizens/{world.other_citizen_id}")
        assert "У людини є кабінет" in card.text
        more = await staff.post(
            f"/desk/front-office/citizens/{world.other_citizen_id}/cabinet-code",
            data={"_csrf": form_token(card.text)},
        )
        assert more.status_code == 409


async def test_self_registration_is_confirmed_by_the_emailed_link(
    world: World, visitor: httpx.AsyncClient, smtp: Mailbox
) -> None:
    address = f"olena.{world.slug}@example.org"
    form = await visitor.get(f"/cabinet/register?municipality={world.slug}")
    assert form.status_code == 200
    data = {
        "_csrf": form_token(form.text),
        "last_name": "Бондар",
        "first_name": "Олена",
        "patronymic": "",
        "birth_date": "1962-08-01",
        "email": address,
        "password": "Kalyna-2026",
        "password_repeat": "Kalyna-2026",
    }
    bad = await visitor.post(
        f"/cabinet/register?municipality={world.slug}", data={**data, "email": "olena"}
    )
    assert bad.status_code == 400
    assert 'id="email-error"' in bad.text

    sent = await visitor.post(f"/cabinet/register?municipality={world.slug}", data=data)
    assert sent.status_code == 200, sent.text
    assert "Перевірте пошту" in sent.text
    await outbox.settle()
    assert len(smtp.mails) == 1
    mail = smtp.mails[0]
    assert mail["To"] == address
    link = _link(mail, "/cabinet/confirm")
    # No account until the link is followed.
    assert not await User.exists().where(User.username == address)

    confirm = await visitor.get(link)
    assert confirm.status_code == 200
    assert "Підтвердити" in confirm.text
    code = link.split("code=")[1]
    opened = await visitor.post(
        "/cabinet/confirm", data={"_csrf": form_token(confirm.text), "code": code}
    )
    assert opened.status_code == 303, opened.text
    user = await User.select(User.citizen, User.municipality).where(User.username == address)
    assert user[0]["municipality"] == world.municipality_id
    person = await Citizen.select().where(Citizen.id == user[0]["citizen"]).first()
    assert person is not None
    assert (person["last_name"], person["email"], person["tax_number"]) == (
        "Бондар",
        address,
        None,
    )
    assert (await visitor.get(link)).status_code == 410

    # Asking again with the same address says so in the e-mail only.
    form = await visitor.get(f"/cabinet/register?municipality={world.slug}")
    again = await visitor.post(
        f"/cabinet/register?municipality={world.slug}",
        data={**data, "_csrf": form_token(form.text)},
    )
    assert again.status_code == 200
    assert "Перевірте пошту" in again.text
    await outbox.settle()
    assert "вже є" in body(smtp.mails[-1])


async def test_password_reset_by_email(
    world: World, visitor: httpx.AsyncClient, smtp: Mailbox
) -> None:
    address = f"oksana.{world.slug}@example.org"
    await Citizen.update({Citizen.email: address}).where(Citizen.id == world.citizen_id)
    form = await visitor.get(f"/password-reset?municipality={world.slug}&lang=en")
    assert "Reset your password" in form.text
    for typed in (f"nobody.{world.slug}@example.org", address):
        asked = await visitor.post(
            f"/password-reset?municipality={world.slug}",
            data={"_csrf": form_token(form.text), "email": typed},
        )
        assert asked.status_code == 200
        assert "If this address is recorded" in asked.text  # the same answer for both
    await outbox.settle()
    assert [m["To"] for m in smtp.mails] == [address]
    link = _link(smtp.mails[0], "/password-reset/new")
    page = await visitor.get(link)
    assert page.status_code == 200
    code = link.split("code=")[1]
    differ = await visitor.post(
        "/password-reset/new",
        data={
            "_csrf": form_token(page.text),
            "code": code,
            "password": "Novyi-parol-1",
            "password_repeat": "Novyi-parol-2",
        },
    )
    assert differ.status_code == 400
    assert 'id="password_repeat-error"' in differ.text
    done = await visitor.post(
        "/password-reset/new",
        data={
            "_csrf": form_token(page.text),
            "code": code,
            "password": "Novyi-parol-1",
            "password_repeat": "Novyi-parol-1",
        },
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/sign-in?reason=password_changed"
    # Every session of the account ended (the world's bearer token too).
    gone = await world.get("citizen", "/api/auth/me")
    assert gone.status_code == 401
    assert (await sign_in(visitor, f"{world.slug}.citizen", "Novyi-parol-1")).status_code == 303
    assert (await visitor.get(link)).status_code == 410


async def test_a_reset_link_expires_after_an_hour(
    world: World, visitor: httpx.AsyncClient, smtp: Mailbox
) -> None:
    address = f"petro.{world.slug}@example.org"
    await Citizen.update({Citizen.email: address}).where(Citizen.id == world.other_citizen_id)
    await User(
        municipality=world.municipality_id,
        username=f"petro-{world.slug}",
        password_hash="x",
        role="citizen",
        citizen=world.other_citizen_id,
    ).save()
    form = await visitor.get(f"/password-reset?municipality={world.slug}")
    await visitor.post(
        f"/password-reset?municipality={world.slug}",
        data={"_csrf": form_token(form.text), "email": address.upper()},
    )
    await outbox.settle()
    assert [m["To"] for m in smtp.mails] == [address.upper()] or [m["To"] for m in smtp.mails] == [
        address
    ]
    link = _link(smtp.mails[0], "/password-reset/new")
    with time_machine.travel(clock.now() + timedelta(minutes=61)):
        assert (await visitor.get(link)).status_code == 410


async def test_outbox_retries_a_refused_message_and_sends_it_once(
    world: World, platform: Platform, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    working = platform.settings
    down = msgspec.structs.replace(working, smtp_port=free_port())
    message = await outbox.enqueue(
        municipality_id=world.municipality_id,
        event="test.retry",
        recipient="retry@example.org",
        subject="Тест",
        body="Тіло листа",
    )
    assert await outbox.deliver_due(down) == 0
    row = await OutboxMessage.select().where(OutboxMessage.id == message).first()
    assert row is not None
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert row["last_error"]
    # Not due again until the backoff has passed, even with the server up.
    assert await outbox.deliver_due(working) == 0
    with time_machine.travel(clock.now() + timedelta(minutes=2)):
        import asyncio

        results = await asyncio.gather(outbox.deliver_due(working), outbox.deliver_due(working))
    assert sum(results) == 1
    assert [m["Subject"] for m in smtp.mails] == ["Тест"]
    row = await OutboxMessage.select().where(OutboxMessage.id == message).first()
    assert row is not None
    assert (row["status"], row["attempts"]) == ("sent", 2)


async def test_account_pages_speak_english(visitor: httpx.AsyncClient) -> None:
    for path, words in (
        ("/cabinet/activate?lang=en", "Code from the slip"),
        ("/cabinet/register?lang=en", "Given name"),
        ("/password-reset?lang=en", "Send the link"),
        ("/cabinet/confirm?lang=en&code=nothing", "The link is not valid"),
    ):
        answer = await visitor.get(path)
        assert words in answer.text, path
    sign_in_page = await visitor.get("/sign-in?lang=en")
    assert "Forgot your password?" in sign_in_page.text


async def test_codes_are_stored_hashed(world: World, app: Any) -> None:
    await _born(world.other_citizen_id)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as staff:
        await sign_in(staff, f"{world.slug}.intake")
        code = await _slip_code(staff, world.other_citizen_id)
    rows = await AccountCode.select(AccountCode.code_hash).where(
        AccountCode.citizen == world.other_citizen_id
    )
    assert rows
    assert all(code.replace("-", "") not in r["code_hash"] for r in rows)
