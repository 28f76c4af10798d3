"""The citizen's pages: the public check without signing in, applying online, my
requests with the decision letter, withdrawing, and who looked at my data."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from core.db.tables import Document, Request
from tests.funeral import funeral_form
from tests.web.conftest import form_token, sign_in
from tests.world import World

SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLY = "/services/funeral_aid.lump_sum/apply"


def _posted(form: dict[str, Any]) -> dict[str, Any]:
    """A form as a browser posts it: ticked boxes as "on", others left out."""
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
async def test_anonymous_check_answers_per_service(
    world: World, visitor: httpx.AsyncClient
) -> None:
    catalogue = await visitor.get(f"/?municipality={world.slug}")
    assert f"/check?lang=uk&amp;municipality={world.slug}" in catalogue.text

    page = await visitor.get(f"/check?municipality={world.slug}")
    assert page.status_code == 200, page.text
    assert "Що я можу отримати?" in page.text
    assert 'name="me.birth_date"' in page.text
    assert 'name="deceased_last_name"' in page.text
    assert "Ковель" in page.text  # the municipality's settlements to choose from

    told = await visitor.post(
        f"/check?municipality={world.slug}",
        data={
            "_csrf": form_token(page.text),
            "me.birth_date": "1960-02-03",
            "me.settlement": "Ковель",
            **_posted(funeral_form()),
        },
    )
    assert told.status_code == 200, told.text
    assert "Відповідає умовам" in told.text
    assert f"/services/funeral_aid.lump_sum/apply?lang=uk&amp;municipality={world.slug}" in (
        told.text
    )
    assert 'value="Мельник"' in told.text  # nothing typed is lost

    little = await visitor.post(
        f"/check?municipality={world.slug}&lang=en",
        data={"_csrf": form_token(page.text), "me.household_size": "many"},
    )
    assert little.status_code == 400
    assert "Tell us more" in little.text
    assert 'id="me-household_size-error"' in little.text
    assert "Enter a number from 1 to 30." in little.text

    refused = await visitor.post(
        f"/check?municipality={world.slug}",
        data={
            "_csrf": form_token(page.text),
            **_posted(funeral_form(death_date="2001-01-01", death_record_date="2001-01-02")),
        },
    )
    assert "Не відповідає умовам" in refused.text

    forged = await visitor.post(f"/check?municipality={world.slug}", data={"me.birth_date": "x"})
    assert forged.status_code == 403


def test_cabinet_words_in_both_languages() -> None:
    from core.web.cabinet_texts import CABINET

    assert CABINET["uk"].keys() == CABINET["en"].keys()


async def _apply_online(world: World, visitor: httpx.AsyncClient) -> int:
    """Sign in as the world's citizen and apply for funeral aid online; the request id."""
    await sign_in(visitor, f"{world.slug}.citizen")
    page = await visitor.get(APPLY)
    assert page.status_code == 200, page.text
    token = form_token(page.text)
    review = await visitor.post(APPLY, data={**_posted(funeral_form()), "_csrf": token})
    assert review.status_code == 200, review.text
    sent = await visitor.post(
        APPLY + "/send",
        data={**_posted(funeral_form()), "_csrf": token},
        files=[("documents", ("death.pdf", SCAN, "application/pdf"))],
    )
    assert sent.status_code == 303, sent.text
    return int(sent.headers["location"].split("/")[-1].split("?")[0])


@pytest.mark.world_plugins("funeral_aid")
async def test_apply_online_with_summary_and_document(
    world: World, visitor: httpx.AsyncClient
) -> None:
    card = await visitor.get(f"/services/funeral_aid.lump_sum?municipality={world.slug}")
    assert "Подати заяву онлайн" in card.text
    anonymous = await visitor.get(APPLY + f"?municipality={world.slug}")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/sign-in?next=%2Fservices%2F")

    signed = await sign_in(visitor, f"{world.slug}.citizen", next_page=APPLY)
    assert signed.headers["location"] == APPLY
    page = await visitor.get(APPLY)
    assert page.status_code == 200
    assert 'name="deceased_last_name"' in page.text
    token = form_token(page.text)

    wrong = await visitor.post(
        APPLY, data={**_posted(funeral_form(death_date="not a date")), "_csrf": token}
    )
    assert wrong.status_code == 400
    assert 'id="death_date-error"' in wrong.text
    assert 'value="Мельник"' in wrong.text  # nothing typed is lost

    review = await visitor.post(APPLY, data={**_posted(funeral_form()), "_csrf": token})
    assert review.status_code == 200, review.text
    assert "Перевірте заяву" in review.text
    assert "Мельник" in review.text
    assert "Прізвище померлої особи" in review.text
    assert 'capture="environment"' in review.text
    assert await Request.count().where(Request.citizen == world.citizen_id) == 0  # not yet

    bad_file = await visitor.post(
        APPLY + "/send",
        data={**_posted(funeral_form()), "_csrf": token},
        files=[("documents", ("note.txt", b"hello", "text/plain"))],
    )
    assert bad_file.status_code == 400
    assert 'id="documents-error"' in bad_file.text

    sent = await visitor.post(
        APPLY + "/send",
        data={**_posted(funeral_form()), "_csrf": token},
        files=[("documents", ("death.pdf", SCAN, "application/pdf"))],
    )
    assert sent.status_code == 303, sent.text
    shown = await visitor.get(sent.headers["location"])
    assert shown.status_code == 200
    row = await Request.select().where(Request.citizen == world.citizen_id).first()
    assert row is not None
    assert row["channel"] == "online"
    assert row["journal_number"] in shown.text
    assert "Заяву надіслано" in shown.text
    assert await Document.count().where(Document.request == row["id"]) == 1
    pdf = await visitor.get(f"/desk/requests/{row['id']}/application.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
