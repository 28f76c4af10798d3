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

from core.sdk import (
    Actor,
    Assignment,
    Contract,
    DeliveryIn,
    DomainError,
    DueIn,
    Invalid,
    Payout,
    Platform,
    Request,
    clock,
    day_of,
    deliveries,
    from_kopiyky,
    make_due_many,
    record_batch,
    refusal_text,
    write_transaction,
)
from core.sdk import assignments as core_assignments
from plugins.subsidies import settle
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


def payment_day(first: date, earliest: date) -> date:
    """The date of the payment of the month beginning on ``first``: that day, or the first
    day a delivery under the assignment may carry (``earliest``) when later; after the
    month, a back payment."""
    return max(first, earliest)


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


_Todo = tuple[dict[str, Any], PayLine, dict[str, Any]]


async def _lock_all(assignment_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Lock the assignments (see :func:`plugins.subsidies.assign.lock`); their payment
    channels and accounts as they are under the lock."""
    marks = ", ".join(["{}"] * len(assignment_ids))
    rows = await SubsidyAssignment.raw(
        f"UPDATE subsidy_assignment SET status = status WHERE id IN ({marks}) "
        "RETURNING id, channel, iban",
        *assignment_ids,
    )
    return {int(r["id"]): r for r in rows}


async def _cash_months(request_ids: list[int], month: str) -> set[int]:
    """The requests whose month is paid (or due) to the recipient in cash."""
    rows = await Payout.select(Payout.request).where(
        Payout.request.is_in(request_ids)
        & (Payout.period == month)
        & Payout.status.is_in(["due", "paid"])
    )
    return {int(r["request"]) for r in rows}


async def _still_active(line_ids: list[int]) -> set[int]:
    """The lines not cancelled by a recalculation since the run read them."""
    rows = await M.select(M.id).where(M.id.is_in(line_ids) & (M.status == "active"))
    return {int(r["id"]) for r in rows}


async def _assigned_days(
    actor: Actor, pairs: set[tuple[int, int]], skip: dict[tuple[int, int], str]
) -> dict[tuple[int, int], date]:
    """The first day a delivery may carry for each (request, contract), assigning the
    request to the contract first where it is not yet (the first payment to a provider);
    ``skip`` gets the pairs whose assignment the core refused, with the reason."""
    requests = sorted({r for r, _ in pairs})
    rows = await Assignment.select(
        Assignment.request,
        Assignment.contract,
        Assignment.assigned_at,
        Assignment.request.received_on,
        Assignment.contract.period_start,
    ).where(Assignment.request.is_in(requests) & (Assignment.active == True))  # noqa: E712
    days = {
        (int(r["request"]), int(r["contract"])): deliveries.earliest_day(
            r["request.received_on"], day_of(r["assigned_at"]), r["contract.period_start"]
        )
        for r in rows
    }
    for pair in sorted(pairs - days.keys()):
        try:
            async with write_transaction():  # a savepoint in the run's transaction
                await core_assignments.assign(
                    actor,
                    pair[0],
                    core_assignments.AssignIn(
                        contract_id=pair[1], comment="житлова субсидія / housing subsidy"
                    ),
                )
        except DomainError as exc:
            skip[pair] = refusal_text(exc)
            continue
        earliest = await deliveries.first_day(*pair)
        assert earliest is not None
        days[pair] = earliest
    return days


async def _due(actor: Actor, todo: list[_Todo]) -> list[_Todo]:
    """Set each line's amount due (and carry-over); the lines with something to pay and
    not paid yet."""
    keys = [key_of(r["assignment"], r["utility"], r["month"]) for r, _, _ in todo]
    found = await settle.recorded_by_key(actor.municipality_id, keys)
    fresh: list[_Todo] = []
    for item, key in zip(todo, keys, strict=True):
        done = found.get(key)
        if done is not None:
            item[1].outcome, item[1].delivery_id = "already_recorded", done["id"]
            item[1].amount = from_kopiyky(done["amount_kop"])
        else:
            fresh.append(item)
    dues = await settle.dues(actor.municipality_id, [(r["request"], r) for r, _, _ in fresh])
    payable: list[_Todo] = []
    for (row, line, contract), (due_kop, carried) in zip(fresh, dues, strict=True):
        line.amount, line.carried_in = from_kopiyky(due_kop), from_kopiyky(carried)
        if due_kop == 0:
            line.outcome = "nothing_due"
        else:
            payable.append((row, line, contract))
    return payable


async def _deliver(platform: Platform, actor: Actor, payable: list[_Todo], first: date) -> None:
    """Record the lines' deliveries, contract by contract in ascending id (the lock order
    of docs/marketplace.md#lock-order), through the core's batch path."""
    if not payable:
        return
    skip: dict[tuple[int, int], str] = {}
    pairs = {(int(r["request"]), int(c["id"])) for r, _, c in payable}
    days = await _assigned_days(actor, pairs, skip)
    by_contract: dict[int, list[tuple[PayLine, DeliveryIn]]] = {}
    for row, line, contract in payable:
        pair = (int(row["request"]), int(contract["id"]))
        if pair in skip:
            line.reason = skip[pair]
            continue
        month = row["month"]
        body = DeliveryIn(
            request_id=row["request"],
            delivered_on=payment_day(first, days[pair]),
            idempotency_key=f"subsidy-{row['assignment']}-{row['utility']}-{month}",
            data={
                "assignment_id": row["assignment"],
                "utility": row["utility"],
                "month": month,
                "amount": str(line.amount),
            },
            contract_id=contract["id"],
        )
        by_contract.setdefault(int(contract["id"]), []).append((line, body))
    for contract_id in sorted(by_contract):
        batch = by_contract[contract_id]
        outcomes = await record_batch(platform, actor, contract_id, [b for _, b in batch])
        for (line, _), outcome in zip(batch, outcomes, strict=True):
            if outcome.refusal is not None:
                line.reason = refusal_text(outcome.refusal)
            else:
                line.outcome = "recorded" if outcome.created else "already_recorded"
                line.delivery_id = outcome.delivery_id


async def _pay_non_cash(
    platform: Platform,
    actor: Actor,
    groups: list[list[dict[str, Any]]],
    first: date,
    contracts: _Contracts,
) -> list[PayLine]:
    """The month's lines of the non-cash assignments, in one transaction under their
    locks, set-wise: a refused line is skipped with its reason, the others are paid."""
    lines: list[PayLine] = []
    todo: list[_Todo] = []
    for row in (r for rows in groups for r in rows):
        line = _line_of(row)
        lines.append(line)
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
    async with write_transaction():
        channels = await _lock_all(sorted({int(r["assignment"]) for r, _, _ in todo}))
        cash = await _cash_months(
            sorted({int(r["request"]) for r, _, _ in todo}), todo[0][0]["month"]
        )
        active = await _still_active([int(r["id"]) for r, _, _ in todo])
        ready: list[_Todo] = []
        for row, line, contract in todo:
            if channels[int(row["assignment"])]["channel"] != "non_cash":
                line.reason = (
                    "спосіб виплати змінено, повторіть / the payment channel changed, run again"
                )
            elif int(row["request"]) in cash:
                line.reason = (
                    "за місяць виплачено отримувачеві / the month was paid to the recipient"
                )
            elif int(row["id"]) not in active:
                line.reason = (
                    "місяць скасовано перерахунком / the month was cancelled by a recalculation"
                )
            else:
                ready.append((row, line, contract))
        payable = await _due(actor, ready)
        await _deliver(platform, actor, payable, first)
    return lines


async def _pay_cash(actor: Actor, groups: list[list[dict[str, Any]]], month: str) -> list[PayLine]:
    """One payout to each recipient for the month's total of the assignment, less what
    its providers were paid already (the channel may have changed during the month), in
    one transaction under the households' locks, set-wise."""
    lines: list[PayLine] = []
    todo: list[tuple[list[dict[str, Any]], PayLine]] = []
    for rows in groups:
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
        lines.append(line)
        if head["request_status"] not in ("approved", "assigned"):
            line.reason = "звернення не чинне / the request is not approved"
        else:
            todo.append((rows, line))
    if not todo:
        return lines
    async with write_transaction():
        channels = await _lock_all(sorted({int(rows[0]["assignment"]) for rows, _ in todo}))
        keys = [key_of(r["assignment"], r["utility"], month) for rows, _ in todo for r in rows]
        delivered = await settle.paid_by_key(actor.municipality_id, keys)
        requests = {
            int(r["id"]): r
            for r in await Request.select().where(
                Request.id.is_in(sorted({int(rows[0]["request"]) for rows, _ in todo}))
            )
        }
        due: list[tuple[PayLine, DueIn]] = []
        for rows, line in todo:
            head = rows[0]
            current = channels[int(head["assignment"])]
            if current["channel"] != "cash":
                line.reason = (
                    "спосіб виплати змінено, повторіть / the payment channel changed, run again"
                )
                continue
            paid = [r for r in rows if key_of(r["assignment"], r["utility"], month) in delivered]
            total = sum(int(r["amount_kop"]) for r in rows if r not in paid)
            line.amount = from_kopiyky(total)
            if total <= 0:
                line.outcome = "nothing_due"
                line.reason = "сплачено надавачам / paid to the providers" if paid else ""
                continue
            request = requests[int(head["request"])]
            due.append(
                (line, DueIn(request=request, period=month, iban=current["iban"], amount_kop=total))
            )
        outcomes = await make_due_many(actor, CODE, [d for _, d in due])
        for (line, _), outcome in zip(due, outcomes, strict=True):
            if outcome.refusal is not None:
                line.reason = refusal_text(outcome.refusal)
                continue
            line.outcome = "recorded" if outcome.created else "already_recorded"
            line.payout_id, line.amount = outcome.payout_id, from_kopiyky(outcome.amount_kop)
    return lines


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
    if by_channel["non_cash"]:
        lines += await _pay_non_cash(
            platform, actor, list(by_channel["non_cash"].values()), first, contracts
        )
    if by_channel["cash"]:
        lines += await _pay_cash(actor, list(by_channel["cash"].values()), body.month)
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
