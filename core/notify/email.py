"""E-mail over SMTP (aiosmtplib), or, with no SMTP server configured, as ``.eml`` files.

The embedded default (``make run``) has no mail server: each message is written into
``mail_dir`` (``var/mail``), where a person trying the platform reads the links it
carries. A deployment names its server with ``smtp_host`` and friends (see
docs/configuration.md).
"""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import aiosmtplib

from core.config import Settings


def message(settings: Settings, *, to: str, subject: str, body: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = settings.mail_from
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = formatdate(usegmt=True)
    mail["Message-ID"] = make_msgid(domain="hromada.local")
    mail.set_content(body)
    return mail


def _write(folder: Path, name: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / f".{name}.part"
    part.write_bytes(data)
    part.replace(folder / name)


async def send(settings: Settings, mail: EmailMessage, *, name: str) -> None:
    """Hand one message to the SMTP server (raises on refusal or a network error), or
    write it as ``<name>.eml`` when no server is configured."""
    if not settings.smtp_host:
        await asyncio.to_thread(_write, Path(settings.mail_dir), f"{name}.eml", bytes(mail))
        return
    await aiosmtplib.send(
        mail,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username or None,
        password=settings.smtp_password or None,
        start_tls=settings.smtp_security == "starttls",
        use_tls=settings.smtp_security == "tls",
        timeout=30,
    )
