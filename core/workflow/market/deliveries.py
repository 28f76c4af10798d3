"""Deliveries: what a provider did under a contract, priced by the plugin, idempotent.

Recording a delivery locks the contract (caps) and the open delivery sheet of its month
(rows the invoice run also locks), then inserts the delivery. A retried call with the
same idempotency key returns the delivery stored the first time.

Lock order (docs/marketplace.md#lock-order): contract, then sheet, then delivery, then
invoice. Recording and voiding both take the contract's row first, so on one contract
they queue instead of deadlocking.
"""

from __future__ import annotations

import inspect
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import msgspec

from core import clock
from core.actor import Actor
from core.db import paging
from core.db.engine import write_transaction
from core.db.market import Assignment, Contract, Delivery, DeliverySheet
from core.errors import Conflict, Invalid, NotFound
from core.platform import Platform, decode
from core.schemas import Page, RowId
from core.service import Applicant, DeliveryContext, Finding, Service, Text
from core.validators import Checked
from core.workflow import audit, quality
from core.workflow.calendar import first_receipt_day
from core.workflow.forms import validate_form
from core.workflow.market.assignments import day_of
from core.workflow.market.contracts import terms_of
from core.workflow.market.pricing import priced, store_parts
from core.workflow.market.recorded import RecordedFor, lock_persons, person_of
from core.workflow.market.units import from_kopiyky, from_milli, period_of
from core.workflow.requests import FormInvalid

Key = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]

#: The core's rules on the date a delivery may carry, checked before the plugin's own
#: ``check_delivery``; a refusal is a 422 whose ``extra[].key`` is the rule's id.
NOT_FUTURE = "core.delivery_not_future"
AFTER_RECEIPT = "core.delivery_after_receipt"
AFTER_ASSIGNMENT = "core.delivery_after_assignment"
IN_CONTRACT_PERIOD = "core.delivery_in_contract_period"


class DeliveryIn(Checked, kw_only=True, forbid_unknown_fields=True):
    request_id: RowId
    delivered_on: date
    idempotency_key: Key
    data: dict[str, Any]
    #: The contract the delivery is under, when the request is assigned to several
    #: (a provider's own user may leave it out: its own contract is taken).
    contract_id: RowId | None = None


class VoidIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=3, max_length=2000)]


class DeliveryOut(msgspec.Struct, kw_only=True):
    id: int
    contract_id: int
    request_id: int
    provider_id: int
    service_code: str
    delivered_on: date
    data: dict[str, Any]
    quantity: Decimal
    amount: Decimal
    status: str
    void_reason: str
    invoiced: bool
    idempotency_key: str


class DeliveryRefused(Exception):
    """The plugin's delivery checks failed; ``findings`` say why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message.en for f in findings))
        self.findings = findings


async def _refused(
    actor: Actor, contract: dict[str, Any], request_id: int, findings: list[Finding]
) -> None:
    await quality.note_refusal(
        actor.municipality_id,
        contract["provider"],
        contract["id"],
        request_id,
        [f.rule for f in findings],
    )


class _Duplicate(Exception):
    """Raised inside the transaction to roll it back when the key already exists."""


class _Refused(Exception):
    """Raised inside the transaction when the service's checks refuse the delivery."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__()
        self.findings = findings


async def _failed_checks(service: Service, ctx: DeliveryContext) -> list[Finding]:
    """The service's delivery check's failed findings (none without a check)."""
    if service.check_delivery is None:
        return []
    outcome = service.check_delivery(ctx)
    findings = list(await outcome if inspect.isawaitable(outcome) else outcome)
    return [f for f in findings if f.outcome != "passed"]


def _out(row: dict[str, Any]) -> DeliveryOut:
    return DeliveryOut(
        id=row["id"],
        contract_id=row["contract"],
        request_id=row["request"],
        provider_id=row["provider"],
        service_code=row["service_code"],
        delivered_on=row["delivered_on"],
        data=decode(row["data"], {}),
        quantity=from_milli(row["quantity_milli"]),
        amount=from_kopiyky(row["amount_kop"]),
        status=row["status"],
        void_reason=row["void_reason"],
        invoiced=row["sheet.status"] != "open",
        idempotency_key=row["idempotency_key"],
    )


#: Deliveries in the order they were recorded.
ORDER = paging.Order("deliveries", (Delivery.id,))


def _select() -> Any:
    return Delivery.select(*Delivery.all_columns(), Delivery.sheet.status)


async def read(actor: Actor, delivery_id: int) -> DeliveryOut:
    row = (
        await _select()
        .where((Delivery.id == delivery_id) & (Delivery.municipality == actor.municipality_id))
        .first()
    )
    if row is None or (actor.role == "provider" and row["provider"] != actor.provider_id):
        raise NotFound(f"надання {delivery_id} не знайдено / delivery not found", "delivery_id")
    return _out(row)


async def _existing(provider_id: int, key: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = (
        await _select()
        .where((Delivery.provider == provider_id) & (Delivery.idempotency_key == key))
        .first()
    )
    return found


def same_delivery(row: dict[str, Any], body: DeliveryIn, data: dict[str, Any]) -> bool:
    return (
        row["request"] == body.request_id
        and row["delivered_on"] == body.delivered_on
        and decode(row["data"], {}) == data
    )


async def claim_open_sheet(
    municipality_id: int, contract_id: int, period: str, add: int = 1
) -> int:
    """Lock (or open) the contract's open sheet of the month and count ``add`` more
    deliveries on it; returns its id.

    The conditional UPDATE waits for a billing run that is claiming the same sheet and,
    once the run has committed, no longer matches it: a new open sheet is opened then
    (``ON CONFLICT DO NOTHING`` when a parallel call opened it first) and claimed.
    """
    for _ in range(2):
        rows = await DeliverySheet.raw(
            "UPDATE delivery_sheet SET deliveries = deliveries + {} "
            "WHERE contract = {} AND period = {} AND status = 'open' RETURNING id",
            add,
            contract_id,
            period,
        )
        if rows:
            return int(rows[0]["id"])
        await DeliverySheet.raw(
            "INSERT INTO delivery_sheet (municipality, contract, period, status, deliveries, "
            "created_at) VALUES ({}, {}, {}, 'open', 0, CURRENT_TIMESTAMP) "
            "ON CONFLICT (contract, period) WHERE status = 'open' DO NOTHING",
            municipality_id,
            contract_id,
            period,
        )
    raise Conflict(
        "не вдалося відкрити відомість, повторіть / could not open a sheet, retry", "delivered_on"
    )


def earliest_day(received_on: date, assigned_on: date, period_start: date) -> date:
    """The first date a delivery may carry: the latest of the request's receipt (with the
    non-working days before a receipt registered on the next working day), the day of its
    assignment and the contract's start."""
    return max(first_receipt_day(received_on), assigned_on, period_start)


def date_findings(
    on: date,
    *,
    today: date,
    received_on: date,
    assigned_on: date,
    contract_number: str,
    period_start: date,
    period_end: date,
) -> list[Finding]:
    """The core's findings on a delivery dated ``on``, one per rule, passed or failed."""
    d = f"{on:%d.%m.%Y}"

    def finding(rule: str, ok: bool, uk: str, en: str) -> Finding:
        return Finding(rule, "passed" if ok else "failed", Text(uk, en))

    return [
        finding(
            NOT_FUTURE,
            on <= today,
            f"Дата надання {d}, сьогодні {today:%d.%m.%Y}: надання не може бути в майбутньому.",
            f"The delivery date is {d}, today is {today:%d.%m.%Y}: a delivery cannot be in the "
            "future.",
        ),
        finding(
            AFTER_RECEIPT,
            on >= first_receipt_day(received_on),
            f"Дата надання {d}, звернення отримано {received_on:%d.%m.%Y}: надання не може "
            "бути раніше за звернення.",
            f"The delivery date is {d}, the request was received on {received_on:%d.%m.%Y}: "
            "a delivery cannot precede the request.",
        ),
        finding(
            AFTER_ASSIGNMENT,
            on >= assigned_on,
            f"Дата надання {d}, звернення призначено договору {assigned_on:%d.%m.%Y}: надання "
            "не може бути раніше за призначення.",
            f"The delivery date is {d}, the request was assigned to the contract on "
            f"{assigned_on:%d.%m.%Y}: a delivery cannot precede the assignment.",
        ),
        finding(
            IN_CONTRACT_PERIOD,
            period_start <= on <= period_end,
            f"Дата надання {d}, строк договору {contract_number}: {period_start:%d.%m.%Y}–"
            f"{period_end:%d.%m.%Y}.",
            f"The delivery date is {d}, contract {contract_number} runs "
            f"{period_start:%d.%m.%Y}–{period_end:%d.%m.%Y}.",
        ),
    ]


async def first_day(request_id: int, contract_id: int) -> date | None:
    """The first date a delivery under the request's active assignment to the contract may
    carry (see :func:`earliest_day`), or None when the request is not assigned to it."""
    row = (
        await Assignment.select(
            Assignment.assigned_at,
            Assignment.request.received_on,
            Assignment.contract.period_start,
        )
        .where(
            (Assignment.request == request_id)
            & (Assignment.contract == contract_id)
            & (Assignment.active == True)  # noqa: E712
        )
        .first()
    )
    if row is None:
        return None
    return earliest_day(
        row["request.received_on"], day_of(row["assigned_at"]), row["contract.period_start"]
    )


async def _assignment(actor: Actor, body: DeliveryIn) -> tuple[dict[str, Any], dict[str, Any]]:
    """The request's active assignment the delivery is under, and its contract: the one
    to ``contract_id`` when given, else the provider user's own, else the only one."""
    rows = (
        await Assignment.select(
            Assignment.id,
            Assignment.contract,
            Assignment.contract.provider.as_alias("provider"),
            Assignment.assigned_at,
            Assignment.request.applicant_snapshot,
            Assignment.request.received_on,
        )
        .where(
            (Assignment.request == body.request_id)
            & (Assignment.active == True)  # noqa: E712
            & (Assignment.municipality == actor.municipality_id)
        )
        .order_by(Assignment.id)
    )
    if actor.role == "provider":
        rows = [r for r in rows if r["provider"] == actor.provider_id]
    if body.contract_id is not None:
        rows = [r for r in rows if r["contract"] == body.contract_id]
    if not rows:
        raise NotFound(
            "звернення не призначене вашому договору / the request is not assigned "
            "to your contract",
            "contract_id" if body.contract_id is not None else "request_id",
        )
    if len(rows) > 1:
        raise Invalid(
            "звернення призначене кільком договорам: вкажіть договір / the request is "
            "assigned to several contracts: give contract_id",
            "contract_id",
        )
    contract = await Contract.select().where(Contract.id == rows[0]["contract"]).first()
    assert contract is not None
    return rows[0], contract


def cap_refusal(money_left: int, volume_left: int, amount: int, quantity: int) -> Conflict:
    """The refusal of a delivery the contract's caps do not hold: which cap refused, what
    is left of it and what the delivery needs."""
    reasons: list[Text] = []
    if amount > money_left:
        left, need = from_kopiyky(money_left), from_kopiyky(amount)
        reasons.append(
            Text(
                f"ліміт коштів: залишок {left} грн, надання потребує {need} грн",
                f"money cap: {left} UAH left, the delivery needs {need} UAH",
            )
        )
    if quantity > volume_left:
        left, need = from_milli(volume_left), from_milli(quantity)
        reasons.append(
            Text(
                f"ліміт обсягу: залишок {left} од., надання потребує {need} од.",
                f"volume cap: {left} units left, the delivery needs {need}",
            )
        )
    uk = "; ".join(r.uk for r in reasons) or "ліміт договору змінено, повторіть"
    en = "; ".join(r.en for r in reasons) or "the contract's caps changed, retry"
    return Conflict(
        f"перевищено ліміт договору: {uk} / the contract's cap is exceeded: {en}", "data"
    )


async def _cap_refusal(contract_id: int, amount: int, quantity: int) -> Conflict:
    """Why the conditional cap update matched nothing, read again inside the transaction
    (a parallel delivery may have used the cap since the contract was first read)."""
    rows = await Contract.raw(
        "SELECT status, used_kop, money_cap_kop, used_milli, volume_cap_milli FROM contract "
        "WHERE id = {}",
        contract_id,
    )
    now = rows[0]
    if now["status"] != "active":
        return Conflict("договір не діє / the contract is not active", "request_id")
    return cap_refusal(
        now["money_cap_kop"] - now["used_kop"],
        now["volume_cap_milli"] - now["used_milli"],
        amount,
        quantity,
    )


async def record(platform: Platform, actor: Actor, body: DeliveryIn) -> tuple[DeliveryOut, bool]:
    """Record a delivery; returns it and whether it was created now (False on a retry)."""
    assignment, contract = await _assignment(actor, body)
    provider_id = contract["provider"]
    data_key = body.idempotency_key
    service = await platform.service(actor.municipality_id, contract["service_code"])
    assert service.delivery is not None
    assert service.price is not None
    delivery, errors = validate_form(service.delivery, body.data, prefix="data")
    earlier = await _existing(provider_id, data_key)
    if earlier is not None:
        same = (
            earlier["request"] == body.request_id
            and earlier["delivered_on"] == body.delivered_on
            and delivery is not None
            and decode(earlier["data"], {}) == msgspec.to_builtins(delivery)
        )
        if same:
            return _out(earlier), False
        raise Conflict(
            "ключ ідемпотентності вже використано для іншого надання / the "
            "idempotency key was used for another delivery",
            "idempotency_key",
        )
    if errors:
        raise FormInvalid(errors)
    assert delivery is not None
    if contract["status"] != "active":
        raise Conflict("договір не діє / the contract is not active", "request_id")
    received_on: date = assignment["request.received_on"]
    assigned_on = day_of(assignment["assigned_at"])
    wrong_date = [
        f
        for f in date_findings(
            body.delivered_on,
            today=clock.today(),
            received_on=received_on,
            assigned_on=assigned_on,
            contract_number=contract["number"],
            period_start=contract["period_start"],
            period_end=contract["period_end"],
        )
        if f.outcome != "passed"
    ]
    if wrong_date:
        await _refused(actor, contract, body.request_id, wrong_date)
        raise DeliveryRefused(wrong_date)
    terms = terms_of(service, contract)
    applicant = msgspec.convert(decode(assignment["request.applicant_snapshot"], {}), Applicant)
    person = person_of(applicant.citizen_id, body.request_id)
    ctx = DeliveryContext(
        municipality=await platform.municipality(id=actor.municipality_id),
        contract=terms,
        request_id=body.request_id,
        applicant=applicant,
        received_on=received_on,
        assigned_on=assigned_on,
        delivered_on=body.delivered_on,
        delivery=delivery,
        params=await platform.parameters(actor.municipality_id, service),
        recorded=RecordedFor(actor.municipality_id, service.code, person, body.delivered_on),
    )
    stored = msgspec.to_builtins(delivery)
    try:
        async with write_transaction() as tx:
            # Called inside a caller's transaction, this one joins it: a savepoint lets a
            # refusal or a lost race on the idempotency key undo this delivery's cap and
            # sheet counts without undoing the caller's other work.
            savepoint = await tx.savepoint()
            # The person first, then the contract (core.workflow.market.recorded): the
            # service's checks read what is recorded for the person with no parallel
            # delivery for the same person between the read and the insert.
            await lock_persons([person])
            failed = await _failed_checks(service, ctx)
            if failed:
                await savepoint.rollback_to()
                raise _Refused(failed)
            price = priced(service, terms.tariff, delivery)
            amount, quantity = price.amount_kop, price.quantity_milli
            if (amount < 0 < quantity) or (quantity < 0 < amount):
                # A credit (a correction of what was billed too much) is below zero in
                # both; a mixed sign is a pricing error.
                raise Invalid("від'ємна сума / a negative amount", "data")
            unique_key = service.delivery_key(ctx) if service.delivery_key else None
            if unique_key and await Delivery.exists().where(
                (Delivery.municipality == actor.municipality_id)
                & (Delivery.service_code == service.code)
                & (Delivery.unique_key == unique_key)
                & (Delivery.status == "recorded")
            ):
                raise Conflict(
                    f"таке надання вже записано / already recorded ({unique_key})", "data"
                )
            capped = await Contract.raw(
                "UPDATE contract SET used_kop = used_kop + {}, used_milli = used_milli + {} "
                "WHERE id = {} AND status = 'active' AND used_kop + {} <= money_cap_kop "
                "AND used_milli + {} <= volume_cap_milli RETURNING id",
                amount,
                quantity,
                contract["id"],
                amount,
                quantity,
            )
            if not capped:
                raise await _cap_refusal(contract["id"], amount, quantity)
            sheet = await claim_open_sheet(
                actor.municipality_id, contract["id"], period_of(body.delivered_on)
            )
            inserted = await Delivery.raw(
                "INSERT INTO delivery (municipality, contract, sheet, assignment, request,"
                " provider, service_code, delivered_on, data, quantity_milli, amount_kop,"
                " idempotency_key, unique_key, status, void_reason, recorded_by, recorded_at)"
                " VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, 'recorded', '', {},"
                " CURRENT_TIMESTAMP) ON CONFLICT (provider, idempotency_key) DO NOTHING"
                " RETURNING id",
                actor.municipality_id,
                contract["id"],
                sheet,
                assignment["id"],
                body.request_id,
                provider_id,
                service.code,
                body.delivered_on,
                msgspec.json.encode(stored).decode(),
                quantity,
                amount,
                data_key,
                unique_key,
                actor.id,
            )
            if not inserted:
                await savepoint.rollback_to()
                raise _Duplicate
            await store_parts((int(inserted[0]["id"]), p) for p in price.parts)
            await audit.record(
                actor,
                "delivery.record",
                "delivery",
                inserted[0]["id"],
                {"contract": contract["id"], "amount": str(from_kopiyky(amount))},
            )
    except _Refused as refused:
        await _refused(actor, contract, body.request_id, refused.findings)
        raise DeliveryRefused(refused.findings) from None
    except _Duplicate:  # a parallel call with the same key stored first
        again = await _existing(provider_id, data_key)
        assert again is not None
        if not same_delivery(again, body, stored):
            raise Conflict(
                "ключ ідемпотентності вже використано для іншого надання / the "
                "idempotency key was used for another delivery",
                "idempotency_key",
            ) from None
        return _out(again), False
    return await read(actor, int(inserted[0]["id"])), True


async def void(actor: Actor, delivery_id: int, body: VoidIn) -> DeliveryOut:
    current = await read(actor, delivery_id)
    if current.status != "recorded":
        raise Conflict("надання вже анульовано / already voided", "delivery_id")
    async with write_transaction():
        # The contract's row first, as record() takes it (see the lock order above): a
        # void that locked the sheet first deadlocked with a parallel record.
        contract = await Contract.raw(
            "UPDATE contract SET used_kop = used_kop WHERE id = {} RETURNING status",
            current.contract_id,
        )
        if not contract or contract[0]["status"] == "closed":
            raise Conflict("договір закрито / the contract is closed", "delivery_id")
        locked = await DeliverySheet.raw(
            "UPDATE delivery_sheet SET deliveries = deliveries - 1 WHERE status = 'open' AND "
            "id = (SELECT sheet FROM delivery WHERE id = {}) RETURNING id",
            delivery_id,
        )
        if not locked:
            raise Conflict(
                "надання вже включено до рахунку / the delivery is already invoiced", "delivery_id"
            )
        changed = (
            await Delivery.update({Delivery.status: "voided", Delivery.void_reason: body.reason})
            .where((Delivery.id == delivery_id) & (Delivery.status == "recorded"))
            .returning(Delivery.amount_kop, Delivery.quantity_milli, Delivery.contract)
        )
        if not changed:
            raise Conflict("надання вже анульовано / already voided", "delivery_id")
        await Contract.raw(
            "UPDATE contract SET used_kop = used_kop - {}, used_milli = used_milli - {} "
            "WHERE id = {}",
            changed[0]["amount_kop"],
            changed[0]["quantity_milli"],
            changed[0]["contract"],
        )
        await audit.record(actor, "delivery.void", "delivery", delivery_id, {"reason": body.reason})
    return await read(actor, delivery_id)


async def listing(
    actor: Actor,
    *,
    contract_id: int | None,
    period: str | None,
    status: str | None,
    page: int,
    page_size: int,
    after: str | None = None,
) -> Page[DeliveryOut]:
    """The deliveries the actor may see, oldest first: counted up to a bound, and beyond
    the first pages read after a cursor (:mod:`core.db.paging`)."""
    where: Any = Delivery.municipality == actor.municipality_id
    if actor.role == "provider":
        where = where & (Delivery.provider == actor.provider_id)
    if contract_id is not None:
        where = where & (Delivery.contract == contract_id)
    if period:
        from core.workflow.market.units import period_bounds

        start, end = period_bounds(period)
        where = where & (Delivery.delivered_on >= start) & (Delivery.delivered_on <= end)
    if status:
        where = where & (Delivery.status == status)
    found = await paging.read(
        Delivery, where, ORDER, page=page, page_size=page_size, after=after, query=_select()
    )
    return found.page([_out(r) for r in found.rows], page=page, page_size=page_size)
