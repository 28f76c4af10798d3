"""The small parts of the pages: texts in both languages, formats, the vendored htmx."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal

import httpx

from core.api.app import WEB
from core.schemas import ROLES
from core.web import texts
from core.web.formats import day, money
from core.web.menus import HOMES


def test_both_languages_say_everything() -> None:
    for table in (
        texts.TEXTS,
        texts.ROLE_LABELS,
        texts.REQUEST_STATUS,
        texts.INVOICE_STATUS,
        texts.CONTRACT_STATUS,
    ):
        assert set(table) == {"uk", "en"}
        assert set(table["uk"]) == set(table["en"])
    assert set(texts.ROLE_LABELS["uk"]) == set(ROLES) == set(HOMES)
    for role in ROLES:
        assert f"home_{role}" in texts.TEXTS["uk"]


def test_a_bilingual_message_is_split_by_language() -> None:
    message = "послугу не знайдено / service not found"
    assert texts.pick(message, "uk") == "послугу не знайдено"
    assert texts.pick(message, "en") == "service not found"
    assert texts.pick("Not Found", "uk") == "Not Found"


def test_money_and_dates_read_as_each_language_writes_them() -> None:
    assert money(Decimal("1234.5"), "uk") == "1\u00a0234,50\u00a0грн"
    assert money(Decimal("1234.5"), "en") == "UAH\u00a01,234.50"
    assert day(date(2026, 12, 31), "uk") == "31.12.2026"
    assert day(date(2026, 12, 31), "en") == "2026-12-31"


async def test_htmx_is_served_by_hromada_as_vendored(visitor: httpx.AsyncClient) -> None:
    static = WEB / "static"
    note = (static / "htmx.LICENSE.txt").read_text(encoding="utf-8")
    found = re.search(r"SHA-256: ([0-9a-f]{64})", note)
    assert found
    assert "Zero-Clause BSD" in note
    body = (static / "htmx.min.js").read_bytes()
    assert hashlib.sha256(body).hexdigest() == found.group(1)
    r = await visitor.get("/static/htmx.min.js")
    assert r.status_code == 200
    assert r.content == body
    assert "javascript" in r.headers["content-type"]
