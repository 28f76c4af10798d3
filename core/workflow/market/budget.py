"""Budget lines: allocation, and money committed by contracts and lump sums.

``committed_kop`` moves only through a conditional UPDATE (and a database CHECK or
trigger guards it too), so parallel awards can never commit more than the allocation.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import msgspec

from core.actor import Actor
from core.db.engine import write_transaction
from core.db.market import BudgetLine, Contract, Invoice, Payout
from core.errors import Conflict, Invalid, NotFound
from core.platform import decode
from core.validators import Checked, PositiveMoney
from core.workflow import audit
from core.workflow.market.units import from_kopiyky, positive_money, to_kopiyky

ProgrammeCode = Annotated[str, msgspec.Meta(pattern=r"^\d{7}$")]
EconomicCode = Annotated[str, msgspec.Meta(pattern=r"^\d{4}$")]


class BudgetLineIn(Checked, kw_only=True, forbid_unknown_fields=True):
    year: Annotated[int, msgspec.Meta(ge=2000, le=2100)]
    programme_code: ProgrammeCode
    economic_code: EconomicCode
    name: Annotated[str, msgspec.Meta(min_length=3, max_length=255)]
    allocation: PositiveMoney
    lump_sum_services: list[Annotated[str, msgspec.Meta(max_length=128)]] = msgspec.field(
        default_factory=list
    )


class BudgetLinePatch(Checked, kw_only=True, forbid_unknown_fields=True):
    allocation: PositiveMoney | msgspec.UnsetType = msgspec.UNSET
    name: Annotated[str, msgspec.Meta(min_length=3, max_length=255)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    lump_sum_services: list[str] | msgspec.UnsetType = msgspec.UNSET


class BudgetLineOut(msgspec.Struct, kw_only=True):
    id: int
    year: int
    programme_code: str
    economic_code: str
    name: str
    lump_sum_services: list[str]
    allocated: Decimal
    committed: Decimal
    invoiced: Decimal
    paid: Decimal
    remaining: Decimal


async def figures(municipality_id: int, line_ids: list[int] | None = None) -> list[BudgetLineOut]:
    """Allocated, committed, invoiced (submitted or approved, not yet paid), paid, remaining."""
    where: Any = BudgetLine.municipality == municipality_id
    if line_ids is not None:
        where = where & BudgetLine.id.is_in(line_ids or [0])
    lines = (
        await BudgetLine.select()
        .where(where)
        .order_by(BudgetLine.year)
        .order_by(BudgetLine.programme_code)
        .order_by(BudgetLine.economic_code)
    )
    ids = [r["id"] for r in lines] or [0]
    invoiced: dict[int, int] = {}
    paid: dict[int, int] = {}
    for row in await Invoice.select(Invoice.budget_line, Invoice.status, Invoice.total_kop).where(
        Invoice.budget_line.is_in(ids) & Invoice.status.is_in(["submitted", "approved", "paid"])
    ):
        target = paid if row["status"] == "paid" else invoiced
        target[row["budget_line"]] = target.get(row["budget_line"], 0) + row["total_kop"]
    for row in await Payout.select(Payout.budget_line, Payout.status, Payout.amount_kop).where(
        Payout.budget_line.is_in(ids) & Payout.status.is_in(["due", "paid"])
    ):
        target = paid if row["status"] == "paid" else invoiced
        target[row["budget_line"]] = target.get(row["budget_line"], 0) + row["amount_kop"]
    return [
        BudgetLineOut(
            id=r["id"],
            year=r["year"],
            programme_code=r["programme_code"],
            economic_code=r["economic_code"],
            name=r["name"],
            lump_sum_services=decode(r["lump_sum_services"], []),
            allocated=from_kopiyky(r["allocation_kop"]),
            committed=from_kopiyky(r["committed_kop"]),
            invoiced=from_kopiyky(invoiced.get(r["id"], 0)),
            paid=from_kopiyky(paid.get(r["id"], 0)),
            remaining=from_kopiyky(r["allocation_kop"] - r["committed_kop"]),
        )
        for r in lines
    ]


async def one(municipality_id: int, line_id: int) -> BudgetLineOut:
    found = await figures(municipality_id, [line_id])
    if not found:
        raise NotFound(
            f"бюджетну лінію {line_id} не знайдено / budget line not found", "budget_line_id"
        )
    return found[0]


async def create(actor: Actor, body: BudgetLineIn) -> BudgetLineOut:
    allocation = positive_money(body.allocation, "allocation")
    if await BudgetLine.exists().where(
        (BudgetLine.municipality == actor.municipality_id)
        & (BudgetLine.year == body.year)
        & (BudgetLine.programme_code == body.programme_code)
        & (BudgetLine.economic_code == body.economic_code)
    ):
        raise Conflict("така бюджетна лінія вже є / this budget line exists", "programme_code")
    row = BudgetLine(
        municipality=actor.municipality_id,
        year=body.year,
        programme_code=body.programme_code,
        economic_code=body.economic_code,
        name=body.name,
        allocation_kop=to_kopiyky(allocation),
        lump_sum_services=msgspec.json.encode(body.lump_sum_services).decode(),
    )
    await row.save()
    await audit.record(
        actor, "budget_line.create", "budget_line", row.id, {"allocation": str(allocation)}
    )
    return await one(actor.municipality_id, int(row.id))


async def update(actor: Actor, line_id: int, patch: BudgetLinePatch) -> BudgetLineOut:
    current = await one(actor.municipality_id, line_id)
    values: dict[Any, Any] = {}
    if patch.allocation is not msgspec.UNSET:
        allocation = positive_money(patch.allocation, "allocation")
        if allocation < current.committed:
            raise Conflict(
                f"не можна зменшити нижче зобов'язань {current.committed} / "
                f"cannot go below the committed {current.committed}",
                "allocation",
            )
        values[BudgetLine.allocation_kop] = to_kopiyky(allocation)
    if patch.name is not msgspec.UNSET:
        values[BudgetLine.name] = patch.name
    if patch.lump_sum_services is not msgspec.UNSET:
        values[BudgetLine.lump_sum_services] = msgspec.json.encode(patch.lump_sum_services).decode()
    if not values:
        raise Invalid("немає змін / nothing to change", "body")
    async with write_transaction():
        changed = (
            await BudgetLine.update(values)
            .where(
                (BudgetLine.id == line_id)
                & (BudgetLine.committed_kop <= values.get(BudgetLine.allocation_kop, 10**18))
            )
            .returning(BudgetLine.id)
        )
        if not changed:
            raise Conflict(
                "зобов'язання змінилися, повторіть / commitments changed, retry", "allocation"
            )
        await audit.record(
            actor,
            "budget_line.update",
            "budget_line",
            line_id,
            {"fields": sorted(c._meta.name for c in values)},
        )
    return await one(actor.municipality_id, line_id)


async def commit(line_id: int, amount_kop: int) -> bool:
    """Commit money on a line if it has it; False (and nothing changed) otherwise."""
    done = await BudgetLine.raw(
        "UPDATE budget_line SET committed_kop = committed_kop + {} "
        "WHERE id = {} AND allocation_kop - committed_kop >= {} RETURNING id",
        amount_kop,
        line_id,
        amount_kop,
    )
    return bool(done)


async def release(line_id: int, amount_kop: int) -> None:
    if amount_kop > 0:
        await BudgetLine.raw(
            "UPDATE budget_line SET committed_kop = committed_kop - {} WHERE id = {}",
            amount_kop,
            line_id,
        )


def lacks_money(line: dict[str, Any] | BudgetLineOut, amount: Decimal) -> Conflict:
    remaining = (
        line.remaining
        if isinstance(line, BudgetLineOut)
        else from_kopiyky(line["allocation_kop"] - line["committed_kop"])
    )
    return Conflict(
        f"на бюджетній лінії бракує коштів: залишок {remaining}, потрібно {amount} / "
        f"the budget line lacks money: {remaining} left, {amount} needed",
        "budget_line_id",
    )


async def line_row(
    municipality_id: int, line_id: int, field: str = "budget_line_id"
) -> dict[str, Any]:
    row = (
        await BudgetLine.select()
        .where((BudgetLine.id == line_id) & (BudgetLine.municipality == municipality_id))
        .first()
    )
    if row is None:
        raise Invalid(f"бюджетну лінію {line_id} не знайдено / budget line not found", field)
    return row


async def committed_by_sources(line_id: int) -> int:
    """What the line's commitment should be, recomputed from contracts and payouts."""
    contracts = await Contract.select(
        Contract.money_cap_kop, Contract.used_kop, Contract.status
    ).where(Contract.budget_line == line_id)
    total = 0
    for c in contracts:
        total += c["used_kop"] if c["status"] == "closed" else c["money_cap_kop"]
    payouts = await Payout.select(Payout.amount_kop).where(
        (Payout.budget_line == line_id) & Payout.status.is_in(["due", "paid"])
    )
    return total + sum(p["amount_kop"] for p in payouts)
