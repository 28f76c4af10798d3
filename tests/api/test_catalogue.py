"""The public catalogue, one card, its form schema, screening, and the web pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from core import clock
from tests.funeral import funeral_form
from tests.world import World


@pytest.mark.world_plugins("funeral_aid")
async def test_catalogue_lists_enabled_services_in_both_languages(world: World) -> None:
    uk = (await world.get(None, "/api/services", params={"municipality": world.slug})).json()
    assert [c["code"] for c in uk] == ["funeral_aid.lump_sum"]
    assert uk[0]["title"] == "Допомога на поховання"
    en = await world.client.get(
        "/api/services",
        params={"municipality": world.slug},
        headers={"Accept-Language": "en-GB,en;q=0.9"},
    )
    assert en.json()[0]["title"] == "Funeral aid"
    assert (
        await world.get(None, "/api/services", params={"municipality": world.slug, "lang": "en"})
    ).json()[0]["lang"] == "en"


@pytest.mark.world_plugins("funeral_aid")
async def test_catalogue_search(world: World) -> None:
    found = await world.get(
        None, "/api/services", params={"municipality": world.slug, "q": "поховання"}
    )
    assert len(found.json()) == 1
    none = await world.get(None, "/api/services", params={"municipality": world.slug, "q": "таксі"})
    assert none.json() == []


async def test_disabled_plugin_hides_its_services(platform, client) -> None:
    from tests.world import make_world

    w = await make_world(platform, client, plugins=["nonexistent"])
    assert (await w.get(None, "/api/services", params={"municipality": w.slug})).json() == []
    r = await w.get(None, "/api/services/funeral_aid.lump_sum", params={"municipality": w.slug})
    assert r.status_code == 404


async def test_card_has_everything_a_citizen_needs(world: World) -> None:
    card = (
        await world.get(
            None, "/api/services/funeral_aid.lump_sum", params={"municipality": world.slug}
        )
    ).json()
    assert card["term_days"] == 10
    assert card["term_kind"] == "working"
    assert card["free"] is True
    assert {g["code"] for g in card["refusal_grounds"]} >= {"late", "insured", "already_paid"}
    assert card["documents"]
    assert card["appeal"]
    assert card["legal_basis"]
    assert (await world.get(None, "/api/services/nope.x")).status_code == 404


async def test_form_schema_is_json_schema_of_the_form(world: World) -> None:
    schema = (
        await world.get(
            None,
            "/api/services/funeral_aid.lump_sum/form-schema",
            params={"municipality": world.slug},
        )
    ).json()
    body = schema["$defs"]["FuneralAidForm"]
    assert "death_date" in body["required"]
    assert body["properties"]["death_date"]["format"] == "date"


@pytest.mark.world_plugins("funeral_aid")
async def test_screening_evaluates_every_service_with_reasons(world: World) -> None:
    answers = funeral_form()
    r = await world.post(
        None, "/api/screening", {"answers": answers}, params={"municipality": world.slug}
    )
    assert r.status_code == 200
    (result,) = r.json()["results"]
    assert result["verdict"] == "eligible"
    answers["deceased_pensioner"] = True
    r = await world.post(
        None, "/api/screening", {"answers": answers}, params={"municipality": world.slug}
    )
    (result,) = r.json()["results"]
    assert result["verdict"] == "not_eligible"
    failed = [f for f in result["findings"] if f["outcome"] == "failed"]
    assert failed[0]["rule"] == "funeral_aid.uninsured"


@pytest.mark.world_plugins("funeral_aid")
async def test_screening_with_partial_answers_asks_for_more(world: World) -> None:
    death = (clock.today() - timedelta(days=400)).isoformat()
    r = await world.post(
        None,
        "/api/screening",
        {"answers": {"death_date": death, "iban": 5, "relation": "cousin"}},
        params={"municipality": world.slug},
    )
    (result,) = r.json()["results"]
    assert result["verdict"] == "not_eligible"  # too late, whatever the rest says
    assert "deceased_settlement" in result["missing"]
    assert set(result["invalid"]) == {"iban", "relation"}
    r = await world.post(
        None,
        "/api/screening",
        {"answers": {"deceased_settlement": "Ковель"}},
        params={"municipality": world.slug},
    )
    assert r.json()["results"][0]["verdict"] == "needs_data"


@pytest.mark.world_plugins("funeral_aid")
async def test_screening_does_not_tell_anonymous_callers_who_applied(world: World) -> None:
    answers = funeral_form()
    r = await world.post(
        "intake",
        "/api/requests",
        {"service_code": "funeral_aid.lump_sum", "citizen_id": world.citizen_id, "form": answers},
    )
    assert r.status_code == 201, r.text

    def one_per_deceased(body: dict[str, Any]) -> dict[str, Any]:
        (result,) = body["results"]
        (finding,) = [f for f in result["findings"] if f["rule"] == "funeral_aid.one_per_deceased"]
        return {"verdict": result["verdict"], **finding}

    for role in (None, "citizen", "provider"):
        r = await world.post(
            role, "/api/screening", {"answers": answers}, params={"municipality": world.slug}
        )
        assert r.status_code == 200, r.text
        seen = one_per_deceased(r.json())
        assert seen["outcome"] == "not_checked", role
        assert "не перевірено" in seen["message"]["uk"]
        assert "not checked" in seen["message"]["en"]
        assert seen["verdict"] == "eligible"  # as far as what was typed goes
    for role in ("intake", "caseworker"):
        r = await world.post(role, "/api/screening", {"answers": answers})
        seen = one_per_deceased(r.json())
        assert (seen["outcome"], seen["verdict"]) == ("failed", "not_eligible"), role
    # submission still enforces it
    r = await world.post(
        "citizen",
        "/api/requests",
        {"service_code": "funeral_aid.lump_sum", "citizen_id": world.citizen_id, "form": answers},
    )
    assert r.status_code == 201, r.text
    assert r.json()["eligibility"] == "not_eligible"
    found = {f["rule"]: f["outcome"] for f in r.json()["findings"]}
    assert found["funeral_aid.one_per_deceased"] == "failed"


async def test_screening_rejects_a_malformed_profile(world: World) -> None:
    r = await world.post(None, "/api/screening", {"applicant": {"birth_date": "yesterday"}})
    assert r.status_code == 400
    assert "birth_date" in r.text


async def test_public_pages_render_in_ukrainian_and_english(world: World) -> None:
    page = await world.client.get("/", params={"municipality": world.slug})
    assert page.status_code == 200
    assert "Допомога на поховання" in page.text
    assert world.slug in page.text
    page = await world.client.get(
        "/", params={"municipality": world.slug, "lang": "en", "q": "funeral"}
    )
    assert "Funeral aid" in page.text
    card = await world.client.get(
        "/services/funeral_aid.lump_sum", params={"municipality": world.slug}
    )
    assert card.status_code == 200
    for words in ("Підстави для відмови", "Оскарження", "Документи", "ЦНАП", "10 робочих днів"):
        assert words in card.text
    missing = await world.client.get("/services/none.such", params={"municipality": world.slug})
    assert missing.status_code == 404


async def test_a_service_page_is_kept_and_shows_a_new_office_at_once(world: World) -> None:
    """The service page is rendered once for what it shows and answered with its ETag
    (304 to a client holding it); an office added is on it at the next request."""
    path, params = "/services/funeral_aid.lump_sum", {"municipality": world.slug}
    first = await world.client.get(path, params=params)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/html")
    etag = first.headers["etag"]
    again = await world.client.get(path, params=params, headers={"If-None-Match": etag})
    assert again.status_code == 304
    english = await world.client.get(path, params={**params, "lang": "en"})
    assert "Grounds for refusal" in english.text
    assert english.headers["etag"] != etag
    body = {"name": "Віддалене робоче місце Гаї", "kind": "remote_workplace", "phone": "0332 000"}
    r = await world.post("admin", "/api/offices", body)
    assert r.status_code == 201, r.text
    now = await world.client.get(path, params=params, headers={"If-None-Match": etag})
    assert now.status_code == 200
    assert "Віддалене робоче місце Гаї" in now.text
    back = {"name": "Бухгалтерія", "kind": "back_office"}
    assert (await world.post("admin", "/api/offices", back)).status_code == 201
    assert "Бухгалтерія" not in (await world.client.get(path, params=params)).text


async def test_openapi_document_and_page(world: World) -> None:
    doc = await world.client.get("/schema/openapi.json")
    assert doc.status_code == 200
    assert doc.json()["openapi"].startswith("3.1")
    assert "/api/requests" in doc.json()["paths"]
    page = await world.client.get("/schema")
    assert page.status_code == 200
    assert "/static/swagger/swagger-ui-bundle.js" in page.text
    assert (await world.client.get("/static/swagger/swagger-ui-bundle.js")).status_code == 200


def test_terms_read_naturally_in_both_languages() -> None:
    from core.web.pages import term_text

    assert term_text(1, "calendar", "uk") == "1 календарний день"
    assert term_text(3, "working", "uk") == "3 робочі дні"
    assert term_text(10, "working", "uk") == "10 робочих днів"
    assert term_text(12, "calendar", "uk") == "12 календарних днів"
    assert term_text(21, "calendar", "uk") == "21 календарний день"
    assert term_text(1, "calendar", "en") == "1 calendar day"
    assert term_text(30, "calendar", "en") == "30 calendar days"


@pytest.mark.world_plugins("funeral_aid")
async def test_staff_screening_without_optional_answers_reads_history(world: World) -> None:
    """An optional answer left out (the patronymic) takes its default, as at submission,
    before the subject key looks for earlier requests (it was a 500)."""
    answers = funeral_form()
    del answers["deceased_patronymic"]
    r = await world.post(
        "intake",
        "/api/requests",
        {"service_code": "funeral_aid.lump_sum", "citizen_id": world.citizen_id, "form": answers},
    )
    assert r.status_code == 201, r.text
    r = await world.post("intake", "/api/screening", {"answers": answers})
    assert r.status_code == 200, r.text
    (result,) = r.json()["results"]
    found = {f["rule"]: f["outcome"] for f in result["findings"]}
    assert found["funeral_aid.one_per_deceased"] == "failed"
