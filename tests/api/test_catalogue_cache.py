"""The catalogue's caches: an ETag a client revalidates with, a process that keeps a
municipality's enabled plugins for ``cache_seconds`` and forgets them at once when its
admin changes them."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import msgspec
import pytest
from litestar import Litestar, Response, get

from core.db.tables import Municipality
from core.platform import Platform
from tests.api.test_statement_count import counted
from tests.world import World


@pytest.mark.world_plugins("funeral_aid")
async def test_the_catalogue_answers_304_to_a_client_that_has_it(world: World) -> None:
    params = {"municipality": world.slug}
    first = await world.get(None, "/api/services", params=params)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    assert "Accept-Language" in first.headers["vary"]

    again = await world.client.get("/api/services", params=params, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag

    english = await world.client.get(
        "/api/services", params={**params, "lang": "en"}, headers={"If-None-Match": etag}
    )
    assert english.status_code == 200
    assert english.headers["etag"] != etag
    assert english.json()[0]["title"] == "Funeral aid"

    stale = await world.client.get(
        "/api/services", params=params, headers={"If-None-Match": '"0123", W/' + etag}
    )
    assert stale.status_code == 304

    signed_in = await world.get("caseworker", "/api/services")
    assert signed_in.headers["cache-control"] == "private, max-age=60"


@pytest.mark.world_plugins("funeral_aid")
async def test_an_admins_change_is_seen_at_once_and_the_etag_changes(world: World) -> None:
    params = {"municipality": world.slug}
    before = await world.get(None, "/api/services", params=params)
    assert [c["code"] for c in before.json()] == ["funeral_aid.lump_sum"]

    changed = await world.client.put(
        "/api/plugins/enabled",
        json={"plugins": ["funeral_aid", "homeless"]},
        headers={"Authorization": f"Bearer {world.tokens['admin']}"},
    )
    assert changed.status_code == 200, changed.text

    after = await world.client.get(
        "/api/services", params=params, headers={"If-None-Match": before.headers["etag"]}
    )
    assert after.status_code == 200
    assert "homeless.night_stay" in [c["code"] for c in after.json()]
    assert after.headers["etag"] != before.headers["etag"]


@pytest.mark.world_plugins("funeral_aid")
async def test_another_processs_change_is_seen_within_cache_seconds(
    world: World, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        platform, "settings", msgspec.structs.replace(platform.settings, cache_seconds=0.5)
    )
    platform.forget()
    params = {"municipality": world.slug}
    seen = await world.get(None, "/api/services", params=params)
    assert [c["code"] for c in seen.json()] == ["funeral_aid.lump_sum"]
    # Another process enables a plugin: this one's copy is kept, not read again...
    await Municipality.update({Municipality.enabled_plugins: '["funeral_aid", "homeless"]'}).where(
        Municipality.id == world.municipality_id
    )
    kept = await world.get(None, "/api/services", params=params)
    assert kept.headers["etag"] == seen.headers["etag"]
    # ...until its time is up.
    await asyncio.sleep(0.6)
    fresh = await world.get(None, "/api/services", params=params)
    assert "homeless.night_stay" in [c["code"] for c in fresh.json()]


@pytest.mark.world_plugins("funeral_aid")
async def test_the_catalogue_page_is_kept_revalidated_and_follows_changes(world: World) -> None:
    params = {"municipality": world.slug}
    first = await world.client.get("/", params=params)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/html")
    assert "Допомога на поховання" in first.text
    etag = first.headers["etag"]
    again = await world.client.get("/", params=params, headers={"If-None-Match": etag})
    assert again.status_code == 304
    english = await world.client.get("/", params={**params, "lang": "en"})
    assert "Funeral aid" in english.text
    assert english.headers["etag"] != etag

    changed = await world.client.put(
        "/api/plugins/enabled",
        json={"plugins": ["funeral_aid", "homeless"]},
        headers={"Authorization": f"Bearer {world.tokens['admin']}"},
    )
    assert changed.status_code == 200, changed.text
    after = await world.client.get("/", params=params, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.headers["etag"] != etag
    assert "homeless.night_stay" in after.text


@pytest.mark.world_plugins("funeral_aid")
async def test_an_expired_copy_is_read_again_once_under_load(
    world: World, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the kept copy expires while many requests come, one reads it again and the
    others take the copy kept meanwhile (not 32 reads at once every ``cache_seconds``)."""
    monkeypatch.setattr(
        platform, "settings", msgspec.structs.replace(platform.settings, cache_seconds=60)
    )
    platform.forget()
    params = {"municipality": world.slug}
    assert (await world.get(None, "/api/services", params=params)).status_code == 200
    for key, (_, row) in list(platform._rows.items()):  # every copy expires now
        platform._rows[key] = (0.0, row)
    for municipality_id, (_, local) in list(platform._local.items()):
        platform._local[municipality_id] = (0.0, local)
    with counted(monkeypatch) as seen:
        answers = await asyncio.gather(
            *(world.get(None, "/api/services", params=params) for _ in range(20))
        )
    assert {a.status_code for a in answers} == {200}
    assert len({a.headers["etag"] for a in answers}) == 1
    # Each copy (the row by slug, by id, the local cards) is read once, not 20 times.
    reads = [s for s in seen if 'FROM "municipality"' in s or 'FROM "local_card"' in s]
    assert len(reads) == len(set(reads)) <= 3, "\n".join(reads)
    assert any('FROM "local_card"' in s for s in reads)


@pytest.mark.world_plugins("funeral_aid")
async def test_the_catalogue_page_names_its_charset_once(world: World) -> None:
    page = await world.client.get("/", params={"municipality": world.slug})
    assert page.headers["content-type"] == "text/html; charset=utf-8"


async def test_a_kept_answer_is_the_one_litestar_would_make(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The catalogue's answers are made once and sent as they are (core.api.kept_answer):
    the same status, headers and body as Litestar's own response of the same content,
    the security headers added to them, a 304 without a body or its length."""
    from core.api.kept_answer import Ready

    sent: list[int] = []
    send_ready = Ready.__call__

    async def counting(self: Ready, scope: Any, receive: Any, send: Any) -> None:
        sent.append(id(self))
        await send_ready(self, scope, receive, send)

    monkeypatch.setattr(Ready, "__call__", counting)
    params = {"municipality": world.slug}
    for _ in range(2):
        await world.client.get("/", params=params, headers={"Accept": "text/html"})
    assert len(sent) == 2
    assert sent[0] == sent[1]
    page = await world.client.get("/", params=params, headers={"Accept": "text/html"})
    cards = await world.client.get("/api/services", params=params)
    for answer, media_type in ((page, "text/html"), (cards, "application/json")):
        assert answer.status_code == 200
        kept = {k: v for k, v in answer.headers.items() if k in _CONTENT}

        own_headers = {k: answer.headers[k] for k in ("etag", "cache-control", "vary")}
        own = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=_plain(answer.content, media_type, own_headers)),
            base_url="http://x",
        )
        async with own:
            made = await own.get("/")
        assert made.content == answer.content
        assert kept == {k: v for k, v in made.headers.items() if k in _CONTENT}
        assert "content-security-policy" in answer.headers
        etag = answer.headers["etag"]
        path = "/" if media_type == "text/html" else "/api/services"
        again = await world.client.get(
            path, params=params, headers={"Accept": media_type, "If-None-Match": etag}
        )
        assert again.status_code == 304
        assert again.content == b""
        assert "content-length" not in again.headers
        assert "content-type" not in again.headers
        assert again.headers["etag"] == etag


def _plain(body: bytes, media_type: str, headers: dict[str, str]) -> Any:
    """Litestar's own answer of ``body``."""

    @get("/", sync_to_thread=False)
    def plain() -> Response[bytes]:
        return Response(body, media_type=media_type, headers=headers)

    return Litestar([plain], openapi_config=None)


_CONTENT = ("content-type", "content-length", "etag", "cache-control", "vary")
