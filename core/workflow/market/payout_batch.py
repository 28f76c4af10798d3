"""Many months of a periodic benefit made due at once: the set-wise path of
:func:`core.workflow.market.payouts.make_due`, for a pay run of thousands of households
paid in cash.

Each payout gets what a single one gets: the period's form, an amount above zero, the
request of the actor's municipality, one payout per request and period (the one made
already is returned, not made twice), and its money committed on the service's funding
line of the period's year, in the order given, while the line has it; the others are
refused with the line's remainder. The reads are one query per kind, and the writes one
update per budget line, one insert of the payouts and one of their audit rows.

Call it inside a write transaction that serialises callers for the requests (a pay run
holds its households' locks); a refusal is that payout's outcome, not an exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from core import clock
from core.actor import Actor
from core.db.market import BudgetLine, Payout
from core.db.tables import AuditLog
from core.errors import Conflict, Invalid, NotFound
from core.workflow.market import budget
from core.workflow.market.payouts import PERIOD, funding_line, payee
from core.workflow.market.units import from_kopiyky


class DueIn(msgspec.Struct, kw_only=True):
    """One payout to make due: the request's row, the month, the account and the sum."""

    request: dict[str, Any]
    period: str
    iban: str
    amount_kop: int


class DueOutcome(msgspec.Struct, kw_only=True):
    payout_id: int | None = None
    created: bool = False
    #: The payout's amount (the one made earlier, for a payout found made).
    amount_kop: int = 0
    refusal: Exception | None = None


def _invalid(actor: Actor, item: DueIn) -> Exception | None:
    if not PERIOD.match(item.period):
        return Invalid(f"період «{item.period}» не РРРР-ММ / period is not YYYY-MM", "period")
    if item.amount_kop <= 0:
        return Invalid(
            "сума виплати має бути більше нуля / the amount must be above zero", "amount"
        )
    if item.request["municipality"] != actor.municipality_id:
        return NotFound("звернення не знайдено / request not found", "request_id")
    return None


async def _made(items: list[DueIn]) -> dict[tuple[int, str], dict[str, Any]]:
    if not items:
        return {}
    rows = await Payout.select(Payout.id, Payout.request, Payout.period, Payout.amount_kop).where(
        Payout.request.is_in(sorted({int(i.request["id"]) for i in items}))
        & Payout.period.is_in(sorted({i.period for i in items}))
    )
    return {(int(r["request"]), r["period"]): r for r in rows}


async def _commit(
    line_id: int, items: list[tuple[int, DueIn]], out: list[DueOutcome]
) -> list[tuple[int, DueIn]]:
    """Commit the items' money on the line, in order, while it has it."""
    rows = await BudgetLine.raw(
        "UPDATE budget_line SET committed_kop = committed_kop WHERE id = {} "
        "RETURNING allocation_kop, committed_kop",
        line_id,
    )
    left = int(rows[0]["allocation_kop"]) - int(rows[0]["committed_kop"])
    kept: list[tuple[int, DueIn]] = []
    for index, item in items:
        if item.amount_kop > left:
            remaining = {"allocation_kop": left, "committed_kop": 0}
            out[index] = DueOutcome(
                refusal=budget.lacks_money(remaining, from_kopiyky(item.amount_kop))
            )
            continue
        left -= item.amount_kop
        kept.append((index, item))
    total = sum(i.amount_kop for _, i in kept)
    if total:
        await BudgetLine.raw(
            "UPDATE budget_line SET committed_kop = committed_kop + {} WHERE id = {}",
            total,
            line_id,
        )
    return kept


async def make_due_many(
    actor: Actor, service_code: str, items: Sequence[DueIn]
) -> list[DueOutcome]:
    """Make the payouts due (see the module's docstring); one outcome per item, in order."""
    out = [DueOutcome() for _ in items]
    todo: list[tuple[int, DueIn]] = []
    for index, item in enumerate(items):
        wrong = _invalid(actor, item)
        if wrong is not None:
            out[index] = DueOutcome(refusal=wrong)
        else:
            todo.append((index, item))
    made = await _made([i for _, i in todo])
    fresh: list[tuple[int, DueIn]] = []
    seen: set[tuple[int, str]] = set()
    for index, item in todo:
        key = (int(item.request["id"]), item.period)
        if key in made:
            found = made[key]
            out[index] = DueOutcome(payout_id=int(found["id"]), amount_kop=int(found["amount_kop"]))
        elif key in seen:
            out[index] = DueOutcome(
                refusal=Conflict("виплату за період уже внесено / already due", "period")
            )
        else:
            seen.add(key)
            fresh.append((index, item))
    lines: dict[int | None, list[tuple[int, DueIn]]] = {}
    funding: dict[int, int | None] = {}
    for index, item in fresh:
        year = int(item.period[:4])
        if year not in funding:
            funding[year] = await funding_line(actor.municipality_id, service_code, year)
        lines.setdefault(funding[year], []).append((index, item))
    kept: list[tuple[int, DueIn, int | None]] = []
    for line_id in sorted(lines, key=lambda x: -1 if x is None else x):
        group = lines[line_id]
        if line_id is not None:
            group = await _commit(line_id, group, out)
        kept += [(index, item, line_id) for index, item in group]
    if not kept:
        return out
    today = clock.today()
    rows = []
    for _, item, line_id in kept:
        name, tax_number = payee(item.request)
        rows.append(
            Payout(
                municipality=actor.municipality_id,
                request=item.request["id"],
                citizen=item.request["citizen"],
                service_code=service_code,
                payee_name=name,
                payee_tax_number=tax_number,
                iban=item.iban,
                amount_kop=item.amount_kop,
                budget_line=line_id,
                period=item.period,
                due_since=today,
            )
        )
    await Payout.insert(*rows)
    ids = await _made([item for _, item, _ in kept])
    await AuditLog.insert(
        *[
            AuditLog(
                municipality=actor.municipality_id,
                actor=actor.id,
                actor_role=actor.role,
                action="payout.due",
                subject="payout",
                subject_id=int(ids[(int(item.request["id"]), item.period)]["id"]),
                details=msgspec.json.encode(
                    {
                        "request": item.request["id"],
                        "amount": str(from_kopiyky(item.amount_kop)),
                        "budget_line": line_id,
                        "period": item.period,
                    }
                ).decode(),
                ip=actor.ip,
            )
            for _, item, line_id in kept
        ]
    )
    for index, item, _ in kept:
        stored = ids[(int(item.request["id"]), item.period)]
        out[index] = DueOutcome(
            payout_id=int(stored["id"]), created=True, amount_kop=int(stored["amount_kop"])
        )
    return out
