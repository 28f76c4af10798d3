"""SMS: the ``register_sms_gateway`` hook, the built-in file gateway, and news of a
request by SMS to a citizen who chose it."""

from __future__ import annotations

import msgspec
import pytest

from core.config import Settings
from core.db.tables import OutboxMessage
from core.notify import outbox, sms
from core.platform import Platform
from core.plugins import PluginError, PluginHost
from tests.unit.test_hooks import fake
from tests.world import World


class Collector:
    name = "test-sms"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))


async def test_hook_register_sms_gateway(platform: Platform, world: World) -> None:
    collector = Collector()
    host = PluginHost(["fake"], [fake(register_sms_gateway=lambda: collector)])
    settings = Settings(database_url=platform.settings.database_url, sms_gateway="test-sms")
    try:
        Platform(settings, host)
        assert sms.gateway(settings) is collector
        message = await outbox.enqueue(
            municipality_id=world.municipality_id,
            event="test.sms",
            channel="sms",
            recipient="+380671234567",
            subject="",
            body="Тест [[site]]/x",
        )
        assert await outbox.deliver_due(settings) >= 1
        assert ("+380671234567", f"Тест {settings.public_url}/x") in collector.sent
        row = await OutboxMessage.select(OutboxMessage.status).where(OutboxMessage.id == message)
        assert row[0]["status"] == "sent"
        unknown = msgspec.structs.replace(settings, sms_gateway="nobody")
        with pytest.raises(LookupError, match="'nobody' is not registered"):
            sms.gateway(unknown)
        wrong = PluginHost(["fake"], [fake(register_sms_gateway=lambda: object())])
        with pytest.raises(PluginError, match="must return an object with a name"):
            wrong.sms_gateways()
    finally:
        sms.install([])


def test_phone_numbers_as_people_type_them() -> None:
    assert sms.normalise_phone("067 123 45 67") == "+380671234567"
    assert sms.normalise_phone("+38 (067) 123-45-67") == "+380671234567"
    assert sms.normalise_phone("380671234567") == "+380671234567"
    assert sms.normalise_phone("12345") is None
