"""Offices, households, documents of a request, and user accounts."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from core.api.app import MAX_BODY_BYTES
from core.db.tables import AuditLog
from core.workflow import documents
from tests.funeral import funeral_form
from tests.world import PASSWORD, World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


async def test_offices_public_list_and_admin_creates(world: World) -> None:
    r = await world.post(
        "admin",
        "/api/offices",
        {
            "name": "Віддалене робоче місце, Дубове",
            "kind": "remote_workplace",
            "settlement": "Дубове",
            "schedule": "вт 09:00–15:00",
        },
    )
    assert r.status_code == 201, r.text
    await world.post("admin", "/api/offices", {"name": "Бек-офіс", "kind": "back_office"})
    public = await world.get(None, "/api/offices", params={"municipality": world.slug})
    names = {o["name"] for o in public.json()}
    assert "Віддалене робоче місце, Дубове" in names
    assert "Бек-офіс" not in names
    staff = await world.get("caseworker", "/api/offices")
    assert "Бек-офіс" in {o["name"] for o in staff.json()}


async def test_household_groups_citizens_and_sizes_the_snapshot(world: World) -> None:
    r = await world.post(
        "intake",
        "/api/households",
        {
            "settlement": "Ковель",
            "address": "вул. Садова, 3",
            "member_ids": [world.citizen_id, world.other_citizen_id],
        },
    )
    assert r.status_code == 201, r.text
    assert {m["id"] for m in r.json()["members"]} == {world.citizen_id, world.other_citizen_id}
    hid = r.json()["id"]
    assert (await world.get("citizen", f"/api/households/{hid}")).status_code == 200
    r = await world.post("intake", "/api/households", {"member_ids": [999999]})
    assert r.status_code == 400
    assert r.json()["extra"][0]["key"] == "member_ids"
    req = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": world.citizen_id,
            "form": funeral_form(),
        },
    )
    assert req.json()["applicant"]["household_size"] == 2


async def test_documents_are_attached_listed_and_downloaded(world: World) -> None:
    req = (
        await world.post(
            "intake",
            "/api/requests",
            {
                "service_code": "funeral_aid.lump_sum",
                "citizen_id": world.citizen_id,
                "form": funeral_form(),
            },
        )
    ).json()
    url = f"/api/requests/{req['id']}/documents"
    r = await world.client.post(
        url,
        files={"file": ("death.pdf", PDF, "application/pdf")},
        data={"kind": "death_certificate"},
        headers=world.auth("intake"),
    )
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["content_type"] == "application/pdf"
    assert doc["size"] == len(PDF)
    r = await world.client.post(
        url,
        files={"file": ("x.exe", b"MZ\x90\x00", "application/pdf")},
        headers=world.auth("intake"),
    )
    assert r.status_code == 400
    assert r.json()["extra"][0]["key"] == "file"
    await world.client.post(
        url, files={"file": ("scan.png", PNG, "image/png")}, headers=world.auth("citizen")
    )
    listed = (await world.get("caseworker", url)).json()
    assert [d["content_type"] for d in listed] == ["application/pdf", "image/png"]
    r = await world.get("auditor", f"/api/documents/{doc['id']}")
    assert r.status_code == 200
    assert r.content == PDF
    assert (
        await AuditLog.count().where(
            (AuditLog.action == "document.read") & (AuditLog.subject_id == doc["id"])
        )
        == 1
    )
    other = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": world.other_citizen_id,
            "form": funeral_form(deceased_first_name="Інший"),
        },
    )
    r = await world.client.post(
        f"/api/requests/{other.json()['id']}/documents",
        files={"file": ("a.pdf", PDF, "application/pdf")},
        headers=world.auth("citizen"),
    )
    assert r.status_code == 404


async def _funeral_request(world: World) -> int:
    r = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": world.citizen_id,
            "form": funeral_form(),
        },
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def test_document_names_are_made_safe_and_offered_on_download(world: World) -> None:
    url = f"/api/requests/{await _funeral_request(world)}/documents"
    for sent, content, kept in (
        ("../../etc/passwd", PDF, "passwd.pdf"),
        ("C:\\Users\\me\\скан.PDF", PDF, "скан.pdf"),
        ("a\r\nSet-Cookie: x=1.pdf", PDF, "a Set-Cookie_ x=1.pdf"),
        ("\u202egnp.exe", PNG, "gnp.exe.png"),
        (".htaccess", PDF, "htaccess.pdf"),
        (
            "Довідка про смерть " + "я" * 300 + ".pdf",
            PDF,
            "Довідка про смерть " + "я" * 97 + ".pdf",
        ),
    ):
        r = await world.client.post(
            url, files={"file": (sent, content, "application/pdf")}, headers=world.auth("intake")
        )
        assert r.status_code == 201, (sent, r.text)
        doc = r.json()
        assert doc["filename"] == kept, sent
        assert len(kept) <= 120
        r = await world.get("caseworker", f"/api/documents/{doc['id']}")
        assert r.status_code == 200
        header = r.headers["content-disposition"]
        assert "\r" not in header
        assert "\n" not in header
        assert header.startswith("attachment; filename=")
        if kept.isascii():
            assert header == f'attachment; filename="{kept}"'
        else:
            assert f"filename*=UTF-8''{quote(kept, safe='')}" in header
            assert header.split(";")[1].strip().isascii()


def test_docs_state_the_upload_limits() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text("utf-8")
    assert f"{documents.MAX_BYTES:,} bytes" in doc
    assert f"{MAX_BODY_BYTES:,} bytes" in doc


async def test_upload_limits_are_enforced(world: World) -> None:
    url = f"/api/requests/{await _funeral_request(world)}/documents"
    r = await world.client.post(
        url,
        files={"file": ("big.pdf", PDF + b"0" * (documents.MAX_BYTES + 1 - len(PDF)), "x/y")},
        headers=world.auth("intake"),
    )
    assert r.status_code == 400, r.text
    assert r.json()["extra"][0]["key"] == "file"
    r = await world.client.post(
        url,
        files={"file": ("huge.pdf", PDF + b"0" * MAX_BODY_BYTES, "x/y")},
        headers=world.auth("intake"),
    )
    assert r.status_code == 413


async def test_admin_manages_accounts_and_deactivation_signs_out(world: World) -> None:
    r = await world.post(
        "admin",
        "/api/users",
        {
            "username": f"{world.slug}.new",
            "password": "a-long-password",
            "role": "intake",
            "office_id": world.office_id,
        },
    )
    assert r.status_code == 201, r.text
    new_id = r.json()["id"]
    login = await world.post(
        None, "/api/auth/login", {"username": f"{world.slug}.new", "password": "a-long-password"}
    )
    token = login.json()["token"]
    world.client.cookies.clear()
    r = await world.patch("admin", f"/api/users/{new_id}", {"active": False})
    assert r.json()["active"] is False
    me = await world.client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401
    r = await world.post(
        None, "/api/auth/login", {"username": f"{world.slug}.new", "password": "a-long-password"}
    )
    assert r.status_code == 401
    r = await world.patch("admin", f"/api/users/{world.actors['admin'].id}", {"active": False})
    assert r.status_code == 409
    r = await world.post(
        "admin",
        "/api/users",
        {"username": f"{world.slug}.p2", "password": PASSWORD, "role": "provider"},
    )
    assert r.status_code == 400
    r = await world.post(
        "admin",
        "/api/users",
        {"username": f"{world.slug}.intake", "password": PASSWORD, "role": "intake"},
    )
    assert r.status_code == 409
    users = await world.get("admin", "/api/users")
    assert len(users.json()) == 8
