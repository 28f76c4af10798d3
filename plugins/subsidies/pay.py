"""Pay a month: one core delivery per active assignment and utility provider, recorded
with ``deliveries.record`` under the provider's contract (idempotent keys), which the
invoice run turns into one monthly register per utility provider.

The core records a delivery against a request's (single) active assignment, while a
household's subsidy is paid to several utility providers, each under its own contract.
So, inside one write transaction per line, the plugin makes sure the request has an
assignment to that provider's contract, makes it the request's active one while the
core records the delivery, then gives the request back its own active assignment (a
workaround of the core, which keeps one active assignment per request; the transaction
makes the switch invisible to anyone else, and a row lock on the plugin's own
assignment serialises two runs of the same month).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from core.actor import Actor
from core.db.engine import write_transaction
from core.db.market import Assignment, Contract
from core.errors import DomainError, Invalid
from core.money import from_kopiyky
from core.platform import Platform
from core.workflow.market import deliveries
from core.workflow.market.deliveries import DeliveryIn, DeliveryRefused
from core.workflow.requests import FormInvalid
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


async def _switch_to(actor: Actor, request_id: int, contract_id: int) -> tuple[int, list[int]]:
    """Make the request's assignment to the contract its active one (the core keeps one
    active assignment per request); returns it and the ones active before. Call inside a
    write transaction."""
    found = (
        await Assignment.select(Assignment.id)
        .where((Assignment.request == request_id) & (Assignment.contract == contract_id))
        .order_by(Assignment.id)
        .first()
    )
    before = [
        r["id"]
        for r in await Assignment.select(Assignment.id).where(
            (Assignment.request == request_id) & (Assignment.active == True)  # noqa: E712
        )
    ]
    if found is not None and found["id"] in before:
        return found["id"], before
    await _set_active(before, False)
    if found is None:
        row = Assignment(
            municipality=actor.municipality_id,
            request=request_id,
            contract=contract_id,
            assigned_by=actor.id,
        )
        await row.save()
        return int(row.id), before
    await _set_active([found["id"]], True)
    return found["id"], before


async def _set_active(ids: list[int], active: bool) -> None:
    if ids:
        await Assignment.update({Assignment.active: active}).where(Assignment.id.is_in(ids))


def _reason(exc: Exception) -> str:
    if isinstance(exc, DeliveryRefused):
        return "; ".join(f"{f.message.uk} / {f.message.en}" for f in exc.findings)
    if isinstance(exc, DomainError):
        return exc.message
    return str(exc)


async def _pay_line(
    platform: Platform, actor: Actor, row: dict[str, Any], month: str, first: date
) -> PayLine:
    line = PayLine(
        assignment_id=row["assignment"],
        request_id=row["request"],
        utility=row["utility"],
        provider_id=row["provider"],
        amount=from_kopiyky(row["amount_kop"]),
        outcome="skipped",
    )
    if row["request_status"] != "assigned":
        line.reason = "звернення не призначене надавачу / the request is not assigned"
        return line
    if row["provider"] is None:
        line.reason = "надавача не вказано / no provider given for the utility"
        return line
    last = min(month_end(first), date.today())
    contract = await _contract(actor, row["provider"], first, last)
    if contract is None:
        line.reason = "немає чинного договору з надавачем / no contract with the provider"
        return line
    day = max(first, contract["period_start"])
    body = DeliveryIn(
        request_id=row["request"],
        delivered_on=day,
        idempotency_key=f"subsidy-{row['assignment']}-{row['utility']}-{month}",
        data={
            "assignment_id": row["assignment"],
            "utility": row["utility"],
            "month": month,
            "amount": str(line.amount),
        },
    )
    try:
        async with write_transaction():
            await SubsidyAssignment.raw(
                "UPDATE subsidy_assignment SET status = status WHERE id = {}", row["assignment"]
            )
            target, before = await _switch_to(actor, row["request"], contract["id"])
            out, created = await deliveries.record(platform, actor, body)
            if target not in before:  # give the request back its own active assignment
                await _set_active([target], False)
                await _set_active(before, True)
    except (DomainError, DeliveryRefused, FormInvalid) as exc:
        line.reason = _reason(exc)
        return line
    line.outcome = "recorded" if created else "already_recorded"
    line.delivery_id = out.id
    return line


async def pay_month(platform: Platform, actor: Actor, body: PayIn) -> PayOut:
    first = date(int(body.month[:4]), int(body.month[5:]), 1)
    if first > date.today():
        raise Invalid("місяць ще не настав / the month has not begun", "month")
    rows = (
        await M.select(
            M.assignment,
            M.utility,
            M.provider,
            M.amount_kop,
            M.assignment.request.as_alias("request"),
            M.assignment.request.status.as_alias("request_status"),  # type: ignore[union-attr]
        )
        .where(
            (M.municipality == actor.municipality_id)
            & (M.month == body.month)
            & (M.status == "active")
            & (M.amount_kop > 0)
        )
        .order_by(M.assignment)
        .order_by(M.id)
    )
    lines = [await _pay_line(platform, actor, r, body.month, first) for r in rows]
    done = [x for x in lines if x.outcome != "skipped"]
    return PayOut(
        month=body.month,
        recorded=sum(1 for x in lines if x.outcome == "recorded"),
        already_recorded=sum(1 for x in lines if x.outcome == "already_recorded"),
        skipped=sum(1 for x in lines if x.outcome == "skipped"),
        total=sum((x.amount for x in done), Decimal("0.00")),
        lines=lines,
    )
