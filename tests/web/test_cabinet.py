"""The citizen's pages: the public check without signing in, applying online, my
requests with the decision letter, withdrawing, and who looked at my data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from core import clock
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


@pytest.mark.world_plugins("funeral_aid")
async def test_my_request_with_decision_letter(world: World, visitor: httpx.AsyncClient) -> None:
    request_id = await _apply_online(world, visitor)
    home = await visitor.get("/desk/citizen")
    assert f'href="/desk/citizen/requests/{request_id}"' in home.text
    waiting = await visitor.get(f"/desk/citizen/requests/{request_id}")
    assert "Подано, чекає рішення" in waiting.text
    assert "Рішення ще не прийнято" in waiting.text
    assert "Відкликати заяву" in waiting.text
    early = await visitor.get(f"/desk/requests/{request_id}/decision.pdf")
    assert early.status_code == 409

    decided = await world.post(
        "caseworker",
        f"/api/requests/{request_id}/decision",
        {"decision": "approve", "comment": "Документи в порядку"},
    )
    assert decided.status_code == 200, decided.text
    page = await visitor.get(f"/desk/citizen/requests/{request_id}")
    assert page.status_code == 200
    assert "Заяву схвалено" in page.text
    assert "Документи в порядку" in page.text
    assert "(громада)" in page.text  # who decided: the municipality, no staff name
    assert world.actors["caseworker"].username not in page.text
    assert "Відкликати заяву" not in page.text
    letter = await visitor.get(f"/desk/requests/{request_id}/decision.pdf")
    assert letter.status_code == 200
    assert letter.content.startswith(b"%PDF")


@pytest.mark.world_plugins("funeral_aid")
async def test_withdraw_and_nobody_elses_request(world: World, visitor: httpx.AsyncClient) -> None:
    request_id = await _apply_online(world, visitor)
    page = await visitor.get(f"/desk/citizen/requests/{request_id}")
    gone = await visitor.post(
        f"/desk/citizen/requests/{request_id}/withdraw",
        data={"_csrf": form_token(page.text), "comment": "Вже не потрібно"},
    )
    assert gone.status_code == 303
    shown = await visitor.get(gone.headers["location"])
    assert "Заяву відкликано." in shown.text
    assert "Відкликано" in shown.text
    row = await Request.select(Request.status).where(Request.id == request_id).first()
    assert row is not None
    assert row["status"] == "withdrawn"
    again = await visitor.post(
        f"/desk/citizen/requests/{request_id}/withdraw", data={"_csrf": form_token(page.text)}
    )
    assert again.status_code == 409

    other = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": world.other_citizen_id,
            "form": funeral_form(),
        },
    )
    assert other.status_code == 201, other.text
    theirs = other.json()["id"]
    for url in (
        f"/desk/citizen/requests/{theirs}",
        f"/desk/requests/{theirs}/application.pdf",
        f"/desk/requests/{theirs}/decision.pdf",
    ):
        assert (await visitor.get(url)).status_code == 404, url
    refused = await visitor.post(
        f"/desk/citizen/requests/{theirs}/withdraw", data={"_csrf": form_token(page.text)}
    )
    assert refused.status_code == 404
    receipt = await visitor.get(f"/desk/requests/{request_id}/receipt.pdf")
    assert receipt.status_code == 403  # the receipt is the office's paper


@pytest.mark.world_plugins("funeral_aid")
async def test_who_looked_at_my_data(world: World, visitor: httpx.AsyncClient) -> None:
    request_id = await _apply_online(world, visitor)
    journal = (await Request.select(Request.journal_number).where(Request.id == request_id))[0][
        "journal_number"
    ]
    before = await visitor.get("/desk/citizen/data")
    assert before.status_code == 200, before.text
    assert "Мої дані і хто їх переглядав" in before.text
    assert "Поки ніхто не переглядав ваших даних." in before.text  # own reads are not listed

    read = await world.get("caseworker", f"/api/requests/{request_id}")
    assert read.status_code == 200
    other = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": world.other_citizen_id,
            "form": funeral_form(),
        },
    )
    theirs = other.json()["id"]
    assert (await world.get("caseworker", f"/api/requests/{theirs}")).status_code == 200
    other_journal = other.json()["journal_number"]

    after = await visitor.get("/desk/citizen/data")
    assert f"перегляд звернення {journal}" in after.text
    assert "бек-офіс" in after.text  # the role, not the name
    assert "caseworker user" not in after.text
    assert other_journal not in after.text
    shown = after.text.count("<li>")
    again = await visitor.get("/desk/citizen/data")
    assert again.text.count("<li>") == shown  # looking at the list adds nothing to it

    english = await visitor.get("/desk/citizen/data?lang=en")
    assert f"viewed request {journal}" in english.text

    staff = await world.get("caseworker", "/desk/citizen/data")
    assert staff.status_code in (401, 403)

    # A municipality may choose to name its staff in the list.
    named = {
        "key": "core.access_log_staff_names",
        "valid_from": (clock.today() - timedelta(days=1)).isoformat(),
        "value": True,
    }
    assert (await world.post("admin", "/api/parameters", named)).status_code == 201
    shown_named = await visitor.get("/desk/citizen/data?lang=uk")
    assert "caseworker user (бек-офіс" in shown_named.text


async def test_citizen_menu(world: World, visitor: httpx.AsyncClient) -> None:
    await sign_in(visitor, f"{world.slug}.citizen")
    home = await visitor.get("/desk/citizen")
    assert 'href="/desk/citizen/data"' in home.text
    assert 'href="/check"' in home.text
