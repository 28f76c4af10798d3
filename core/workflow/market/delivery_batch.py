"""Recording many deliveries of one contract at once: the set-wise path of
:func:`core.workflow.market.deliveries.record`, for runs that pay a month of thousands
(the housing subsidy's pay run).

Every delivery gets the checks a single one gets, in the same order and with the same
refusals: the request's active assignment to the contract, the idempotency key (a retry
with the same delivery returns the stored one; another delivery under a used key is a
conflict), the service's form, the core's date rules, the plugin's checks (its batch
check ``check_deliveries`` when it has one, else ``check_delivery`` for each), the
price, the service's delivery key and the contract's money and volume caps, taken in the
order the deliveries are given. What differs is the number of statements: the reads are
one query per kind for the whole batch, and the writes are one conditional update of the
contract, one claim of the open sheet per month, one multi-row insert of the deliveries
and one of their audit rows, whatever the batch's size.

Call it inside the caller's transaction or on its own (it opens one); a refusal of one
delivery is that delivery's outcome, not an exception, so the others are recorded.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

import msgspec

from core import clock
from core.actor import Actor
from core.db.engine import write_transaction
from core.db.market import Assignment, Contract, Delivery, DeliverySheet
from core.db.tables import AuditLog
from core.errors import Conflict, DomainError, Invalid, NotFound
from core.platform import Platform, decode
from core.service import Applicant, DeliveryContext, Finding, Service
from core.workflow import quality
from core.workflow.forms import validate_form
from core.workflow.market.assignments import day_of
from core.workflow.market.contracts import terms_of
from core.workflow.market.deliveries import (
    DeliveryIn,
    DeliveryRefused,
    cap_refusal,
    claim_open_sheet,
    date_findings,
    same_delivery,
)
from core.workflow.market.pricing import PartAmount, priced, store_parts
from core.workflow.market.recorded import Person, RecordedFor, Tally, lock_persons, person_of
from core.workflow.market.units import from_kopiyky, period_of
from core.workflow.requests import FormInvalid

#: Rows per multi-row INSERT (17 values a row stays far below both engines' limits).
INSERT_ROWS = 500


class BatchOutcome(msgspec.Struct, kw_only=True):
    """One delivery's outcome: its id and whether it was stored now, or why not."""

    delivery_id: int | None = None
    created: bool = False
    #: The refusal a single ``record`` would have raised (DeliveryRefused, a DomainError
    #: or FormInvalid); None when recorded or found recorded.
    refusal: Exception | None = None


class _Pending(msgspec.Struct, kw_only=True):
    index: int
    body: DeliveryIn
    assignment: dict[str, Any]
    ctx: DeliveryContext
    stored: dict[str, Any]
    person: Person
    amount: int = 0
    quantity: int = 0
    parts: tuple[PartAmount, ...] = ()
    unique_key: str | None = None


async def _assignments(actor: Actor, contract_id: int, requests: list[int]) -> dict[int, Any]:
    rows = await Assignment.select(
        Assignment.id,
        Assignment.request,
        Assignment.assigned_at,
        Assignment.request.applicant_snapshot,
        Assignment.request.received_on,
    ).where(
        (Assignment.contract == contract_id)
        & (Assignment.active == True)  # noqa: E712
        & (Assignment.municipality == actor.municipality_id)
        & Assignment.request.is_in(sorted(set(requests)))
    )
    return {int(r["request"]): r for r in rows}


async def _existing(provider_id: int, keys: list[str]) -> dict[str, dict[str, Any]]:
    rows = await Delivery.select(
        Delivery.id,
        Delivery.request,
        Delivery.delivered_on,
        Delivery.data,
        Delivery.idempotency_key,
    ).where((Delivery.provider == provider_id) & Delivery.idempotency_key.is_in(keys))
    return {r["idempotency_key"]: r for r in rows}


async def _used_keys(municipality_id: int, code: str, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    rows = await Delivery.select(Delivery.unique_key).where(
        (Delivery.municipality == municipality_id)
        & (Delivery.service_code == code)
        & (Delivery.status == "recorded")
        & Delivery.unique_key.is_in(sorted(set(keys)))
    )
    return {r["unique_key"] for r in rows}


async def _batch_checks(service: Service, contexts: list[DeliveryContext]) -> list[list[Finding]]:
    assert service.check_deliveries is not None
    if not contexts:
        return []
    found = list(await service.check_deliveries(contexts))
    assert len(found) == len(contexts), "check_deliveries returns one list per delivery"
    return found


async def _one_check(service: Service, ctx: DeliveryContext) -> list[Finding]:
    if service.check_delivery is None:
        return []
    outcome = service.check_delivery(ctx)
    return list(await outcome if inspect.isawaitable(outcome) else outcome)


_USED_KEY = "ключ ідемпотентності вже використано для іншого надання / the idempotency key was used for another delivery"  # noqa: E501


async def _prepare(
    platform: Platform,
    actor: Actor,
    contract: dict[str, Any],
    service: Service,
    items: Sequence[DeliveryIn],
    out: list[BatchOutcome],
    tally: Tally,
) -> list[_Pending]:
    """What needs no lock, read set-wise: the deliveries left to check, in order."""
    assert service.delivery is not None
    assert service.price is not None
    assignments = await _assignments(actor, contract["id"], [b.request_id for b in items])
    earlier = await _existing(contract["provider"], [b.idempotency_key for b in items])
    terms = terms_of(service, contract)
    municipality = await platform.municipality(id=actor.municipality_id)
    params = await platform.parameters(actor.municipality_id, service)
    today = clock.today()
    pending: list[_Pending] = []
    for i, body in enumerate(items):
        delivery, errors = validate_form(service.delivery, body.data, prefix="data")
        found = earlier.get(body.idempotency_key)
        if found is not None:
            stored = msgspec.to_builtins(delivery) if delivery is not None else None
            if stored is not None and same_delivery(found, body, stored):
                out[i] = BatchOutcome(delivery_id=int(found["id"]), created=False)
            else:
                out[i] = BatchOutcome(refusal=Conflict(_USED_KEY, "idempotency_key"))
            continue
        assignment = assignments.get(body.request_id)
        if assignment is None:
            out[i] = BatchOutcome(
                refusal=NotFound(
                    "звернення не призначене вашому договору / the request is not assigned "
                    "to your contract",
                    "contract_id",
                )
            )
            continue
        if errors:
            out[i] = BatchOutcome(refusal=FormInvalid(errors))
            continue
        received_on: date = assignment["request.received_on"]
        assigned_on = day_of(assignment["assigned_at"])
        wrong_date = [
            f
            for f in date_findings(
                body.delivered_on,
                today=today,
                received_on=received_on,
                assigned_on=assigned_on,
                contract_number=contract["number"],
                period_start=contract["period_start"],
                period_end=contract["period_end"],
            )
            if f.outcome != "passed"
        ]
        if wrong_date:
            out[i] = BatchOutcome(refusal=DeliveryRefused(wrong_date))
            continue
        applicant = msgspec.convert(decode(assignment["request.applicant_snapshot"], {}), Applicant)
        person = person_of(applicant.citizen_id, body.request_id)
        ctx = DeliveryContext(
            municipality=municipality,
            contract=terms,
            request_id=body.request_id,
            applicant=applicant,
            received_on=received_on,
            assigned_on=assigned_on,
            delivered_on=body.delivered_on,
            delivery=delivery,
            params=params,
            recorded=RecordedFor(
                actor.municipality_id, service.code, person, body.delivered_on, tally
            ),
        )
        pending.append(
            _Pending(
                index=i,
                body=body,
                assignment=assignment,
                ctx=ctx,
                stored=msgspec.to_builtins(delivery),
                person=person,
            )
        )
    return pending


async def _accept(
    actor: Actor,
    contract_id: int,
    service: Service,
    pending: list[_Pending],
    out: list[BatchOutcome],
    tally: Tally,
) -> list[_Pending]:
    """Inside the transaction: lock the persons, then the contract, and keep the
    deliveries the checks, the delivery keys and the caps let through, one after the
    other in the order given (each seeing the ones accepted before it)."""
    await lock_persons(p.person for p in pending)
    rows = await Contract.raw(
        "UPDATE contract SET used_kop = used_kop WHERE id = {} "
        "RETURNING status, used_kop, money_cap_kop, used_milli, volume_cap_milli",
        contract_id,
    )
    now = rows[0]
    if now["status"] != "active":
        for p in pending:
            out[p.index] = BatchOutcome(
                refusal=Conflict("договір не діє / the contract is not active", "request_id")
            )
        return []
    money_left = int(now["money_cap_kop"]) - int(now["used_kop"])
    volume_left = int(now["volume_cap_milli"]) - int(now["used_milli"])
    assert service.price is not None
    # A batch check reads set-wise before any of the batch is accepted; a check of one
    # delivery runs just before that delivery is weighed, so it sees the ones before it.
    batch_found = (
        await _batch_checks(service, [p.ctx for p in pending])
        if service.check_deliveries is not None
        else None
    )
    keys = [k for p in pending if (k := _unique_key(service, p))]
    used = await _used_keys(actor.municipality_id, service.code, keys)
    kept: list[_Pending] = []
    for n, p in enumerate(pending):
        found = batch_found[n] if batch_found is not None else await _one_check(service, p.ctx)
        failed = [f for f in found if f.outcome != "passed"]
        if failed:
            out[p.index] = BatchOutcome(refusal=DeliveryRefused(failed))
            continue
        price = priced(service, p.ctx.contract.tariff, p.ctx.delivery)
        p.amount, p.quantity, p.parts = price.amount_kop, price.quantity_milli, price.parts
        if (p.amount < 0 < p.quantity) or (p.quantity < 0 < p.amount):
            out[p.index] = BatchOutcome(
                refusal=Invalid("від'ємна сума / a negative amount", "data")
            )
            continue
        p.unique_key = _unique_key(service, p)
        if p.unique_key and p.unique_key in used:
            out[p.index] = BatchOutcome(
                refusal=Conflict(
                    f"таке надання вже записано / already recorded ({p.unique_key})", "data"
                )
            )
            continue
        if p.amount > money_left or p.quantity > volume_left:
            out[p.index] = BatchOutcome(
                refusal=cap_refusal(money_left, volume_left, p.amount, p.quantity)
            )
            continue
        money_left -= p.amount
        volume_left -= p.quantity
        if p.unique_key:
            used.add(p.unique_key)
        tally.add(p.person, service.code, p.body.delivered_on, p.quantity)
        kept.append(p)
    return kept


def _unique_key(service: Service, p: _Pending) -> str | None:
    return service.delivery_key(p.ctx) if service.delivery_key else None


async def _insert(
    actor: Actor, contract: dict[str, Any], code: str, sheets: dict[str, int], rows: list[_Pending]
) -> dict[str, int]:
    """Insert the deliveries (a key stored meanwhile by a parallel call is skipped); their
    ids by idempotency key."""
    inserted: dict[str, int] = {}
    columns = (
        "municipality, contract, sheet, assignment, request, provider, service_code, "
        "delivered_on, data, quantity_milli, amount_kop, idempotency_key, unique_key, status, "
        "void_reason, recorded_by, recorded_at"
    )
    one = (
        "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, 'recorded', '', {}, "
        "CURRENT_TIMESTAMP)"
    )
    for start in range(0, len(rows), INSERT_ROWS):
        chunk = rows[start : start + INSERT_ROWS]
        values: list[Any] = []
        for p in chunk:
            values += [
                actor.municipality_id,
                contract["id"],
                sheets[period_of(p.body.delivered_on)],
                p.assignment["id"],
                p.body.request_id,
                contract["provider"],
                code,
                p.body.delivered_on,
                msgspec.json.encode(p.stored).decode(),
                p.quantity,
                p.amount,
                p.body.idempotency_key,
                p.unique_key,
                actor.id,
            ]
        got = await Delivery.raw(
            f"INSERT INTO delivery ({columns}) VALUES {', '.join([one] * len(chunk))} "
            "ON CONFLICT (provider, idempotency_key) DO NOTHING RETURNING id, idempotency_key",
            *values,
        )
        inserted.update({r["idempotency_key"]: int(r["id"]) for r in got})
    return inserted


async def _store(
    actor: Actor,
    contract: dict[str, Any],
    service: Service,
    pending: list[_Pending],
    out: list[BatchOutcome],
    tally: Tally,
) -> list[_Pending]:
    """Inside the transaction: checks and caps, sheets, the rows and their audit; the
    deliveries a parallel call stored first under the same key (returned for the caller to
    resolve)."""
    code = service.code
    kept = await _accept(actor, contract["id"], service, pending, out, tally)
    if not kept:
        return []
    per_month: dict[str, int] = defaultdict(int)
    for p in kept:
        per_month[period_of(p.body.delivered_on)] += 1
    sheets = {
        period: await claim_open_sheet(actor.municipality_id, contract["id"], period, add=n)
        for period, n in sorted(per_month.items())
    }
    inserted = await _insert(actor, contract, code, sheets, kept)
    stored = [p for p in kept if p.body.idempotency_key in inserted]
    lost = [p for p in kept if p.body.idempotency_key not in inserted]
    await store_parts((inserted[p.body.idempotency_key], part) for p in stored for part in p.parts)
    await Contract.raw(
        "UPDATE contract SET used_kop = used_kop + {}, used_milli = used_milli + {} WHERE id = {}",
        sum(p.amount for p in stored),
        sum(p.quantity for p in stored),
        contract["id"],
    )
    for period, sheet in sheets.items():
        gone = sum(1 for p in lost if period_of(p.body.delivered_on) == period)
        if gone:
            await DeliverySheet.raw(
                "UPDATE delivery_sheet SET deliveries = deliveries - {} WHERE id = {}", gone, sheet
            )
    if stored:
        await AuditLog.insert(
            *[
                AuditLog(
                    municipality=actor.municipality_id,
                    actor=actor.id,
                    actor_role=actor.role,
                    action="delivery.record",
                    subject="delivery",
                    subject_id=inserted[p.body.idempotency_key],
                    details=msgspec.json.encode(
                        {"contract": contract["id"], "amount": str(from_kopiyky(p.amount))}
                    ).decode(),
                    ip=actor.ip,
                )
                for p in stored
            ]
        )
    for p in stored:
        out[p.index] = BatchOutcome(delivery_id=inserted[p.body.idempotency_key], created=True)
    return lost


async def record_batch(
    platform: Platform, actor: Actor, contract_id: int, items: Sequence[DeliveryIn]
) -> list[BatchOutcome]:
    """Record the deliveries under the contract (see the module's docstring); one outcome
    per delivery, in the order given."""
    out = [BatchOutcome() for _ in items]
    if not items:
        return out
    contract = (
        await Contract.select()
        .where((Contract.id == contract_id) & (Contract.municipality == actor.municipality_id))
        .first()
    )
    if contract is None or (actor.role == "provider" and contract["provider"] != actor.provider_id):
        raise NotFound("договір не знайдено / contract not found", "contract_id")
    service = await platform.service(actor.municipality_id, contract["service_code"])
    if contract["status"] != "active":
        inactive = Conflict("договір не діє / the contract is not active", "request_id")
        return [BatchOutcome(refusal=inactive) for _ in items]
    tally = Tally()
    pending = await _prepare(platform, actor, contract, service, items, out, tally)
    async with write_transaction():
        lost = await _store(actor, contract, service, pending, out, tally)
        refused = [
            (items[i], o.refusal)
            for i, o in enumerate(out)
            if isinstance(o.refusal, DeliveryRefused)
        ]
        for body, refusal in refused:
            assert isinstance(refusal, DeliveryRefused)
            await quality.note_refusal(
                actor.municipality_id,
                contract["provider"],
                contract["id"],
                body.request_id,
                [f.rule for f in refusal.findings],
            )
    if lost:  # a parallel call stored them first: the same delivery, or a used key
        again = await _existing(contract["provider"], [p.body.idempotency_key for p in lost])
        for p in lost:
            row = again.get(p.body.idempotency_key)
            if row is not None and same_delivery(row, p.body, p.stored):
                out[p.index] = BatchOutcome(delivery_id=int(row["id"]), created=False)
            else:
                out[p.index] = BatchOutcome(refusal=Conflict(_USED_KEY, "idempotency_key"))
    return out


def refusal_text(exc: Exception) -> str:
    """A refusal in one line, both languages."""
    if isinstance(exc, DeliveryRefused):
        return "; ".join(f"{f.message.uk} / {f.message.en}" for f in exc.findings)
    if isinstance(exc, DomainError):
        return exc.message
    return str(exc)
