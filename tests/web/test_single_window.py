"""The single window: one questionnaire screened against every enabled service, verdicts
in words, a not-eligible application only with a recorded confirmation, and the journal
numbers on screen."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from core.db.tables import AuditLog, Request
from tests.funeral import funeral_form
from tests.web.conftest import form_token, sign_in
from tests.world import World

BASE = "/desk/front-office/citizens"


def _posted(form: dict[str, Any]) -> dict[str, Any]:
    """The funeral form as a browser posts it: ticked boxes as "on", others left out."""
    data: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, bool):
            data[f"{key}.present"] = "1"
            if value:
                data[key] = "on"
        else:
            data[key] = value
    return data


@pytest.mark.world_plugins("funeral_aid")
async def test_screen_then_submit_one_application(world: World, visitor: httpx.AsyncClient) -> None:
    await sign_in(visitor, f"{world.slug}.intake")
    page = await visitor.get(f"{BASE}/{world.citizen_id}/apply")
    assert page.status_code == 200, page.text
    assert "Допомога на поховання" in page.text
    assert 'type="date"' in page.text
    assert "Потрібні дані" in page.text  # nothing answered yet
    read = await AuditLog.count().where(
        (AuditLog.action == "citizen.read")
        & (AuditLog.subject_id == world.citizen_id)
        & (AuditLog.municipality == world.municipality_id)
    )
    assert read == 1  # opening the questionnaire is a read of the person's data

    answers = _posted(funeral_form())
    fragment = await visitor.post(
        f"{BASE}/{world.citizen_id}/apply/screen",
        data={**answers, "_csrf": form_token(page.text)},
        headers={"HX-Request": "true", "HX-Target": "screening"},
    )
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<section id="screening"')
    assert "Відповідає умовам" in fragment.text

    nothing = await visitor.post(
        f"{BASE}/{world.citizen_id}/apply",
        data={**answers, "_csrf": form_token(page.text), "channel": "front_office"},
    )
    assert nothing.status_code == 400
    assert 'id="apply_for-error"' in nothing.text
    assert 'value="Мельник"' in nothing.text  # nothing typed is lost

    done = await visitor.post(
        f"{BASE}/{world.citizen_id}/apply",
        data={
            **answers,
            "_csrf": form_token(page.text),
            "channel": "front_office",
            "apply_for": "funeral_aid.lump_sum",
        },
    )
    assert done.status_code == 303, done.text
    shown = await visitor.get(done.headers["location"])
    assert shown.status_code == 200
    number = re.search(r"\d{4}-\d{6}", shown.text)
    assert number, shown.text
    row = (
        await Request.select()
        .where(
            (Request.journal_number == number.group(0))
            & (Request.municipality == world.municipality_id)
        )
        .first()
    )
    assert row is not None
    assert row["eligibility"] == "eligible"
    assert row["citizen"] == world.citizen_id


@pytest.mark.world_plugins("funeral_aid")
async def test_not_eligible_needs_a_recorded_confirmation(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.intake")
    page = await visitor.get(f"{BASE}/{world.citizen_id}/apply")
    # The deceased was employed: insured, so the municipality does not pay.
    answers = _posted(funeral_form(deceased_employed=True))
    data = {
        **answers,
        "_csrf": form_token(page.text),
        "channel": "home_visit",
        "apply_for": "funeral_aid.lump_sum",
    }
    refused = await visitor.post(f"{BASE}/{world.citizen_id}/apply", data=data)
    assert refused.status_code == 400
    assert "Не відповідає умовам" in refused.text
    assert "підтвердьте прийняття заяви" in refused.text
    before = await Request.count().where(Request.citizen == world.citizen_id)
    assert before == 0  # nothing written

    done = await visitor.post(
        f"{BASE}/{world.citizen_id}/apply",
        data={**data, "_csrf": form_token(refused.text), "confirm": "funeral_aid.lump_sum"},
    )
    assert done.status_code == 303, done.text
    row = await Request.select().where(Request.citizen == world.citizen_id).first()
    assert row is not None
    assert row["eligibility"] == "not_eligible"
    assert row["channel"] == "home_visit"
    confirmed = await AuditLog.count().where(
        (AuditLog.action == "request.accept_not_eligible") & (AuditLog.subject_id == row["id"])
    )
    assert confirmed == 1


@pytest.mark.world_plugins("funeral_aid")
async def test_a_bad_answer_is_shown_beside_its_field(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.intake")
    page = await visitor.get(f"{BASE}/{world.citizen_id}/apply?lang=en")
    answers = _posted(funeral_form(death_date="2026-02-30"))
    r = await visitor.post(
        f"{BASE}/{world.citizen_id}/apply?lang=en",
        data={
            **answers,
            "_csrf": form_token(page.text),
            "channel": "front_office",
            "apply_for": "funeral_aid.lump_sum",
        },
    )
    assert r.status_code == 400
    assert 'id="death_date-error"' in r.text
    assert await Request.count().where(Request.citizen == world.citizen_id) == 0


SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf_text(content: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


@pytest.mark.world_plugins("funeral_aid")
async def test_scans_attached_once_and_the_papers_to_print(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.intake")
    page = await visitor.get(f"{BASE}/{world.citizen_id}/apply")
    data = {
        **_posted(funeral_form()),
        "_csrf": form_token(page.text),
        "channel": "front_office",
        "apply_for": "funeral_aid.lump_sum",
    }
    bad = await visitor.post(
        f"{BASE}/{world.citizen_id}/apply",
        data=data,
        files=[("documents", ("note.txt", b"hello", "text/plain"))],
    )
    assert bad.status_code == 400
    assert 'id="documents-error"' in bad.text
    assert "note.txt" in bad.text
    assert await Request.count().where(Request.citizen == world.citizen_id) == 0

    done = await visitor.post(
        f"{BASE}/{world.citizen_id}/apply",
        data={**data, "_csrf": form_token(bad.text)},
        files=[
            ("documents", ("Свідоцтво про смерть.pdf", SCAN, "application/pdf")),
            ("documents", ("../../квитанція.pdf", SCAN + b" ", "application/pdf")),
        ],
    )
    assert done.status_code == 303, done.text
    shown = await visitor.get(done.headers["location"])
    receipt_href = re.search(r'href="(/desk/requests/\d+/receipt\.pdf)"', shown.text)
    application_href = re.search(r'href="(/desk/requests/\d+/application\.pdf)"', shown.text)
    assert receipt_href
    assert application_href
    number = re.search(r"\d{4}-\d{6}", shown.text)
    assert number

    receipt = await visitor.get(receipt_href.group(1))
    assert receipt.status_code == 200
    assert receipt.headers["content-type"] == "application/pdf"
    text = _pdf_text(receipt.content)
    assert f"№ {number.group(0)}" in text
    assert "Свідоцтво про смерть.pdf" in text
    assert "квитанція.pdf" in text
    assert "../" not in text
    assert "Граничний строк розгляду" in text

    application = await visitor.get(application_href.group(1))
    assert application.status_code == 200
    text = _pdf_text(application.content)
    assert "ЗАЯВА" in text
    assert "Допомога на поховання" in text
    assert "Прізвище померлої особи" in text
    assert "Мельник" in text
    assert "Син / дочка" in text  # the relation in words

    # A provider may not print another municipality's people's papers; a citizen neither.
    other = await visitor.get("/desk/requests/2147483646/receipt.pdf")
    assert other.status_code == 404


@pytest.mark.world_plugins("funeral_aid", "assistant_registration")
async def test_a_service_nobody_went_through_asks_for_data(
    world: World, visitor: httpx.AsyncClient
) -> None:
    """Unticked boxes of a service whose questions were not touched are not a "no"."""
    await sign_in(visitor, f"{world.slug}.intake")
    page = await visitor.get(f"{BASE}/{world.citizen_id}/apply")
    data = {**_posted(funeral_form()), "_csrf": form_token(page.text)}
    for name in ("assistant_has_full_capacity", "assistant_consent", "documents_acknowledged"):
        data[f"{name}.present"] = "1"  # the browser sends the boxes of every section
    r = await visitor.post(
        f"{BASE}/{world.citizen_id}/apply/screen",
        data=data,
        headers={"HX-Request": "true", "HX-Target": "screening"},
    )
    items = r.text.split("<li class=")[1:]
    (assistant,) = [i for i in items if "помічника" in i]
    (funeral,) = [i for i in items if "поховання" in i]
    assert "Потрібні дані" in assistant
    assert "Відповідає умовам" in funeral
