"""Pay a month through the assignment's channel.

Non-cash: one core delivery per active assignment and utility provider, for the amount
the provider is due (see :mod:`plugins.subsidies.settle`: the assigned amount, or up to
the provider's charge with the carry-over of unused money), recorded with
``deliveries.record`` under the provider's contract (idempotent keys); the invoice run
turns them into one monthly register per utility provider.

Cash: one core payout per assignment and month to the recipient's IBAN, for the month's
total, through the same budget lines and payment register (``payouts.make_due``, one
per request and month).

A request is assigned (in the core) to the contract of each utility provider it pays:
the first payment to a provider adds the assignment, and each delivery names its
contract. A row lock on the plugin's own assignment serialises two runs of the same
month.

A month's payment is dated on the first day of the month, or on the first day the core
lets a delivery under the assignment carry (the request's receipt, the day of the core
assignment, the contract's start) when that is later. A month already over by then (a
subsidy assigned in November from October) is a **back payment**: dated on that day,
after the month it pays, which its data names; it is billed with that later month.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Any

from core import clock
from core.actor import Actor
from core.db.engine import write_transaction
from core.db.market import Assignment, Contract
from core.db.tables import Request
from core.errors import DomainError, Invalid
from core.money import from_kopiyky
from core.platform import Platform
from core.workflow.market import assignments as core_assignments
from core.workflow.market import deliveries, payouts
from core.workflow.market.deliveries import DeliveryIn, DeliveryRefused
from core.workflow.requests import FormInvalid
from plugins.subsidies import settle
from plugins.subsidies.assign import cash_months, lock
from plugins.subsidies.billing import key_of
from plugins.subsidies.periods import month_end
from plugins.subsidies.schemas import PayIn, PayLine, PayOut
from plugins.subsidies.service import CODE
from plugins.subsidies.tables import SubsidyAssignment, SubsidyMonth

M = SubsidyMonth


async def _contract(
    actor: Actor, provider_id: int, first: date, last: date
) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await Contract.select()
        .where(
            (Contract.municipality == actor.municipality_id)
            & (Contract.service_code == CODE)
            & (Contract.provider == provider_id)
            & (Contract.status == "active")
            & (Contract.period_start <= last)
            & (Contract.period_end >= first)
        )
        .order_by(Contract.id)
        .first()
    )
    return row


async def _assigned_to(actor: Actor, request_id: int, contract_id: int) -> None:
    """Make sure the request is assigned to the provider's contract (the core allows one
    active assignment per request and contract); call inside a write transaction."""
    if not await Assignment.exists().where(
        (Assignment.request == request_id)
        & (Assignment.contract == contract_id)
        & (Assignment.active == True)  # noqa: E712
    ):
        await core_assignments.assign(
            actor,
            request_id,
            core_assignments.AssignIn(
                contract_id=contract_id, comment="житлова субсидія / housing subsidy"
            ),
        )


def payment_day(first: date, earliest: date) -> date:
    """The date of the payment of the month beginning on ``first``: that day, or the first
    day a delivery under the assignment may carry (``earliest``) when later; after the
    month, a back payment."""
    return max(first, earliest)


def _reason(exc: Exception) -> str:
    if isinstance(exc, DeliveryRefused):
        return "; ".join(f"{f.message.uk} / {f.message.en}" for f in exc.findings)
    if isinstance(exc, DomainError):
        return exc.message
    return str(exc)


async def _record(
    platform: Platform,
    actor: Actor,
    row: dict[str, Any],
    line: PayLine,
    contract: dict[str, Any],
    first: date,
) -> None:
    """Inside the run's transaction: pay what the provider is due, if anything."""
    month = row["month"]
    key = key_of(row["assignment"], row["utility"], month)
    found = (await settle.recorded_by_key(actor.municipality_id, [key])).get(key)
    if found is not None:
        line.outcome, line.delivery_id = "already_recorded", found["id"]
        line.amount = from_kopiyky(found["amount_kop"])
        return
    fresh = await M.select().where((M.id == row["id"]) & (M.status == "active")).first()
    if fresh is None:
        line.reason = "місяць скасовано перерахунком / the month was cancelled by a recalculation"
        return
    due_kop, carried = await settle.due_for(actor.municipality_id, row["request"], fresh)
    line.amount, line.carried_in = from_kopiyky(due_kop), from_kopiyky(carried)
    if due_kop == 0:
        line.outcome = "nothing_due"
        return
    await _assigned_to(actor, row["request"], contract["id"])
    earliest = await deliveries.first_day(row["request"], contract["id"])
    assert earliest is not None
    body = DeliveryIn(
        request_id=row["request"],
        delivered_on=payment_day(first, earliest),
        idempotency_key=f"subsidy-{row['assignment']}-{row['utility']}-{month}",
        data={
            "assignment_id": row["assignment"],
            "utility": row["utility"],
            "month": month,
            "amount": str(line.amount),
        },
        contract_id=contract["id"],
    )
    out, created = await deliveries.record(platform, actor, body)
    line.outcome = "recorded" if created else "already_recorded"
    line.delivery_id = out.id


def _line_of(row: dict[str, Any]) -> PayLine:
    return PayLine(
        assignment_id=row["assignment"],
        request_id=row["request"],
        channel="non_cash",
        utility=row["utility"],
        provider_id=row["provider"],
        amount=from_kopiyky(row["amount_kop"]),
        outcome="skipped",
    )


class _Contracts:
    """The active contract of each utility provider over the month, looked up once."""

    def __init__(self, actor: Actor, first: date) -> None:
        self.actor, self.first = actor, first
        self.last = min(month_end(first), clock.today())
        self.found: dict[int, dict[str, Any] | None] = {}

    async def of(self, provider_id: int) -> dict[str, Any] | None:
        if provider_id not in self.found:
            self.found[provider_id] = await _contract(
                self.actor, provider_id, self.first, self.last
            )
        return self.found[provider_id]


async def _pay_assignment(
    platform: Platform,
    actor: Actor,
    rows: list[dict[str, Any]],
    first: date,
    contracts: _Contracts,
) -> list[PayLine]:
    """The month's lines of one non-cash assignment, in one transaction under its lock;
    each line in a savepoint, so a refused line leaves the others paid."""
    lines = [_line_of(r) for r in rows]
    todo: list[tuple[dict[str, Any], PayLine, dict[str, Any]]] = []
    for row, line in zip(rows, lines, strict=True):
        if row["request_status"] != "assigned":
            line.reason = "звернення не призначене надавачу / the request is not assigned"
        elif row["provider"] is None:
            line.reason = "надавача не вказано / no provider given for the utility"
        elif (contract := await contracts.of(row["provider"])) is None:
            line.reason = "немає чинного договору з надавачем / no contract with the provider"
        else:
            todo.append((row, line, contract))
    if not todo:
        return lines
    # Several contracts in one transaction: in ascending id (docs/marketplace.md#lock-order),
    # or two households paying the same providers in another order could deadlock.
    todo.sort(key=lambda item: int(item[2]["id"]))
    head = todo[0][0]
    async with write_transaction() as tx:
        await lock(head["assignment"])
        if (await _channel(head["assignment"]))["channel"] != "non_cash":
            reason = "спосіб виплати змінено, повторіть / the payment channel changed, run again"
        elif head["month"] in await cash_months(head["request"]):
            reason = "за місяць виплачено отримувачеві / the month was paid to the recipient"
        else:
            reason = ""
        for row, line, contract in todo:
            if reason:
                line.reason = reason
                continue
            savepoint = await tx.savepoint()
            try:
                await _record(platform, actor, row, line, contract, first)
            except (DomainError, DeliveryRefused, FormInvalid) as exc:
                await savepoint.rollback_to()
                line.outcome, line.delivery_id = "skipped", None
                line.reason = _reason(exc)
            else:
                await savepoint.release()
    return lines


async def _channel(assignment_id: int) -> dict[str, Any]:
    """The assignment's payment channel and account as they are under the lock."""
    row: dict[str, Any] | None = (
        await SubsidyAssignment.select(SubsidyAssignment.channel, SubsidyAssignment.iban)
        .where(SubsidyAssignment.id == assignment_id)
        .first()
    )
    assert row is not None
    return row


async def _make_payout(actor: Actor, rows: list[dict[str, Any]], month: str, line: PayLine) -> None:
    """Inside the run's transaction: the month's payout for what the providers were not
    paid already (the channel may have changed during the month)."""
    head = rows[0]
    current = await _channel(head["assignment"])
    if current["channel"] != "cash":
        line.reason = "спосіб виплати змінено, повторіть / the payment channel changed, run again"
        return
    delivered = await settle.paid_by_key(
        actor.municipality_id, [key_of(r["assignment"], r["utility"], month) for r in rows]
    )
    total = sum(
        int(r["amount_kop"])
        for r in rows
        if key_of(r["assignment"], r["utility"], month) not in delivered
    )
    line.amount = from_kopiyky(total)
    if total <= 0:
        line.outcome = "nothing_due"
        line.reason = "сплачено надавачам / paid to the providers" if delivered else ""
        return
    request = await Request.select().where(Request.id == head["request"]).first()
    assert request is not None
    out, created = await payouts.make_due(
        actor, CODE, request, period=month, iban=current["iban"], amount_kop=total
    )
    line.outcome = "recorded" if created else "already_recorded"
    line.payout_id, line.amount = out.id, out.amount


async def _pay_cash(actor: Actor, rows: list[dict[str, Any]], month: str) -> PayLine:
    """One payout to the recipient for the month's total of the assignment."""
    head = rows[0]
    line = PayLine(
        assignment_id=head["assignment"],
        request_id=head["request"],
        channel="cash",
        utility="",
        provider_id=None,
        amount=from_kopiyky(sum(int(r["amount_kop"]) for r in rows)),
        outcome="skipped",
    )
    if head["request_status"] not in ("approved", "assigned"):
        line.reason = "звернення не чинне / the request is not approved"
        return line
    try:
        async with write_transaction():
            await lock(head["assignment"])
            await _make_payout(actor, rows, month, line)
    except DomainError as exc:
        line.outcome, line.payout_id = "skipped", None
        line.reason = _reason(exc)
    return line


async def pay_month(
    platform: Platform, actor: Actor, body: PayIn, only: Collection[int] | None = None
) -> PayOut:
    """Pay the month of every active assignment (or of the ``only`` ones, for a run in
    chunks); a rerun pays nothing twice."""
    first = date(int(body.month[:4]), int(body.month[5:]), 1)
    if first > clock.today():
        raise Invalid("місяць ще не настав / the month has not begun", "month")
    where: Any = (
        (M.municipality == actor.municipality_id)
        & (M.month == body.month)
        & (M.status == "active")
        & ((M.amount_kop > 0) | M.charged_kop.is_not_null())
    )
    if only is not None:
        where = where & M.assignment.is_in(sorted(only))
    rows = (
        await M.select(
            M.id,
            M.assignment,
            M.month,
            M.utility,
            M.provider,
            M.amount_kop,
            M.charged_kop,
            M.assignment.request.as_alias("request"),
            M.assignment.request.status.as_alias("request_status"),  # type: ignore[union-attr]
            M.assignment.channel.as_alias("channel"),
        )
        .where(where)
        .order_by(M.assignment)
        .order_by(M.id)
    )
    by_channel: dict[str, dict[int, list[dict[str, Any]]]] = {"non_cash": {}, "cash": {}}
    for r in rows:
        by_channel[r["channel"]].setdefault(r["assignment"], []).append(r)
    contracts = _Contracts(actor, first)
    lines: list[PayLine] = []
    for group in by_channel["non_cash"].values():
        lines += await _pay_assignment(platform, actor, group, first, contracts)
    lines += [await _pay_cash(actor, group, body.month) for group in by_channel["cash"].values()]
    done = [x for x in lines if x.outcome in ("recorded", "already_recorded")]
    return PayOut(
        month=body.month,
        recorded=sum(1 for x in lines if x.outcome == "recorded"),
        already_recorded=sum(1 for x in lines if x.outcome == "already_recorded"),
        nothing_due=sum(1 for x in lines if x.outcome == "nothing_due"),
        skipped=sum(1 for x in lines if x.outcome == "skipped"),
        total=sum((x.amount for x in done), Decimal("0.00")),
        lines=lines,
    )
