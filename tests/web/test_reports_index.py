"""The reports' index (`/desk/reports`): this month's terms-met rate, spending against the
allocation (and this month's spending) and satisfaction — the average rating and the
number of answers, in all and per service — with a link to the quality report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
import time_machine

from core.db.quality import SurveyAnswer, SurveyInvitation, SurveyRating
from core.reports.satisfaction import summary
from core.web.formats import money
from core.workflow import quality
from tests.web.conftest import sign_in
from tests.web.test_reports import A, B, build
from tests.world import World

pytestmark = pytest.mark.db

#: "Today" is in November, the month the dataset of test_reports is built in.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


async def _answer(w: World, n: int, service: str, at: datetime, ratings: list[int]) -> None:
    asked = await quality.questions(w.municipality_id, "decision")
    invitation = SurveyInvitation(
        municipality=w.municipality_id,
        kind="decision",
        service_code=service,
        office=w.office_id,
        token_hash=f"{w.municipality_id:030d}{n:034d}",
        created_at=at - timedelta(days=1),
        expires_at=at + timedelta(days=29),
        answered_at=at,
    )
    await invitation.save()
    answer = SurveyAnswer(
        municipality=w.municipality_id,
        invitation=invitation.id,
        kind="decision",
        anonymous=True,
        channel="link",
        service_code=service,
        office=w.office_id,
        answered_at=at,
    )
    await answer.save()
    for question, rating in zip(asked, ratings, strict=False):
        await SurveyRating(answer=answer.id, question=question.id, rating=rating).save()


async def _answers(w: World) -> None:
    """Three answers in November in Kyiv (A: 5 5 4 and 3 3 3; B: 4 4 5, given at 22:30 UTC
    on 31 October, which is 00:30 on 1 November in Kyiv), one in October (B: 1 1 1) and one
    at 22:30 UTC on 30 November, which is 1 December in Kyiv (B: 1 1 1)."""
    await _answer(w, 1, A, datetime(2026, 11, 3, 9, 0, tzinfo=UTC), [5, 5, 4])
    await _answer(w, 2, A, datetime(2026, 11, 20, 9, 0, tzinfo=UTC), [3, 3, 3])
    await _answer(w, 3, B, datetime(2026, 10, 31, 22, 30, tzinfo=UTC), [4, 4, 5])
    await _answer(w, 4, B, datetime(2026, 10, 30, 12, 0, tzinfo=UTC), [1, 1, 1])
    await _answer(w, 5, B, datetime(2026, 11, 30, 22, 30, tzinfo=UTC), [1, 1, 1])


async def test_satisfaction_of_the_month(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        await _answers(world)
        got = await summary(world.municipality_id, date(2026, 11, 1), date(2026, 11, 30))
    # A: (5+5+4+3+3+3)/6 = 3.83; B: 13/3 = 4.33; all: 36/9 = 4.00.
    assert [(r.key, r.answers, str(r.average)) for r in got.rows] == [
        (A, 2, "3.83"),
        (B, 1, "4.33"),
    ]
    assert (got.totals.answers, str(got.totals.average)) == (3, "4.00")


async def test_the_index_shows_the_three_figures_of_the_month(
    world: World, visitor: httpx.AsyncClient
) -> None:
    with time_machine.travel(NOW, tick=False):
        await build(world)
        await _answers(world)
        await sign_in(visitor, f"{world.slug}.admin")
        page = await visitor.get("/desk/reports")
        assert page.status_code == 200
        text = page.text
        # Terms met: of the five November requests decided, four on time.
        assert '<strong id="terms-share">80.0 %</strong>' in text
        # The year's spending 2,500 of 100,000 (2.5 %); in November 1,700.
        assert money(Decimal("2500.00"), "uk") in text
        assert "(2.5 %)" in text
        assert f'<span id="spent-month">{money(Decimal("1700.00"), "uk")}' in text
        assert '<strong id="satisfaction">4.00</strong>' in text
        assert '<span id="satisfaction-answers">3</span> відповідей' in text
        assert 'id="satisfaction-by-service"' in text
        assert '<td class="num">3.83</td>' in text
        assert 'href="/desk/quality"' in text
        english = await visitor.get("/desk/reports?lang=en")
        assert "Satisfaction (average rating 1–5)" in english.text
        assert "3</span> answers" in english.text


async def test_the_index_says_when_nobody_answered(
    world: World, visitor: httpx.AsyncClient
) -> None:
    with time_machine.travel(NOW, tick=False):
        await sign_in(visitor, f"{world.slug}.accountant")
        page = await visitor.get("/desk/reports")
        assert page.status_code == 200
        assert "відповідей ще немає" in page.text
        # The accountant does not read the quality report: no link to it.
        assert 'href="/desk/quality"' not in page.text
