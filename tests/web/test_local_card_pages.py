"""The admin's local-card pages in-process: the list of services, a local card saved from
the form (contacts, an extra document, a shorter term, a fee, the council's decision), a
refusal shown beside its field with what was typed kept, the earlier versions, the
module's card restored; the public card page and its PDF show the local card, another
municipality's do not; only the admin may edit."""

from __future__ import annotations

import re
from io import BytesIO

import httpx
import pytest
from pypdf import PdfReader

from core.platform import Platform
from tests.web.conftest import form_token, sign_in
from tests.world import World, make_world

CODE = "funeral_aid.lump_sum"
PAGE = f"/desk/admin/cards/{CODE}"

FORM = {
    "contacts.office.uk": "Відділ соціального захисту, каб. 7",
    "contacts.office.en": "Social protection department, room 7",
    "contacts.phone": "0332 24 00 07",
    "contacts.email": "sotsviddil@example.org",
    "contacts.web": "https://hromada.example.org/pokhovannia",
    "extra_documents.0.name.uk": "Довідка про склад сім'ї",
    "extra_documents.0.name.en": "Certificate of the family's members",
    "extra_documents.0.form": "copy",
    "extra_documents.0.note.uk": "",
    "extra_documents.0.note.en": "",
    "extra_documents.1.name.uk": "",
    "extra_documents.1.name.en": "",
    "extra_documents.1.form": "original_or_copy",
    "term_days": "7",
    "fee": "",
    "decision.text.uk": "Про порядок надання допомоги на поховання",
    "decision.text.en": "On the funeral aid procedure",
    "decision.number": "42",
    "decision.adopted_on": "2026-02-05",
}


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages)


@pytest.mark.world_plugins("funeral_aid")
async def test_the_admin_edits_a_local_card_from_the_page(
    world: World, visitor: httpx.AsyncClient, platform: Platform, client: httpx.AsyncClient
) -> None:
    other = await make_world(platform, client, plugins=["funeral_aid"])
    await sign_in(visitor, f"{world.slug}.admin")
    listing = await visitor.get("/desk/admin/cards")
    assert listing.status_code == 200
    assert "Допомога на поховання" in listing.text
    assert "картка модуля без змін" in listing.text
    assert 'href="/desk/admin/cards"' in listing.text  # the admin's menu has it

    page = await visitor.get(PAGE)
    assert page.status_code == 200
    assert "Громада може скоротити строк (не більше 10 дн.)." in page.text
    assert "Місцеву частину не змінювали." in page.text

    bad = await visitor.post(
        PAGE, data={**FORM, "term_days": "12", "_csrf": form_token(page.text), "action": "save"}
    )
    assert bad.status_code == 400
    assert 'id="term_days-error"' in bad.text
    assert "не більше 10 дн." in bad.text
    assert 'value="Відділ соціального захисту, каб. 7"' in bad.text  # what was typed stays
    email = await visitor.post(
        PAGE,
        data={**FORM, "contacts.email": "ні", "_csrf": form_token(page.text), "action": "save"},
    )
    assert email.status_code == 400
    assert 'id="contacts-email-error"' in email.text

    second_row = {
        **FORM,
        "extra_documents.0.name.uk": "",
        "extra_documents.0.name.en": "",
        "extra_documents.1.name.uk": "Заява",
        "extra_documents.1.name.en": "Application",
    }
    again_listed = await visitor.post(
        PAGE, data={**second_row, "_csrf": form_token(page.text), "action": "save"}
    )
    assert again_listed.status_code == 400
    # The one row with words comes back first, with its error beside it.
    assert 'id="extra_documents-0-name-uk-error"' in again_listed.text
    assert 'name="extra_documents.0.name.uk" type="text" value="Заява"' in again_listed.text
    assert "Документ 3" in again_listed.text
    assert "Документ 4" not in again_listed.text

    saved = await visitor.post(
        PAGE, data={**FORM, "_csrf": form_token(page.text), "action": "save"}
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{PAGE}?saved=1"
    again = await visitor.get(f"{PAGE}?saved=1")
    assert "Збережено." in again.text
    assert 'value="Довідка про склад сім&#39;ї"' in again.text
    assert "Історія змін" in again.text
    assert "admin user" in again.text
    assert "№ 42, 05.02.2026" in again.text

    public = await visitor.get(f"/services/{CODE}", params={"municipality": world.slug})
    assert public.status_code == 200
    assert 'Довідка про склад сім&#39;ї <span class="meta">(копія; вимога громади)' in public.text
    assert "7 робочих днів" in public.text
    assert "Відділ соціального захисту, каб. 7" in public.text
    assert 'href="mailto:sotsviddil@example.org"' in public.text
    assert "Про порядок надання допомоги на поховання" in public.text
    assert "№ 42 від 05.02.2026" in public.text
    english = await visitor.get(
        f"/services/{CODE}", params={"municipality": world.slug, "lang": "en"}
    )
    assert "Certificate of the family&#39;s members" in english.text
    assert "No. 42 of 2026-02-05" in english.text

    pdf = await visitor.get(f"/services/{CODE}/card.pdf", params={"municipality": world.slug})
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "ІНФОРМАЦІЙНА КАРТКА" in text
    assert "Довідка про склад сім'ї (копія; вимога громади)" in text
    assert "7 робочих днів" in text
    assert "тел. 0332 24 00 07" in text
    assert "№ 42 від 05.02.2026" in text
    english_pdf = await visitor.get(
        f"/services/{CODE}/card.pdf", params={"municipality": world.slug, "lang": "en"}
    )
    assert "INFORMATION CARD" in pdf_text(english_pdf.content)

    theirs = await visitor.get(f"/services/{CODE}", params={"municipality": other.slug})
    assert "вимога громади" not in theirs.text
    assert "10 робочих днів" in theirs.text
    their_pdf = pdf_text(
        (
            await visitor.get(f"/services/{CODE}/card.pdf", params={"municipality": other.slug})
        ).content
    )
    assert "сім'ї" not in their_pdf
    assert "10 робочих днів" in their_pdf

    second = await visitor.post(
        PAGE,
        data={
            **FORM,
            "extra_documents.0.name.uk": "",
            "extra_documents.0.name.en": "",
            "fee": "0",
            "_csrf": form_token(page.text),
            "action": "save",
        },
    )
    assert second.status_code == 303
    history = (await visitor.get(PAGE)).text
    versions = re.findall(r"<summary>([^<]*)</summary>", history)
    assert len(versions) == 2
    assert "безоплатно" in history  # the newer version's fee
    assert "Довідка про склад сім&#39;ї" in history  # the older version is still shown

    restored = await visitor.post(PAGE, data={"_csrf": form_token(page.text), "action": "restore"})
    assert restored.status_code == 303
    back = await visitor.get(f"/services/{CODE}", params={"municipality": world.slug})
    assert "Відділ соціального захисту" not in back.text
    assert "10 робочих днів" in back.text
    listing = await visitor.get("/desk/admin/cards?lang=en")
    assert "the module&#39;s card, unchanged" in listing.text
    assert "Service cards" in listing.text


@pytest.mark.world_plugins("funeral_aid")
async def test_the_receipt_names_the_local_contacts(
    world: World, visitor: httpx.AsyncClient
) -> None:
    from tests.funeral import funeral_form

    r = await world.put(
        "admin",
        f"/api/local-cards/{CODE}",
        {"contacts": {"phone": "0332 24 00 07", "email": "sotsviddil@example.org"}},
    )
    assert r.status_code == 200, r.text
    made = await world.post(
        "intake",
        "/api/requests",
        {"service_code": CODE, "citizen_id": world.citizen_id, "form": funeral_form()},
    )
    assert made.status_code == 201, made.text
    await sign_in(visitor, f"{world.slug}.intake")
    receipt = await visitor.get(f"/desk/requests/{made.json()['id']}/receipt.pdf")
    assert receipt.status_code == 200
    assert "тел. 0332 24 00 07, sotsviddil@example.org" in pdf_text(receipt.content)


async def test_only_the_admin_edits_local_cards(world: World, visitor: httpx.AsyncClient) -> None:
    await sign_in(visitor, f"{world.slug}.caseworker")
    assert (await visitor.get("/desk/admin/cards")).status_code == 403
    assert (await visitor.get(PAGE)).status_code == 403


@pytest.mark.world_plugins("funeral_aid")
async def test_a_service_not_enabled_here_has_no_local_card_page(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.admin")
    missing = await visitor.get("/desk/admin/cards/homeless.night_stay")
    assert missing.status_code == 404
    assert "не знайдено" in missing.text
