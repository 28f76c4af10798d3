"""Rating a visit at the office kiosk: the code printed on the ticket, an invitation of
kind ``visit`` when the ticket is served, one anonymous answer per ticket, refusals in the
visitor's language, and the answer counted in the quality report under the office."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
import time_machine

from core.db.quality import SurveyAnswer, SurveyInvitation
from core.db.tables import QueueTicket
from core.reports.satisfaction import summary
from core.workflow import quality, visit_rating
from core.workflow import visit_queue as vq
from tests.web.conftest import form_token, sign_in
from tests.web.test_queue import WEDNESDAY, _desk, _staff
from tests.world import World

pytestmark = pytest.mark.db


async def _code(visitor: httpx.AsyncClient, world: World, ticket_id: int) -> str:
    slip = await visitor.get(f"/queue/{world.office_id}/tickets/{ticket_id}")
    found = re.search(r'id="rating-code">([A-Z0-9]{6})<', slip.text)
    assert found, slip.text
    return found.group(1)


async def _serve(app: Any, world: World, ticket_id: int) -> None:
    async with _staff(app, world) as staff:
        assert (await _desk(staff, world, 1, "call")).status_code == 303
        assert (await _desk(staff, world, 1, "start", ticket_id)).status_code == 303
        assert (await _desk(staff, world, 1, "done", ticket_id)).status_code == 303


async def _enter(visitor: httpx.AsyncClient, world: World, code: str, **kw: str) -> httpx.Response:
    form = await visitor.get(f"/queue/{world.office_id}/rate", params=kw)
    assert form.status_code == 200
    return await visitor.post(
        f"/queue/{world.office_id}/rate",
        params=kw,
        data={"_csrf": form_token(form.text), "code": code},
    )


async def _answer(
    visitor: httpx.AsyncClient, world: World, page: httpx.Response, code: str, rating: int
) -> httpx.Response:
    asked = await quality.questions(world.municipality_id, "visit")
    data = {"_csrf": form_token(page.text), "code": code, "comment": "Швидко, дякую"}
    data |= {f"q{q.id}": str(rating) for q in asked}
    return await visitor.post(f"/queue/{world.office_id}/rate/answer", data=data)


async def test_a_served_visitor_rates_the_visit_once(
    world: World, app: Any, visitor: httpx.AsyncClient
) -> None:
    with time_machine.travel(WEDNESDAY, tick=False) as travel:
        kiosk = await visitor.get(f"/queue/{world.office_id}/kiosk")
        assert f'href="/queue/{world.office_id}/rate"' in kiosk.text
        first = await vq.issue_ticket(world.office_id, "A")
        second = await vq.issue_ticket(world.office_id, "A")
        code = await _code(visitor, world, first.id)
        other = await _code(visitor, world, second.id)

        # Not served yet: nothing to rate.
        early = await _enter(visitor, world, code)
        assert early.status_code == 409
        assert "візит ще не завершено" in early.text
        unknown = await _enter(visitor, world, "ZZZZZZ", lang="en")
        assert unknown.status_code == 404
        assert "code not found" in unknown.text

        travel.move_to(WEDNESDAY + timedelta(minutes=5))
        await _serve(app, world, first.id)
        invitations = await SurveyInvitation.select().where(SurveyInvitation.ticket == first.id)
        assert [(i["kind"], i["office"], i["citizen"]) for i in invitations] == [
            ("visit", world.office_id, None)
        ]

        travel.move_to(WEDNESDAY + timedelta(minutes=20))
        # Typed in lower case with a dash, as people do.
        typed = f"{code[:3].lower()}-{code[3:].lower()}"
        form = await _enter(visitor, world, typed, lang="uk")
        assert form.status_code == 200
        assert "Як вас обслужили в офісі?" in form.text
        missing = await visitor.post(
            f"/queue/{world.office_id}/rate/answer",
            data={"_csrf": form_token(form.text), "code": code},
        )
        assert missing.status_code == 400
        assert "Оцініть це питання." in missing.text
        done = await _answer(visitor, world, form, code, 4)
        assert done.status_code == 303
        assert done.headers["location"] == f"/queue/{world.office_id}/rate/thanks"
        thanks = await visitor.get(done.headers["location"])
        assert "Дякуємо за оцінку" in thanks.text

        again = await _enter(visitor, world, code)
        assert again.status_code == 409
        assert "цей візит уже оцінено" in again.text
        twice = await _answer(visitor, world, form, code, 1)
        assert twice.status_code == 409
        with pytest.raises(visit_rating.Conflict):
            await visit_rating.rate(world.office_id, code, {}, "")

        answers = await SurveyAnswer.select().where(
            SurveyAnswer.municipality == world.municipality_id
        )
        assert [
            (a["kind"], a["channel"], a["office"], a["citizen"], a["anonymous"], a["comment"])
            for a in answers
        ] == [("visit", "kiosk", world.office_id, None, True, "Швидко, дякую")]
        # Anonymous: the invitation no longer leads to the ticket.
        left = await SurveyInvitation.select(SurveyInvitation.ticket).where(
            SurveyInvitation.id == answers[0]["invitation"]
        )
        assert left == [{"ticket": None}]

        # The second visitor is served and rates 2: the office averages 3.00 of two.
        await _serve(app, world, second.id)
        form = await _enter(visitor, world, other)
        assert (await _answer(visitor, world, form, other, 2)).status_code == 303
        by_office = await quality.satisfaction(world.municipality_id, "office")
        assert by_office == [(str(world.office_id), 2, 2, pytest.approx(3))]
        month = await summary(world.municipality_id, WEDNESDAY.date(), WEDNESDAY.date())
        assert (month.totals.answers, str(month.totals.average)) == (2, "3.00")

        await sign_in(visitor, f"{world.slug}.admin")
        report = await visitor.get("/desk/quality")
        assert report.status_code == 200
        assert "Візит до офісу" in report.text


async def test_a_no_show_has_nothing_to_rate(
    world: World, app: Any, visitor: httpx.AsyncClient
) -> None:
    with time_machine.travel(WEDNESDAY, tick=False):
        ticket = await vq.issue_ticket(world.office_id, "A")
        code = await _code(visitor, world, ticket.id)
        async with _staff(app, world) as staff:
            assert (await _desk(staff, world, 1, "call")).status_code == 303
            assert (await _desk(staff, world, 1, "no-show", ticket.id)).status_code == 303
        refused = await _enter(visitor, world, code, lang="en")
        assert refused.status_code == 409
        assert "the visit is not over yet" in refused.text
        row = await QueueTicket.select(QueueTicket.rating_code).where(QueueTicket.id == ticket.id)
        assert row == [{"rating_code": code}]
        assert not await SurveyInvitation.exists().where(SurveyInvitation.ticket == ticket.id)
