"""Many months of a periodic benefit made due at once (``payout_batch.make_due_many``):
each payout gets the checks a single ``make_due`` gives it, the budget line's money is
committed in the order given while it lasts, and a batch made again makes nothing twice."""

from __future__ import annotations

from typing import Any

from core.db.market import BudgetLine, Payout
from core.db.tables import AuditLog, Request
from core.errors import Conflict, Invalid
from core.workflow.market.payout_batch import DueIn, make_due_many
from tests.market.flow import budget_line, ok, this_year
from tests.world import World

SERVICE = "funeral_aid.lump_sum"
IBAN = "UA213223130000026007233566001"


async def _request(w: World) -> dict[str, Any]:
    row = Request(
        municipality=w.municipality_id,
        journal_number=f"B-{w.slug}",
        service_code=SERVICE,
        citizen=w.citizen_id,
        channel="front_office",
        eligibility="eligible",
        status="approved",
        applicant_snapshot='{"last_name": "Коваль", "first_name": "Ірина"}',
    )
    await row.save()
    found = await Request.select().where(Request.id == row.id).first()
    assert found is not None
    return found


async def test_months_are_made_due_in_order_while_the_line_has_money(world: World) -> None:
    w = world
    line = await budget_line(w, "250.00", code="2730", lump_sums=[SERVICE])
    request = await _request(w)
    actor = w.actors["accountant"]
    items = [
        # Months of the budget line's year (this year's).
        DueIn(request=request, period=f"{this_year()}-0{m}", iban=IBAN, amount_kop=10_000)
        for m in (1, 2, 3)
    ] + [DueIn(request=request, period=f"{this_year()}-13", iban=IBAN, amount_kop=10_000)]

    out = await make_due_many(actor, SERVICE, items)

    assert [o.created for o in out] == [True, True, False, False]
    assert isinstance(out[2].refusal, Conflict)
    assert "бракує коштів" in out[2].refusal.message
    assert "50.00" in out[2].refusal.message
    assert isinstance(out[3].refusal, Invalid)
    assert out[3].refusal.field == "period"
    rows = await Payout.select().where(Payout.request == request["id"]).order_by(Payout.period)
    assert [(r["period"], r["amount_kop"], r["status"], r["payee_name"]) for r in rows] == [
        (f"{this_year()}-01", 10_000, "due", "Коваль Ірина"),
        (f"{this_year()}-02", 10_000, "due", "Коваль Ірина"),
    ]
    committed = await BudgetLine.select(BudgetLine.committed_kop).where(BudgetLine.id == line["id"])
    assert committed[0]["committed_kop"] == 20_000
    assert (
        await AuditLog.count().where(
            (AuditLog.action == "payout.due") & AuditLog.subject_id.is_in([r["id"] for r in rows])
        )
        == 2
    )

    again = await make_due_many(actor, SERVICE, items[:2])

    assert [(o.payout_id, o.created, o.amount_kop) for o in again] == [
        (r["id"], False, 10_000) for r in rows
    ]
    committed = await BudgetLine.select(BudgetLine.committed_kop).where(BudgetLine.id == line["id"])
    assert committed[0]["committed_kop"] == 20_000
    assert (await ok(await w.get("accountant", "/api/payouts")))[0]["iban"] == IBAN
