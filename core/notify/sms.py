"""SMS through a gateway a plugin registers (the ``register_sms_gateway`` hook).

Ukrainian SMS providers (TurboSMS, Kyivstar's API, e-SMS…) each have their own API, so
the core knows none of them: a plugin wraps one as an :class:`SmsGateway`, and the
deployment names it with the ``sms_gateway`` setting. The built-in ``file`` gateway
writes each message as a line of ``sms_dir/sms.log`` (the embedded default and the
tests), where a person trying the platform reads it.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Protocol, runtime_checkable

from core import clock
from core.config import Settings

#: A Ukrainian mobile number as the outbox stores it.
PHONE = re.compile(r"^\+380\d{9}$")


@runtime_checkable
class SmsGateway(Protocol):
    """What ``register_sms_gateway`` returns: a name for the ``sms_gateway`` setting and
    ``send``, which hands one message to the provider and raises if it is refused (the
    outbox then retries with backoff)."""

    name: str

    async def send(self, phone: str, text: str) -> None: ...


class FileGateway:
    """The built-in gateway: one JSON line per message in ``<sms_dir>/sms.log``."""

    name = "file"

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def _append(self, line: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "sms.log").open("a", encoding="utf-8") as out:
            out.write(line + "\n")

    async def send(self, phone: str, text: str) -> None:
        line = json.dumps(
            {"at": clock.now().isoformat(), "to": phone, "text": text}, ensure_ascii=False
        )
        await asyncio.to_thread(self._append, line)


#: Gateways the plugins registered, by name (filled when the platform starts).
_REGISTERED: dict[str, SmsGateway] = {}


def install(gateways: list[SmsGateway]) -> None:
    """Remember the plugins' gateways (called by the platform at start-up)."""
    _REGISTERED.clear()
    for gateway in gateways:
        _REGISTERED[gateway.name] = gateway


def gateway(settings: Settings) -> SmsGateway:
    """The gateway the deployment chose."""
    if settings.sms_gateway == "file":
        return FileGateway(settings.sms_dir)
    found = _REGISTERED.get(settings.sms_gateway)
    if found is None:
        raise LookupError(
            f"sms_gateway {settings.sms_gateway!r} is not registered by any enabled plugin "
            f"(registered: {', '.join(sorted(_REGISTERED)) or 'none'})"
        )
    return found


def normalise_phone(value: str) -> str | None:
    """``+380XXXXXXXXX`` from what a person typed (spaces, dashes, a leading 0), or None."""
    digits = re.sub(r"[\s\-()]", "", value)
    if digits.startswith("0") and len(digits) == 10:
        digits = "+38" + digits
    elif digits.startswith("380"):
        digits = "+" + digits
    return digits if PHONE.match(digits) else None
