"""Citizens and providers: validation, scoping, search, verification, audit."""

from __future__ import annotations

from core.db.tables import AuditLog
from tests.world import IBAN, World

CITIZEN = {
    "last_name": "Ткаченко",
    "first_name": "Олена",
    "patronymic": "Миколаївна",
    "birth_date": "1987-03-12",
    "tax_number": "3184710691",
    "settlement": "Ковель",
}


async def test_citizen_is_registered_with_a_valid_tax_number(world: World) -> None:
    r = await world.post(
        "intake",
        "/api/citizens",
        CITIZEN | {"tax_number": "3652504575", "categories": ["idp", "veteran"]},
    )
    assert r.status_code == 201, r.text
    assert r.json()["categories"] == ["idp", "veteran"]


async def test_citizen_tax_number_checksum_and_uniqueness(world: World) -> None:
    r = await world.post("intake", "/api/citizens", CITIZEN | {"tax_number": "3184710619"})
    assert r.status_code == 400
    assert r.json()["extra"][0]["key"] == "tax_number"
    r = await world.post("intake", "/api/citizens", CITIZEN)  # same as the world's first citizen
    assert r.status_code == 409
    r = await world.post("intake", "/api/citizens", CITIZEN | {"tax_number": None})
    assert r.status_code == 201  # homeless people and children often have none


async def test_citizen_input_errors_name_the_field(world: World) -> None:
    for body, field in (
        ({"first_name": "Олена"}, "last_name"),
        (CITIZEN | {"birth_date": "2099-01-01", "tax_number": None}, "birth_date"),
        (CITIZEN | {"categories": ["king"]}, "categories"),
        (CITIZEN | {"disability_group": 4}, "disability_group"),
        (CITIZEN | {"household_id": 99999, "tax_number": None}, "household_id"),
    ):
        r = await world.post("intake", "/api/citizens", body)
        assert r.status_code == 400, body
        assert field in r.text


async def test_citizen_search_by_name_tax_number_and_birth_date(world: World) -> None:
    await world.post(
        "intake",
        "/api/citizens",
        CITIZEN | {"tax_number": "1759013776", "birth_date": "1948-02-28"},
    )
    r = await world.get("intake", "/api/citizens", params={"q": "ткаченко ол"})
    assert [c["last_name"] for c in r.json()["items"]] == ["Ткаченко"]
    r = await world.get("intake", "/api/citizens", params={"tax_number": "2245134075"})
    assert [c["last_name"] for c in r.json()["items"]] == ["Коваль"]
    r = await world.get("intake", "/api/citizens", params={"birth_date": "1948-02-28"})
    assert r.json()["total"] == 1
    r = await world.get("intake", "/api/citizens", params={"page_size": 1})
    assert r.json()["total"] == 3
    assert len(r.json()["items"]) == 1
    audited = await AuditLog.count().where(
        (AuditLog.action == "citizen.search") & (AuditLog.municipality == world.municipality_id)
    )
    assert audited == 4


async def test_citizen_reads_and_updates_only_itself(world: World) -> None:
    assert (await world.get("citizen", f"/api/citizens/{world.citizen_id}")).status_code == 200
    assert (
        await world.get("citizen", f"/api/citizens/{world.other_citizen_id}")
    ).status_code == 403
    r = await world.patch(
        "citizen", f"/api/citizens/{world.citizen_id}", {"phone": "+380501234567"}
    )
    assert r.status_code == 200
    assert r.json()["phone"] == "+380501234567"
    r = await world.patch("citizen", f"/api/citizens/{world.other_citizen_id}", {"phone": "1"})
    assert r.status_code == 403


async def test_citizen_may_not_move_into_a_household(world: World) -> None:
    r = await world.post(
        "intake",
        "/api/households",
        {"settlement": "Ковель", "member_ids": [world.other_citizen_id]},
    )
    assert r.status_code == 201, r.text
    hid = r.json()["id"]
    r = await world.patch("citizen", f"/api/citizens/{world.citizen_id}", {"household_id": hid})
    assert r.status_code == 403, r.text
    assert r.json()["extra"][0]["key"] == "household_id"
    assert "лише працівник" in r.json()["detail"]
    assert (await world.get("citizen", f"/api/households/{hid}")).status_code == 403
    r = await world.get("citizen", f"/api/citizens/{world.citizen_id}")
    assert r.json()["household_id"] is None


async def test_citizen_changes_only_contact_details(world: World) -> None:
    url = f"/api/citizens/{world.citizen_id}"
    before = (await world.get("intake", url)).json()
    other_tax = (await world.get("intake", f"/api/citizens/{world.other_citizen_id}")).json()[
        "tax_number"
    ]
    for change in (
        {"categories": ["homeless", "low_income"]},
        {"disability_group": 1},
        {"tax_number": other_tax},  # was a 409 "exists": who is registered
        {"tax_number": None},
        {"last_name": "Іваненко"},
        {"first_name": "Іван"},
        {"patronymic": "Іванович"},
        {"birth_date": "1940-01-01"},
        {"gender": "m"},
        {"settlement": "Луцьк"},
        {"household_id": None},
    ):
        r = await world.patch("citizen", url, change | {"phone": "+380000000000"})
        assert r.status_code == 403, (change, r.text)
        field = next(iter(change))
        assert r.json()["extra"][0]["key"] == field
        assert field in r.json()["detail"]
        assert "only staff may change" in r.json()["detail"]
    r = await world.patch("citizen", url, {"categories": [], "disability_group": 2})
    assert r.status_code == 403
    assert r.json()["extra"][0]["fields"] == ["categories", "disability_group"]
    after = (await world.get("intake", url)).json()
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }
    r = await world.patch(
        "citizen",
        url,
        {"phone": "+380501112233", "email": "me@example.org", "address": "вул. Нова, 1"},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["phone"], r.json()["email"], r.json()["address"]) == (
        "+380501112233",
        "me@example.org",
        "вул. Нова, 1",
    )
    # staff record the facts, and still learn of a duplicate tax number
    r = await world.patch("intake", url, {"categories": ["low_income"], "disability_group": 2})
    assert r.status_code == 200, r.text
    r = await world.patch("intake", url, {"tax_number": other_tax})
    assert r.status_code == 409
    assert r.json()["extra"][0]["key"] == "tax_number"


async def test_citizen_search_treats_wildcards_literally(world: World) -> None:
    for q in ("_", "%", "%%", "_ _", "!", "\\"):
        r = await world.get("intake", "/api/citizens", params={"q": q})
        assert r.status_code == 200, r.text
        assert r.json()["total"] == 0, q
    r = await world.post(
        "intake",
        "/api/citizens",
        CITIZEN | {"tax_number": None, "last_name": "Сто_відсотків%"},
    )
    assert r.status_code == 201, r.text
    r = await world.get("intake", "/api/citizens", params={"q": "_відсотків%"})
    assert [c["last_name"] for c in r.json()["items"]] == ["Сто_відсотків%"]


async def test_reading_a_citizen_is_audited_and_unknown_is_404(world: World) -> None:
    await world.get("caseworker", f"/api/citizens/{world.citizen_id}")
    rows = await AuditLog.select().where(
        (AuditLog.action == "citizen.read") & (AuditLog.subject_id == world.citizen_id)
    )
    assert rows
    assert (await world.get("caseworker", "/api/citizens/999999")).status_code == 404
    r = await world.patch("intake", f"/api/citizens/{world.citizen_id}", {})
    assert r.status_code == 400


PROVIDER = {"name": "БФ «Світло»", "kind": "ngo", "edrpou": "44116011", "iban": IBAN}


async def test_provider_registration_validates_codes(world: World) -> None:
    r = await world.post("caseworker", "/api/providers", PROVIDER)
    assert r.status_code == 201, r.text
    assert r.json()["verified"] is False
    for change, field in (
        ({"edrpou": "32855968"}, "edrpou"),
        ({"iban": "UA248999980334179879010013923"}, "iban"),
        ({"iban": "DE89370400440532013000"}, "iban"),
        ({"edrpou": None}, "edrpou"),
        ({"kind": "individual", "edrpou": None}, "tax_number"),
    ):
        r = await world.post("caseworker", "/api/providers", PROVIDER | change)
        assert r.status_code == 400, change
        assert r.json()["extra"][0]["key"] == field
    r = await world.post(
        "caseworker",
        "/api/providers",
        PROVIDER | {"kind": "individual", "edrpou": None, "tax_number": "3068208400"},
    )
    assert r.status_code == 201


async def test_provider_sees_and_edits_only_its_own(world: World) -> None:
    r = await world.get("provider", "/api/providers")
    assert [p["id"] for p in r.json()["items"]] == [world.provider_id]
    assert (
        await world.get("provider", f"/api/providers/{world.other_provider_id}")
    ).status_code == 403
    r = await world.patch(
        "provider", f"/api/providers/{world.provider_id}", {"phone": "+380332000000"}
    )
    assert r.status_code == 200
    r = await world.patch("provider", f"/api/providers/{world.other_provider_id}", {"phone": "1"})
    assert r.status_code == 403


async def test_admin_verifies_and_bank_change_needs_verifying_again(world: World) -> None:
    r = await world.post("admin", f"/api/providers/{world.provider_id}/verify", {"verified": True})
    assert r.status_code == 200
    assert r.json()["verified"] is True
    r = await world.patch(
        "provider", f"/api/providers/{world.provider_id}", {"iban": "UA583808050000026009702978805"}
    )
    assert r.json()["verified"] is False
    rows = await AuditLog.select(AuditLog.action).where(AuditLog.subject_id == world.provider_id)
    assert {"provider.verify", "provider.update"} <= {r["action"] for r in rows}
