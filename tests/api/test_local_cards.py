"""A municipality's local card through the API: its admin sets contacts, an extra
document, a shorter term, a fee and the council's decision; every save is a version with
who and when, audited; the catalogue (with a new ETag), the due date of a new request and
the HSDS export show the local card, another municipality keeps the plugin's; bad input
is a 400 naming the field."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import httpx
import msgspec
import pytest

from core import clock
from core.db.cards import LocalCard
from core.hsds.mapping import uid
from core.local_card import LocalPart
from core.platform import Platform
from core.workflow.calendar import add_term, next_working_day
from tests.funeral import funeral_form
from tests.world import World, make_world

CODE = "funeral_aid.lump_sum"
URL = f"/api/local-cards/{CODE}"

LOCAL: dict[str, Any] = {
    "contacts": {
        "office": {
            "uk": "Управління соцзахисту, каб. 12",
            "en": "Social protection department, room 12",
        },
        "phone": "+380 332 24 00 12",
        "email": "soczahyst@kovel.example.org",
        "web": "https://kovel.example.org/pokhovannia",
    },
    "extra_documents": [
        {
            "name": {"uk": "Довідка старости", "en": "Certificate of the starosta"},
            "form": "original",
            "note": {"uk": "для сіл громади", "en": "for the hromada's villages"},
        }
    ],
    "term_days": 5,
    "fee": "25.00",
    "decision": {
        "text": {
            "uk": "Рішення виконкому про порядок виплати допомоги на поховання",
            "en": "Executive committee decision on paying funeral aid",
        },
        "number": "115",
        "adopted_on": "2026-03-12",
    },
}


def _card(cards: list[dict[str, Any]]) -> dict[str, Any]:
    return next(c for c in cards if c["code"] == CODE)


@pytest.mark.world_plugins("funeral_aid")
async def test_the_admin_sets_a_local_card_the_catalogue_shows_it(
    world: World, platform: Platform, client: httpx.AsyncClient
) -> None:
    other = await make_world(platform, client, plugins=["funeral_aid"])
    params = {"municipality": world.slug}
    before = await world.get(None, "/api/services", params=params)
    plugin_card = _card(before.json())
    assert plugin_card["contacts"] is None
    assert plugin_card["local_decision"] is None

    empty = await world.get("admin", URL)
    assert empty.status_code == 200, empty.text
    assert empty.json()["history"] == []
    assert empty.json()["local_term"] == "shorter"
    assert empty.json()["card_term_days"] == 10

    saved = await world.put("admin", URL, LOCAL)
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert body["in_force"]["term_days"] == 5
    assert [v["set_by"] for v in body["history"]] == ["admin user"]

    after = await world.client.get(
        "/api/services", params=params, headers={"If-None-Match": before.headers["etag"]}
    )
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    card = _card(after.json())
    assert card["term_days"] == 5
    assert card["term_kind"] == "working"
    assert card["fee"] == "25.00"
    assert card["free"] is False
    assert card["documents"][:-1] == plugin_card["documents"]
    assert card["documents"][-1] == {
        "name": "Довідка старости",
        "form": "original",
        "note": "для сіл громади",
        "local": True,
    }
    assert card["contacts"] == {
        "office": "Управління соцзахисту, каб. 12",
        "phone": "+380 332 24 00 12",
        "email": "soczahyst@kovel.example.org",
        "web": "https://kovel.example.org/pokhovannia",
    }
    assert card["local_decision"] == {
        "text": "Рішення виконкому про порядок виплати допомоги на поховання",
        "number": "115",
        "adopted_on": "2026-03-12",
    }
    one = await world.get(None, f"/api/services/{CODE}", params={**params, "lang": "en"})
    assert one.json()["contacts"]["office"] == "Social protection department, room 12"
    assert one.json()["documents"][-1]["name"] == "Certificate of the starosta"

    elsewhere = await world.get(None, "/api/services", params={"municipality": other.slug})
    assert _card(elsewhere.json()) == plugin_card
    assert (await other.get("admin", URL)).json()["history"] == []

    # A request received now is due in the local term.
    r = await world.post(
        "intake",
        "/api/requests",
        {"service_code": CODE, "citizen_id": world.citizen_id, "form": funeral_form()},
    )
    assert r.status_code == 201, r.text
    received = date.fromisoformat(r.json()["received_on"])
    assert r.json()["due_date"] == add_term(received, 5, "working").isoformat()
    assert received == next_working_day(received)


@pytest.mark.world_plugins("funeral_aid")
async def test_every_save_is_a_version_and_an_empty_one_restores_the_plugins_card(
    world: World,
) -> None:
    params = {"municipality": world.slug}
    plugin_card = _card((await world.get(None, "/api/services", params=params)).json())
    assert (await world.put("admin", URL, LOCAL)).status_code == 200
    second = await world.put("admin", URL, {"fee": "0", "term_days": 7})
    assert second.status_code == 200, second.text
    history = second.json()["history"]
    assert len(history) == 2
    assert history[0]["part"]["fee"] == "0"
    assert history[1]["part"]["fee"] == "25.00"
    assert history[1]["part"]["contacts"]["phone"] == "+380 332 24 00 12"
    assert history[0]["id"] > history[1]["id"]

    card = _card((await world.get(None, "/api/services", params=params)).json())
    assert card["free"] is True
    assert card["fee"] is None
    assert card["term_days"] == 7
    assert card["contacts"] is None
    assert card["documents"] == plugin_card["documents"]

    restored = await world.put("admin", URL, {})
    assert restored.status_code == 200
    assert len(restored.json()["history"]) == 3
    assert _card((await world.get(None, "/api/services", params=params)).json()) == plugin_card

    audit = await world.get("admin", "/api/audit", params={"action": "local_card.save"})
    rows = audit.json()["items"]
    assert [r["details"]["parts"] for r in rows] == [
        [],
        ["term_days", "fee"],
        ["contacts", "extra_documents", "term_days", "fee", "decision"],
    ]
    assert {r["details"]["service_code"] for r in rows} == {CODE}
    assert {r["actor_role"] for r in rows} == {"admin"}


BAD: list[tuple[dict[str, Any], str]] = [
    ({"term_days": 11}, "term_days"),
    ({"term_days": 0}, "term_days"),
    ({"fee": "-1.00"}, "fee"),
    ({"fee": "1.005"}, "fee"),
    ({"contacts": {"email": "not an address"}}, "contacts.email"),
    ({"contacts": {"phone": "call us"}}, "contacts.phone"),
    ({"contacts": {"web": "kovel.example.org"}}, "contacts.web"),
    ({"contacts": {"office": {"uk": "  ", "en": "Room 1"}}}, "contacts.office.uk"),
    (
        {"extra_documents": [{"name": {"uk": "Заява", "en": "Application"}}]},
        "extra_documents[0].name",
    ),
    (
        {"extra_documents": [{"name": {"uk": "Довідка", "en": " "}}]},
        "extra_documents[0].name.en",
    ),
    (
        {
            "decision": {
                "text": {"uk": "Рішення", "en": "Decision"},
                "number": " ",
                "adopted_on": "2026-01-01",
            }
        },
        "decision.number",
    ),
    ({"decision": {"text": {"uk": "Рішення", "en": "Decision"}, "number": "1"}}, "decision"),
    ({"fees": "1.00"}, "fees"),
]


@pytest.mark.world_plugins("funeral_aid")
@pytest.mark.parametrize(("body", "field"), BAD)
async def test_bad_input_is_a_400_naming_the_field(
    world: World, body: dict[str, Any], field: str
) -> None:
    r = await world.put("admin", URL, body)
    assert r.status_code in (400, 422), r.text
    named = [f"{e.get('key')} {e.get('message')}" for e in r.json().get("extra", [])]
    assert any(field in n for n in named), r.text
    assert (await world.get("admin", URL)).json()["history"] == []


@pytest.mark.world_plugins("subsidies", "funeral_aid")
async def test_the_law_sets_some_terms_and_unknown_services_are_404(world: World) -> None:
    fixed = await world.put("admin", "/api/local-cards/subsidies.housing", {"term_days": 5})
    assert fixed.status_code == 400
    assert fixed.json()["extra"][0]["key"] == "term_days"
    assert "the law sets this service's term" in fixed.json()["extra"][0]["message"]
    same = await world.put("admin", "/api/local-cards/subsidies.housing", {"term_days": 10})
    assert same.status_code == 200, same.text
    longer = await world.put("admin", URL, {"term_days": 12})
    assert "may only shorten the term: 10 days at most" in longer.json()["extra"][0]["message"]
    for code in ("homeless.night_stay", "no.such"):  # not enabled here, not installed
        r = await world.put("admin", f"/api/local-cards/{code}", {"fee": "1.00"})
        assert r.status_code == 404
        assert (await world.get("admin", f"/api/local-cards/{code}")).status_code == 404


@pytest.mark.world_plugins("funeral_aid")
async def test_the_hsds_export_shows_the_local_card(world: World) -> None:
    assert (await world.put("admin", URL, LOCAL)).status_code == 200
    sid = uid(world.slug, "service", CODE)
    r = await world.get(None, f"/api/hsds/{world.slug}/services/{sid}")
    assert r.status_code == 200, r.text
    service = r.json()
    assert service["wait_time"] == "до 5 робочих днів"
    assert service["fees_description"] == "25.00 грн"
    assert service["cost_options"][0]["amount"] == 25.0
    assert service["email"] == "soczahyst@kovel.example.org"
    assert service["url"] == "https://kovel.example.org/pokhovannia"
    assert service["required_documents"][-1]["document"] == (
        "Довідка старости (оригінал). для сіл громади"
    )
    assert [p["number"] for p in service["phones"]] == ["+380 332 24 00 12"]
    contact = service["contacts"][0]
    assert contact["department"] == "Управління соцзахисту, каб. 12"
    assert contact["email"] == "soczahyst@kovel.example.org"
    english = await world.get(None, f"/api/hsds/{world.slug}/services/{sid}", params={"lang": "en"})
    assert english.json()["contacts"][0]["department"] == "Social protection department, room 12"


@pytest.mark.world_plugins("funeral_aid")
async def test_another_processs_local_card_is_seen_within_cache_seconds(
    world: World, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        platform, "settings", msgspec.structs.replace(platform.settings, cache_seconds=0.5)
    )
    platform.forget()
    params = {"municipality": world.slug}
    seen = await world.get(None, "/api/services", params=params)
    # Another process saves a local card: this one's copy is kept, not read again...
    await LocalCard(
        municipality=world.municipality_id,
        service_code=CODE,
        part=msgspec.json.encode(LocalPart(term_days=3)).decode(),
        set_at=clock.now(),
    ).save()
    kept = await world.get(None, "/api/services", params=params)
    assert kept.headers["etag"] == seen.headers["etag"]
    # ...until its time is up; then the same versions give the same ETag again.
    await asyncio.sleep(0.6)
    fresh = await world.get(None, "/api/services", params=params)
    assert _card(fresh.json())["term_days"] == 3
    assert fresh.headers["etag"] != seen.headers["etag"]
    await asyncio.sleep(0.6)
    again = await world.get(None, "/api/services", params=params)
    assert again.headers["etag"] == fresh.headers["etag"]
