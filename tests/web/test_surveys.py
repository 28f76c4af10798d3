"""Satisfaction and quality: an invitation when a request is decided and when its
assignment ends, one answer per invitation, anonymous answers, the averages of the
report, complaints with their term, who may see what, and the English survey."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import httpx
import msgspec
import pytest
import time_machine
from openpyxl import load_workbook

from core import clock
from core.db.market import Delivery, Invoice
from core.db.quality import (
    Complaint,
    DeliveryRefusal,
    SurveyAnswer,
    SurveyInvitation,
    SurveyRating,
)
from core.db.tables import OutboxMessage
from core.notify import consent
from core.platform import Platform
from core.workflow import quality
from tests.funeral import funeral_form
from tests.market.flow import direct_contract, homeless_person, ok, served_request
from tests.web.conftest import form_token, sign_in
from tests.world import World

FUNERAL = "funeral_aid.lump_sum"


async def _decided(world: World, app: Any, deceased: str) -> dict[str, Any]:
    """A funeral aid request of the world's citizen, approved by the caseworker's page."""
    r = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": FUNERAL,
            "citizen_id": world.citizen_id,
            "form": funeral_form(None, deceased_last_name=deceased),
        },
    )
    assert r.status_code == 201, r.text
    req: dict[str, Any] = r.json()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as staff:
        await sign_in(staff, f"{world.slug}.caseworker")
        page = await staff.get(f"/desk/requests/{req['id']}")
        decided = await staff.post(
            f"/desk/requests/{req['id']}/decision",
            data={"_csrf": form_token(page.text), "decision": "approve"},
        )
        assert decided.status_code == 303, decided.text
    return req


def _ratings(questions: list[quality.Question], values: list[int]) -> dict[str, str]:
    return {f"q{q.id}": str(v) for q, v in zip(questions, values, strict=True)}


async def _token_of(request_id: int) -> str:
    mail = (
        await OutboxMessage.select(OutboxMessage.body)
        .where((OutboxMessage.request == request_id) & (OutboxMessage.event == "survey.decision"))
        .first()
    )
    assert mail is not None
    found = re.search(r"/survey/([A-Za-z0-9_-]+)", mail["body"])
    assert found
    return found.group(1)


@pytest.mark.world_plugins("funeral_aid")
async def test_a_decision_invites_the_citizen_who_answers_once_in_the_cabinet(
    world: World, app: Any, visitor: httpx.AsyncClient
) -> None:
    req = await _decided(world, app, "Опитний")
    invitations = await SurveyInvitation.select().where(SurveyInvitation.request == req["id"])
    assert len(invitations) == 1
    invitation = invitations[0]
    assert invitation["kind"] == "decision"
    assert invitation["citizen"] == world.citizen_id
    assert len(invitation["token_hash"]) == 64  # only the hash is kept
    # No consent, no e-mail: the invitation waits in the cabinet.
    assert not await OutboxMessage.exists().where(
        (OutboxMessage.event == "survey.decision") & (OutboxMessage.request == req["id"])
    )

    await sign_in(visitor, f"{world.slug}.citizen")
    home = await visitor.get("/desk/citizen")
    assert "Оцініть послугу" in home.text
    href = f"/desk/citizen/surveys/{invitation['id']}"
    assert href in home.text
    form = await visitor.get(href)
    assert form.status_code == 200
    assert "Наскільки зрозуміло вам пояснили рішення?" in form.text
    assert "5 — дуже добре" in form.text
    assert req["journal_number"] in form.text
    asked = await quality.questions(world.municipality_id, "decision")
    # A question left out: the form again, the error beside it.
    partial = _ratings(asked[:2], [5, 4])
    bad = await visitor.post(href, data={"_csrf": form_token(form.text), **partial})
    assert bad.status_code == 400
    assert f'id="q{asked[2].id}-error"' in bad.text
    sent = await visitor.post(
        href,
        data={
            "_csrf": form_token(form.text),
            **_ratings(asked, [5, 4, 3]),
            "comment": "Дякую за швидкість",
        },
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == "/survey/thanks"
    answer = await SurveyAnswer.select().where(SurveyAnswer.invitation == invitation["id"]).first()
    assert answer is not None
    assert answer["citizen"] == world.citizen_id
    assert answer["channel"] == "cabinet"
    assert not answer["anonymous"]
    ratings = await SurveyRating.select(SurveyRating.rating).where(
        SurveyRating.answer == answer["id"]
    )
    assert sorted(r["rating"] for r in ratings) == [3, 4, 5]
    # Once only: the page says so, the post changes nothing, and the database refuses a
    # second answer to the same invitation.
    again = await visitor.get(href)
    assert again.status_code == 409
    assert "вже відповіли" in again.text
    twice = await visitor.post(
        href, data={"_csrf": form_token(form.text), **_ratings(asked, [1, 1, 1])}
    )
    assert twice.status_code == 409
    assert await SurveyAnswer.count().where(SurveyAnswer.invitation == invitation["id"]) == 1
    with pytest.raises(Exception):  # noqa: B017, PT011 — the driver's unique violation
        await SurveyAnswer(
            municipality=world.municipality_id,
            invitation=invitation["id"],
            kind="decision",
            channel="link",
            service_code=FUNERAL,
            answered_at=clock.now(),
        ).save()
    home = await visitor.get("/desk/citizen")
    assert href not in home.text


@pytest.mark.world_plugins("funeral_aid")
async def test_the_e_mail_link_works_without_sign_in_and_anonymous_drops_the_person(
    world: World, app: Any, visitor: httpx.AsyncClient
) -> None:
    await consent.record(
        world.actors["citizen"],
        world.citizen_id,
        agree=True,
        address=f"survey.{world.slug}@example.org",
    )
    req = await _decided(world, app, "Анонімний")
    token = await _token_of(req["id"])
    page = await visitor.get(f"/survey/{token}?lang=en")
    assert page.status_code == 200
    assert "Rate the service" in page.text
    assert "How clearly was the decision explained?" in page.text
    assert "5 — very good" in page.text
    assert "Answer anonymously" in page.text
    asked = await quality.questions(world.municipality_id, "decision")
    sent = await visitor.post(
        f"/survey/{token}",
        data={"_csrf": form_token(page.text), **_ratings(asked, [2, 3, 4]), "anonymous": "on"},
    )
    assert sent.status_code == 303
    thanks = await visitor.get("/survey/thanks?lang=en")
    assert "Thank you for your rating" in thanks.text
    answer = (
        await SurveyAnswer.select()
        .where(SurveyAnswer.service_code == FUNERAL)
        .where(SurveyAnswer.municipality == world.municipality_id)
        .first()
    )
    assert answer is not None
    assert answer["anonymous"] is True
    assert answer["citizen"] is None
    assert answer["channel"] == "link"
    invitation = (
        await SurveyInvitation.select().where(SurveyInvitation.id == answer["invitation"]).first()
    )
    assert invitation is not None
    assert invitation["citizen"] is None
    assert invitation["request"] is None
    used = await visitor.get(f"/survey/{token}")
    assert used.status_code == 409
    unknown = await visitor.get("/survey/not-a-token?lang=uk")
    assert unknown.status_code == 404
    assert "Запрошення не знайдено" in unknown.text


@pytest.mark.world_plugins("funeral_aid")
async def test_an_expired_invitation_says_so(
    world: World, app: Any, visitor: httpx.AsyncClient
) -> None:
    await consent.record(
        world.actors["citizen"], world.citizen_id, agree=True, address="late@example.org"
    )
    req = await _decided(world, app, "Запізнілий")
    token = await _token_of(req["id"])
    with time_machine.travel(clock.now() + timedelta(days=quality.SURVEY_DAYS + 1)):
        page = await visitor.get(f"/survey/{token}")
        assert page.status_code == 410
        assert "Строк запрошення минув" in page.text


async def test_closing_an_assignment_invites_per_assignment_and_the_provider_sees_it(
    world: World, platform: Platform
) -> None:
    w = world
    today = clock.today()
    contract = await direct_contract(w, today - timedelta(days=60), today + timedelta(days=60))
    await homeless_person(w, registered_on=today - timedelta(days=60))
    req = await served_request(
        w, platform, contract["id"], since=today - timedelta(days=10), assigned_on=today
    )
    # A delivery the checks refuse (in the future) is kept for the provider's quality.
    refused = await w.post(
        "provider",
        "/api/deliveries",
        {
            "request_id": req["id"],
            "delivered_on": (today + timedelta(days=1)).isoformat(),
            "idempotency_key": "future",
            "data": {"night": (today + timedelta(days=1)).isoformat()},
        },
    )
    assert refused.status_code == 422
    assert await DeliveryRefusal.count().where(DeliveryRefusal.provider == w.provider_id) == 1
    made = await w.post(
        "provider",
        "/api/deliveries",
        {
            "request_id": req["id"],
            "delivered_on": today.isoformat(),
            "idempotency_key": "today",
            "data": {"night": today.isoformat()},
        },
    )
    assert made.status_code == 201, made.text
    await ok(await w.post("caseworker", f"/api/requests/{req['id']}/close", {"comment": ""}))
    invitations = await SurveyInvitation.select().where(
        (SurveyInvitation.request == req["id"]) & (SurveyInvitation.kind == "delivery")
    )
    assert len(invitations) == 1
    assert invitations[0]["provider"] == w.provider_id
    assert invitations[0]["assignment"] is not None
    invitation = (await quality.open_for(w.actors["citizen"]))[0]
    assert invitation.kind == "delivery"
    found = await quality.of_citizen(w.actors["citizen"], invitation.id)
    asked = await quality.questions(w.municipality_id, "delivery")
    assert [q.text.uk for q in asked] == ["Якість послуги", "Чи вчасно?"]
    await quality.answer(
        found, {asked[0].id: 4, asked[1].id: 5}, comment="", anonymous=False, channel="cabinet"
    )
    rows = await quality.provider_quality(w.municipality_id, w.provider_id)
    assert len(rows) == 1
    mine = rows[0]
    assert mine.answers == 1
    assert str(mine.average) == "4.50"
    assert mine.refused_deliveries == 1
    assert mine.deliveries == 1
    assert mine.on_time == 1
    assert str(mine.on_time_rate) == "100.0"
    # A delivery entered late lowers the rate (recorded ten days after its day).
    await Delivery.update({Delivery.recorded_at: clock.now() + timedelta(days=10)}).where(
        Delivery.provider == w.provider_id
    )
    assert (await quality.provider_quality(w.municipality_id, w.provider_id))[0].on_time == 0
    assert not await Invoice.exists().where(Invoice.provider == w.provider_id)
    page = await w.get("provider", "/desk/provider")
    assert "Якість: ваші показники" in page.text
    assert "4.50" in page.text


@pytest.mark.world_plugins("funeral_aid")
async def test_the_report_averages_in_sql_and_its_xlsx(
    world: World, app: Any, visitor: httpx.AsyncClient
) -> None:
    citizen = world.actors["citizen"]
    for name, values in (("Середній", [5, 5, 5]), ("Середня", [4, 2, 3])):
        await _decided(world, app, name)
        found = await quality.of_citizen(citizen, (await quality.open_for(citizen))[0].id)
        asked = await quality.questions(world.municipality_id, "decision")
        await quality.answer(
            found,
            {q.id: v for q, v in zip(asked, values, strict=True)},
            comment="",
            anonymous=False,
            channel="cabinet",
        )
    by_service = await quality.satisfaction(world.municipality_id, "service")
    assert [(k, n, r, str(avg)) for k, n, r, avg in by_service] == [(FUNERAL, 2, 6, "4.00")]
    by_question = await quality.satisfaction(world.municipality_id, "question")
    assert [str(avg) for _, _, _, avg in by_question] == ["4.50", "3.50", "4.00"]
    await sign_in(visitor, f"{world.slug}.admin")
    report = await visitor.get("/desk/quality")
    assert report.status_code == 200
    service_table = report.text.split('id="satisfaction-service"')[1].split("</table>")[0]
    assert "4.00" in service_table
    assert ">2<" in service_table
    assert "4.50" in report.text.split('id="satisfaction-question"')[1].split("</table>")[0]
    xlsx = await visitor.get("/desk/quality/satisfaction.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    cells: list[tuple[Any, ...]] = [
        tuple(row) for row in sheet.iter_rows(values_only=True) if row and row[0]
    ]
    assert ("За послугами", "Відповідей", "Середня оцінка (1–5)") in cells
    assert any(row[1:3] == (2, 4.0) for row in cells)


@pytest.mark.world_plugins("funeral_aid")
async def test_complaints_have_a_term_and_the_overdue_come_first(
    world: World, app: Any, visitor: httpx.AsyncClient
) -> None:
    req = await _decided(world, app, "Скаржний")
    await sign_in(visitor, f"{world.slug}.citizen")
    page = await visitor.get("/desk/citizen/complaints")
    assert page.status_code == 200
    assert "30 днів" in page.text
    assert f"decision:{req['id']}" in page.text
    short = await visitor.post(
        "/desk/citizen/complaints",
        data={"_csrf": form_token(page.text), "about": f"decision:{req['id']}", "text": "ні"},
    )
    assert short.status_code == 400
    assert 'id="text-error"' in short.text
    filed = await visitor.post(
        "/desk/citizen/complaints",
        data={
            "_csrf": form_token(page.text),
            "about": f"decision:{req['id']}",
            "text": "Не погоджуюся з розміром допомоги",
        },
    )
    assert filed.status_code == 303
    due = clock.today() + timedelta(days=30)
    assert due.isoformat() in filed.headers["location"]
    row = await Complaint.select().where(Complaint.request == req["id"]).first()
    assert row is not None
    assert row["due_on"] == due
    assert row["channel"] == "cabinet"
    assert row["citizen"] == world.citizen_id
    # Another citizen's request cannot be complained about from this cabinet.
    with pytest.raises(Exception):  # noqa: B017, PT011
        await quality.file(
            world.actors["citizen"],
            about="decision",
            text="Чуже звернення, не моє",
            request_id=req["id"] + 10_000,
        )
    # A paper complaint received 40 days ago about the provider: overdue, listed first.
    admin = world.actors["admin"]
    old = await quality.file(
        admin,
        about="provider",
        text="Надавач не прийшов у призначений день",
        provider_id=world.provider_id,
        received_on=clock.today() - timedelta(days=40),
        author="Іваненко Петро",
    )
    listed = await quality.complaints(world.municipality_id)
    assert [c.id for c in listed] == [old, row["id"]]
    assert listed[0].overdue
    assert not listed[1].overdue
    staff = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    async with staff:
        await sign_in(staff, f"{world.slug}.admin")
        report = await staff.get("/desk/quality")
        complaints = report.text.split('id="complaints-title"')[1]
        assert complaints.index("Надавач не прийшов") < complaints.index("Не погоджуюся")
        assert "прострочено" in complaints
        closed = await staff.post(
            f"/desk/quality/complaints/{old}/close",
            data={"_csrf": form_token(report.text), "outcome": "upheld", "outcome_text": "Так"},
        )
        assert closed.status_code == 303
        paper = await staff.post(
            "/desk/quality/complaints",
            data={
                "_csrf": form_token(report.text),
                "number": req["journal_number"],
                "text": "Скарга на рішення, подана на папері",
                "author": "Петренко",
                "received_on": clock.today().isoformat(),
            },
        )
        assert paper.status_code == 303, paper.text
    listed = await quality.complaints(world.municipality_id)
    assert listed[-1].id == old
    assert listed[-1].outcome == "upheld"
    assert (await quality.provider_quality(world.municipality_id, world.provider_id))[
        0
    ].complaints == 1
    # The term is a dated parameter: a municipality may set a shorter one.
    r = await world.post(
        "admin",
        "/api/parameters",
        {
            "key": quality.COMPLAINT_TERM,
            "valid_from": clock.today().isoformat(),
            "value": 15,
            "note": "рішення ради",
        },
    )
    assert r.status_code == 201, r.text
    assert await quality.term_of(world.municipality_id, clock.today()) == clock.today() + timedelta(
        days=15
    )


@pytest.mark.world_plugins("funeral_aid")
async def test_who_may_see_what(world: World, app: Any) -> None:
    for role, status in (
        ("admin", 200),
        ("auditor", 200),
        ("citizen", 403),
        ("provider", 403),
        ("caseworker", 403),
        ("accountant", 403),
    ):
        page = await world.get(role, "/desk/quality")
        assert page.status_code == status, (role, page.status_code)
        xlsx = await world.get(role, "/desk/quality/satisfaction.xlsx")
        assert xlsx.status_code == status, role
    assert (await world.get("auditor", "/desk/quality/questions")).status_code == 403
    assert (await world.get("admin", "/desk/quality/questions")).status_code == 200
    assert (await world.get("caseworker", "/desk/citizen/complaints")).status_code == 403
    assert (await world.get("auditor", "/desk/citizen/surveys/1")).status_code == 403
    anonymous = await world.get(None, "/desk/quality")
    assert anonymous.status_code in (401, 303)
    # The auditor reads the report but records nothing.
    closed = await world.post("auditor", "/desk/quality/complaints/1/close", data={})
    assert closed.status_code == 403
    # An invitation of another citizen is not found in this citizen's cabinet.
    req = await _decided(world, app, "Чужий")
    invitation = (
        await SurveyInvitation.select(SurveyInvitation.id)
        .where(SurveyInvitation.request == req["id"])
        .first()
    )
    assert invitation is not None
    other = msgspec.structs.replace(world.actors["citizen"], citizen_id=world.other_citizen_id)
    with pytest.raises(Exception):  # noqa: B017, PT011 — NotFound
        await quality.of_citizen(other, invitation["id"])


@pytest.mark.world_plugins("funeral_aid")
async def test_the_admin_changes_the_questions(world: World, visitor: httpx.AsyncClient) -> None:
    await sign_in(visitor, f"{world.slug}.admin")
    page = await visitor.get("/desk/quality/questions?lang=en")
    assert "How fast?" in page.text
    added = await visitor.post(
        "/desk/quality/questions",
        data={
            "_csrf": form_token(page.text),
            "kind": "decision",
            "text_uk": "Чи легко було подати заяву?",
            "text_en": "Was it easy to apply?",
        },
    )
    assert added.status_code == 303
    asked = await quality.questions(world.municipality_id, "decision")
    assert asked[-1].text.en == "Was it easy to apply?"
    retired = await visitor.post(
        f"/desk/quality/questions/{asked[1].id}/retire", data={"_csrf": form_token(page.text)}
    )
    assert retired.status_code == 303
    assert [q.text.en for q in await quality.questions(world.municipality_id, "decision")] == [
        "How clearly was the decision explained?",
        "How courteous?",
        "Was it easy to apply?",
    ]
