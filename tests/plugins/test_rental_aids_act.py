"""The act of handover of a loan as a PDF in Ukrainian: its contents before and after the
return, who may download it (the scoping of reading one loan), and its audit."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pypdf

from core import clock
from core.db.tables import AuditLog
from tests.market.flow import ok, second_provider_user
from tests.plugins.test_rental_aids_api import BASE, assigned, issue, item, rental_contract
from tests.world import World


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


async def set_deposit(w: World, value: str) -> None:
    body = {"key": "rental_aids.deposit_amount", "valid_from": "2020-01-01", "value": value}
    r = await w.post("admin", "/api/parameters", body)
    assert r.status_code in (200, 201), r.text


async def test_the_act_of_handover_and_of_return_as_pdf(world: World) -> None:
    w = world
    await set_deposit(w, "250.50")
    contract = await rental_contract(w)
    req = await assigned(w, contract["id"])
    chair = await item(w, serial="WC-42", condition="good")
    loan = await ok(await issue(w, req["id"], chair["id"], handover_note="З підніжками"), 201)
    assert loan["deposit"] == "250.50"
    url = f"{BASE}/loans/{loan['id']}/act.pdf"

    r = await w.get("provider", url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/pdf")
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment")
    assert f"rental-act-{loan['id']}.pdf" in disposition
    assert r.content.startswith(b"%PDF")
    text = pdf_text(r.content)
    due = date.fromisoformat(loan["due_on"])
    assert due == clock.today() + timedelta(days=90)
    for words in (
        f"АКТ ПРИЙМАННЯ-ПЕРЕДАЧІ № {loan['id']}",
        f"Дата видачі: {clock.today():%d.%m.%Y}",
        contract["number"],
        loan["citizen_name"],
        req["journal_number"],
        chair["inventory_number"],
        "WC-42",
        "добрий",
        f"{due:%d.%m.%Y}",
        "250,50 грн.",
        "двісті п'ятдесят гривень 50 копійок",
        "З підніжками",
        "нормального зносу",
        "Передав (надавач)",
        "Прийняв (отримувач)",
    ):
        assert words in text, words
    assert "АКТ ПОВЕРНЕННЯ" not in text

    # the borrower and staff read it too
    for role in ("citizen", "caseworker", "auditor"):
        assert (await w.get(role, url)).status_code == 200, role

    await ok(
        await w.post(
            "provider",
            f"{BASE}/loans/{loan['id']}/return",
            {
                "condition": "worn",
                "damage_noted": True,
                "damage_note": "Подряпина на рамі",
                "cleaning_done": True,
            },
        )
    )
    text = pdf_text((await w.get("caseworker", url)).content)
    for words in (
        f"АКТ ПРИЙМАННЯ-ПЕРЕДАЧІ № {loan['id']}",
        "АКТ ПОВЕРНЕННЯ",
        f"Дата повернення: {clock.today():%d.%m.%Y}",
        "Стан при поверненні: зношений",
        "Пошкодження виявлено: Подряпина на рамі",
        "Санітарна обробка (чищення): проведено",
        "Повернув",
    ):
        assert words in text, words

    rows = await AuditLog.select(AuditLog.action, AuditLog.actor_role, AuditLog.subject_id).where(
        AuditLog.municipality == w.municipality_id
    )
    seen = {(r["action"], r["actor_role"], r["subject_id"]) for r in rows}
    for role in ("provider", "citizen", "caseworker"):
        assert ("rental_aids.act_pdf", role, loan["id"]) in seen, role


async def test_a_return_without_damage_or_cleaning_says_so(world: World) -> None:
    w = world
    contract = await rental_contract(w)
    req = await assigned(w, contract["id"])
    loan = await ok(await issue(w, req["id"], (await item(w))["id"]), 201)
    await ok(
        await w.post(
            "provider",
            f"{BASE}/loans/{loan['id']}/return",
            {"condition": "good", "cleaning_done": False},
        )
    )
    text = pdf_text((await w.get("provider", f"{BASE}/loans/{loan['id']}/act.pdf")).content)
    assert "0,00 грн. (нуль гривень 00 копійок)" in text
    assert "Стан при поверненні: добрий" in text
    assert "Пошкоджень не виявлено" in text
    assert "Санітарна обробка (чищення): не проведено" in text


async def test_the_act_is_scoped_like_reading_the_loan(world: World) -> None:
    w = world
    contract = await rental_contract(w)
    theirs = await assigned(w, contract["id"], w.other_citizen_id)
    other = await ok(await issue(w, theirs["id"], (await item(w))["id"]), 201)
    loan_url = f"{BASE}/loans/{other['id']}"

    # a citizen who is not the borrower: the same 404 as reading the loan
    assert (await w.get("citizen", loan_url)).status_code == 404
    r = await w.get("citizen", f"{loan_url}/act.pdf")
    assert r.status_code == 404
    assert r.json()["extra"][0]["key"] == "loan_id"

    # another provider's user
    await second_provider_user(w)
    assert (await w.get("provider2", loan_url)).status_code == 404
    assert (await w.get("provider2", f"{loan_url}/act.pdf")).status_code == 404
    assert (await w.get("provider", f"{loan_url}/act.pdf")).status_code == 200

    # an unknown loan
    assert (await w.get("admin", f"{BASE}/loans/999999999/act.pdf")).status_code == 404

    rows = await AuditLog.select(AuditLog.actor_role).where(
        (AuditLog.municipality == w.municipality_id) & (AuditLog.action == "rental_aids.act_pdf")
    )
    assert [r["actor_role"] for r in rows] == ["provider"]
