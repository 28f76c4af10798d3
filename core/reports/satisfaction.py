"""Satisfaction of a period, for the reports' index: the survey answers given in it
(after a decision, a delivery or a visit to the office) per service and in all — how many
answers and the average of their 1–5 ratings, counted and averaged by the database. The
full report, with offices, providers and questions, is ``/desk/quality``
(:func:`core.workflow.quality.satisfaction`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import msgspec

from core import clock
from core.reports.common import raw


class SatisfactionRow(msgspec.Struct, kw_only=True):
    key: str
    answers: int
    average: Decimal | None


class SatisfactionSummary(msgspec.Struct, kw_only=True):
    rows: list[SatisfactionRow]
    totals: SatisfactionRow


def _average(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _moment(day: date) -> datetime:
    """The start of a day in Kyiv."""
    return datetime.combine(day, time.min, tzinfo=clock.KYIV)


async def summary(municipality_id: int, start: date, end: date) -> SatisfactionSummary:
    """The answers given from ``start`` to ``end`` (both days included, Kyiv time) per
    service and in all; the average is over every rating of the answers."""
    values = [municipality_id, _moment(start), _moment(end + timedelta(days=1))]
    base = (
        "FROM survey_answer a JOIN survey_rating r ON r.answer = a.id "
        "WHERE a.municipality = {} AND a.answered_at >= {} AND a.answered_at < {}"
    )
    figures = "COUNT(DISTINCT a.id) AS answers, AVG(r.rating * 1.0) AS average"
    rows = await raw(
        f"SELECT a.service_code AS k, {figures} {base} "
        "GROUP BY a.service_code ORDER BY a.service_code",
        values,
    )
    whole = await raw(f"SELECT {figures} {base}", values)
    total = whole[0] if whole else {"answers": 0, "average": None}
    return SatisfactionSummary(
        rows=[
            SatisfactionRow(
                key=str(r["k"]), answers=int(r["answers"]), average=_average(r["average"])
            )
            for r in rows
        ],
        totals=SatisfactionRow(
            key="", answers=int(total["answers"] or 0), average=_average(total["average"])
        ),
    )
