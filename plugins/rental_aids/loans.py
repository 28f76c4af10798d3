"""Loans: issue an item against an assigned request (act of handover), extend it on a new
medical conclusion, take it back (act of return), list the loans and the overdue ones.

An item is never on two active loans: issuing flips the item from ``available`` to
``on_loan`` by a conditional update, and a partial unique index on the active loans'
items backs it in the database.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from core.sdk import (
    Actor,
    Conflict,
    DeliveryRefused,
    DomainError,
    FormInvalid,
    Invalid,
    NotFound,
    Platform,
    Text,
    audit,
    clock,
    decode,
    deliveries,
    from_kopiyky,
    to_kopiyky,
    write_transaction,
)
from plugins.rental_aids import corrections, waiting
from plugins.rental_aids.assigned import assigned_request
from plugins.rental_aids.common import amount_kop, money_or_none, own_provider
from plugins.rental_aids.inventory import item_row
from plugins.rental_aids.loan_view import loan_out, loan_select
from plugins.rental_aids.residual import Residual, residual_value
from plugins.rental_aids.schemas import (
    ExtendIn,
    IssueIn,
    LoanCredit,
    LoanOut,
    ReturnIn,
    WaitingIn,
    WaitingOut,
)
from plugins.rental_aids.service import SERVICE
from plugins.rental_aids.tables import RentalItem, RentalLoan

L = RentalLoan
IT = RentalItem
#: Where the host mounts the plugin's waiting list (``/api/ext/<plugin>/``).
WAITING_PATH = "/api/ext/rental_aids/waiting-list"


def _conclusion_key(number: str, day: object) -> str:
    return f"{' '.join(number.split()).casefold()}:{day}"


def _not_future(day: date, field: str) -> None:
    if day > clock.today():
        raise Invalid("дата в майбутньому / the date is in the future", field)


async def loan_row(actor: Actor, loan_id: int) -> dict[str, Any]:
    """The row of one loan as :func:`loan_select` reads it, if the actor may see it: a
    provider's user only its own point's loans, a citizen only their own (else 404)."""
    row: dict[str, Any] | None = (
        await loan_select()
        .where((L.id == loan_id) & (L.municipality == actor.municipality_id))
        .first()
    )
    mine = own_provider(actor)
    if (
        row is None
        or (mine is not None and row["provider"] != mine)
        or (actor.role == "citizen" and row["citizen"] != actor.citizen_id)
    ):
        raise NotFound(f"прокат {loan_id} не знайдено / loan not found", "loan_id")
    return row


async def read(actor: Actor, loan_id: int) -> LoanOut:
    return loan_out(await loan_row(actor, loan_id))


async def issue(platform: Platform, actor: Actor, body: IssueIn) -> LoanOut:
    on = body.issued_on or clock.today()
    _not_future(on, "issued_on")
    req, contract = await assigned_request(actor, body.request_id)
    if on < min(req["received_on"], req["submitted_at"].astimezone(clock.KYIV).date()):
        raise Invalid("видача раніше звернення / issue before the request", "issued_on")
    first = await deliveries.first_day(body.request_id, contract["id"])
    if first is not None and on < first:
        # The loan's item-days would be deliveries the core refuses (dated before the
        # assignment or the contract's start).
        raise Invalid(
            f"видача {on:%d.%m.%Y} раніше {first:%d.%m.%Y}: послугу за зверненням можна надавати "
            f"лише з дня його призначення пункту прокату й початку договору / the issue on "
            f"{on:%d.%m.%Y} precedes {first:%d.%m.%Y}, the first day the request may be served "
            "(its assignment to the rental point, the contract's start)",
            "issued_on",
        )
    item = await item_row(actor, body.item_id)
    if item["provider"] != contract["provider"]:
        raise Conflict(
            "предмет іншого пункту прокату / the item is of another rental point", "item_id"
        )
    wanted = decode(req["form"], {}).get("device_type")
    if item["device_code"] != wanted:
        raise Conflict(
            f"звернення на «{wanted}», а предмет — «{item['device_code']}» / the request is for "
            "another device type",
            "item_id",
        )
    params = await platform.parameters(actor.municipality_id, SERVICE)
    term = int(params.at("rental_aids.loan_term_days", on))
    deposit = params.decimal("rental_aids.deposit_amount", on)
    async with write_transaction():
        other = await waiting.offered_elsewhere(body.item_id, body.request_id)
        if other is not None:
            raise await _taken(
                actor,
                item,
                req,
                Text(
                    f"предмет запропоновано за чергою (запис {other})",
                    "the item is offered to the waiting list",
                ),
            )
        claimed = await RentalItem.raw(
            "UPDATE rental_item SET status = 'on_loan' WHERE id = {} AND status = 'available' "
            "RETURNING id",
            body.item_id,
        )
        if not claimed:
            raise await _taken(actor, item, req, await _why_not_free(item))
        if await L.exists().where((L.request == body.request_id) & (L.status == "active")):
            raise Conflict(
                "за зверненням уже видано предмет / a loan is already active", "request_id"
            )
        row = L(
            municipality=actor.municipality_id,
            item=body.item_id,
            request=body.request_id,
            citizen=req["citizen"],
            provider=contract["provider"],
            contract=contract["id"],
            issued_on=on,
            due_on=on + timedelta(days=term),
            condition_at_issue=body.condition or item["condition"],
            handover_note=body.handover_note,
            deposit_kop=to_kopiyky(deposit),
            status="active",
            issued_by=actor.id,
        )
        await row.save()
        await waiting.mark_served(actor, body.request_id, body.item_id)
        await audit.record(
            actor,
            "rental.loan.issue",
            "rental_loan",
            row.id,
            {"item": body.item_id, "request": body.request_id, "due_on": str(row.due_on)},
        )
    return await read(actor, int(row.id))


class ItemTaken(Conflict):
    """The item cannot be issued to this request (issued to someone else a moment ago,
    kept for the waiting list): the 409 offers the waiting list of its type in
    ``details["waiting_list"]``."""


async def _why_not_free(item: dict[str, Any]) -> Text:
    now = await RentalItem.select(RentalItem.status).where(RentalItem.id == item["id"]).first()
    status = now["status"] if now else "retired"
    number = item["inventory_number"]
    if status != "on_loan":
        return Text(
            f"предмет {number} не вільний ({status})", f"item {number} is not available ({status})"
        )
    if item["status"] == "available":  # free when this call read it: a parallel issue won
        return Text(
            f"предмет {number} не вільний: його щойно видано іншому заявникові",
            f"item {number} is not available: it was just issued to someone else",
        )
    return Text(
        f"предмет {number} не вільний: його видано іншому заявникові",
        f"item {number} is not available: it is on loan to someone else",
    )


async def _taken(actor: Actor, item: dict[str, Any], req: dict[str, Any], why: Text) -> ItemTaken:
    """The refusal of an item that is not free, with what the request can do instead: take
    another free item of the type, or wait for one (the waiting-list entry to create, or
    the one it already has)."""
    code = item["device_code"]
    free = [
        {"id": int(f["id"]), "inventory_number": f["inventory_number"]}
        for f in await waiting.free_items(actor.municipality_id, item["provider"], code)
        if f["id"] != item["id"]
    ]
    entry = await waiting.live_entry(req["id"])
    enqueue = None
    if free:
        numbers = ", ".join(f["inventory_number"] for f in free)
        then = Text(
            f"вільні предмети цього типу: {numbers} — видайте один із них",
            f"items of the type still free: {numbers}; issue one of them",
        )
    elif entry is not None:
        then = Text(
            f"звернення вже в черзі (запис {entry})", f"the request is already waiting ({entry})"
        )
    else:
        enqueue = {"method": "POST", "path": WAITING_PATH, "body": {"request_id": req["id"]}}
        then = Text(
            f"вільних «{code}» немає: поставте звернення в чергу (POST {WAITING_PATH}) або "
            'повторіть видачу з "queue_if_taken": true',
            f"no other '{code}' is free: put the request on the waiting list (POST "
            f'{WAITING_PATH}) or repeat the issue with "queue_if_taken": true',
        )
    return ItemTaken(
        f"{why.uk}; {then.uk} / {why.en}; {then.en}",
        "item_id",
        details={
            "waiting_list": {
                "request_id": req["id"],
                "device_code": code,
                "available_items": free,
                "entry_id": entry,
                "enqueue": enqueue,
            }
        },
    )


async def issue_or_wait(
    platform: Platform, actor: Actor, body: IssueIn
) -> tuple[LoanOut | WaitingOut, bool]:
    """Issue the item; when it is taken and ``queue_if_taken`` is set, put the request on
    the waiting list instead (or keep its entry). Returns the loan or the waiting entry,
    and whether it is a loan."""
    try:
        return await issue(platform, actor, body), True
    except ItemTaken as taken:
        offer = taken.details["waiting_list"]
        if not body.queue_if_taken or offer["available_items"]:
            raise
        if offer["entry_id"] is not None:
            return await waiting.read(actor, offer["entry_id"]), False
        note = taken.message.split(";")[0][:200]
        return await waiting.enqueue(actor, WaitingIn(request_id=body.request_id, note=note)), False


async def extend(platform: Platform, actor: Actor, loan_id: int, body: ExtendIn) -> LoanOut:
    loan = await read(actor, loan_id)
    if loan.status != "active":
        raise Conflict("прокат завершено / the loan is over", "loan_id")
    today = clock.today()
    _not_future(body.conclusion_date, "conclusion_date")
    params = await platform.parameters(actor.municipality_id, SERVICE)
    valid = int(params.at("rental_aids.conclusion_valid_days", today))
    if (today - body.conclusion_date).days > valid:
        raise Invalid(
            f"висновок старший за {valid} днів / the conclusion is older than {valid} days",
            "conclusion_date",
        )
    key = _conclusion_key(body.conclusion_number, body.conclusion_date)
    row = (
        await L.select(L.last_conclusion, L.request.form.as_alias("form"))
        .where(L.id == loan_id)
        .first()
    )
    assert row is not None
    form = decode(row["form"], {})
    first = _conclusion_key(
        str(form.get("medical_conclusion_number") or ""), form.get("medical_conclusion_date")
    )
    if key in (row["last_conclusion"], first):
        raise Conflict(
            "потрібен новий висновок лікаря / a new medical conclusion is needed",
            "conclusion_number",
        )
    longest = int(params.at("rental_aids.max_term_days", today))
    cap = loan.issued_on + timedelta(days=longest)
    if loan.due_on >= cap:
        raise Conflict(
            f"досягнуто найдовшого строку {longest} дн. / the longest term is reached", "loan_id"
        )
    step = body.days or int(params.at("rental_aids.loan_term_days", today))
    due = loan.due_on + timedelta(days=step)
    if body.days is not None and due > cap:
        left = (cap - loan.due_on).days
        raise Invalid(
            f"можна продовжити щонайбільше на {left} дн. (до {longest} дн. від видачі) / at "
            f"most {left} more days ({longest} days from issue)",
            "days",
        )
    due = min(due, cap)
    async with write_transaction():
        done = (
            await L.update({L.due_on: due, L.extensions: L.extensions + 1, L.last_conclusion: key})
            .where((L.id == loan_id) & (L.status == "active") & (L.due_on == loan.due_on))
            .returning(L.id)
        )
        if not done:
            raise Conflict("прокат змінено, повторіть / the loan changed, retry", "loan_id")
        await audit.record(
            actor,
            "rental.loan.extend",
            "rental_loan",
            loan_id,
            {"from": str(loan.due_on), "to": str(due), "conclusion": body.conclusion_number},
        )
    return await read(actor, loan_id)


async def _residual_on(item_id: int, on: date) -> Residual | None:
    """The item's residual value on ``on`` (None when its value, acquisition date or its
    type's service life is unknown)."""
    row = (
        await IT.select(
            IT.purchase_value_kop,
            IT.acquired_on,
            IT.device_type.service_life_months.as_alias("service_life_months"),
        )
        .where(IT.id == item_id)
        .first()
    )
    assert row is not None
    return residual_value(
        money_or_none(row["purchase_value_kop"]),
        row["acquired_on"],
        row["service_life_months"],
        on,
    )


def _charge_columns(
    deposit_kop: int, stated_kop: int | None, residual: Residual | None
) -> dict[Any, Any]:
    """The damage charge of a return with damage beyond normal wear: the amount stated at
    the return, else the residual value; kept from the deposit up to the charge, the rest
    due from the borrower."""
    if stated_kop is not None:
        charge, basis = stated_kop, "stated"
    elif residual is not None:
        charge, basis = to_kopiyky(residual.value), "residual"
    else:
        raise Invalid(
            "залишкова вартість невідома (вартість, дата придбання чи строк служби): зазначте "
            "суму відшкодування / the residual value is unknown: give damage_charge",
            "damage_charge",
        )
    kept = min(deposit_kop, charge)
    return {
        L.charge_basis: basis,
        L.damage_charge_kop: charge,
        L.deposit_kept_kop: kept,
        L.charge_due_kop: charge - kept,
        L.residual_value_kop: None if residual is None else to_kopiyky(residual.value),
        L.residual_purchase_kop: None if residual is None else to_kopiyky(residual.purchase_value),
        L.residual_months_used: None if residual is None else residual.months_in_use,
        L.residual_life_months: None if residual is None else residual.service_life_months,
    }


async def give_back(platform: Platform, actor: Actor, loan_id: int, body: ReturnIn) -> LoanOut:
    loan = await read(actor, loan_id)
    if loan.status != "active":
        raise Conflict("предмет уже повернуто / the item is already returned", "loan_id")
    on = body.returned_on or clock.today()
    _not_future(on, "returned_on")
    if on < loan.issued_on:
        raise Invalid("повернення раніше видачі / return before the issue", "returned_on")
    damaged = body.damage_noted or body.condition == "damaged"
    if damaged and not body.damage_note.strip():
        raise Invalid("опишіть пошкодження / describe the damage", "damage_note")
    if body.beyond_normal_wear and not damaged:
        raise Invalid(
            "пошкодження понад нормальний знос потребує зазначеного пошкодження (damage_noted) "
            "/ damage beyond normal wear needs damage_noted",
            "beyond_normal_wear",
        )
    params = await platform.parameters(actor.municipality_id, SERVICE)
    charged = body.beyond_normal_wear and bool(params.at("rental_aids.damage_charged", on))
    stated: int | None = None
    if body.damage_charge is not None:
        stated = amount_kop(body.damage_charge, "damage_charge")
        if not charged:
            raise Invalid(
                "стягнення за пошкодження вимкнено (damage_charged) / damage charges are off"
                if body.beyond_normal_wear
                else "сума відшкодування — лише за пошкодження понад нормальний знос / "
                "damage_charge only with damage beyond normal wear",
                "damage_charge",
            )
    async with write_transaction():
        charge: dict[Any, Any] = {}
        if charged:
            residual = await _residual_on(loan.item_id, on)
            charge = _charge_columns(to_kopiyky(loan.deposit), stated, residual)
        done = (
            await L.update(
                {
                    L.status: "returned",
                    L.returned_on: on,
                    L.condition_at_return: body.condition,
                    L.damage_noted: damaged,
                    L.damage_note: body.damage_note.strip(),
                    L.beyond_normal_wear: body.beyond_normal_wear,
                    L.cleaning_done: body.cleaning_done,
                    L.returned_by: actor.id,
                    **charge,
                }
            )
            .where((L.id == loan_id) & (L.status == "active"))
            .returning(L.id)
        )
        if not done:
            raise Conflict("предмет уже повернуто / the item is already returned", "loan_id")
        status = "in_repair" if damaged else "available"
        await RentalItem.update(
            {RentalItem.status: status, RentalItem.condition: body.condition}
        ).where(RentalItem.id == loan.item_id)
        offered = await waiting.offer_next(actor, loan.item_id) if status == "available" else None
        await audit.record(
            actor,
            "rental.loan.return",
            "rental_loan",
            loan_id,
            {
                "item_status": status,
                "offered_to": offered,
                "cleaning_done": body.cleaning_done,
                "beyond_normal_wear": body.beyond_normal_wear,
                "damage_charge": str(from_kopiyky(charge.get(L.damage_charge_kop, 0))),
                "charge_basis": charge.get(L.charge_basis, ""),
                "deposit_kept": str(from_kopiyky(charge.get(L.deposit_kept_kop, 0))),
            },
        )
    out = await read(actor, loan_id)
    out.credits = await credit_late_return(platform, actor, await loan_row(actor, loan_id))
    return out


async def credit_late_return(
    platform: Platform, actor: Actor, loan: dict[str, Any]
) -> list[LoanCredit]:
    """Credit the item-days billed beyond a return dated back into billed months. A credit
    that cannot be recorded now is reported; the month's billing run records it later."""
    credits: list[LoanCredit] = []
    for entry in await corrections.billed(actor.municipality_id, loan["id"]):
        days = corrections.excess(loan, entry)
        if days <= 0:
            continue
        body = corrections.correction_body(loan, entry, clock.today())
        try:
            made, _ = await deliveries.record(platform, actor, body)
        except (DomainError, DeliveryRefused, FormInvalid) as exc:
            credits.append(
                LoanCredit(
                    month=entry.month,
                    days=-days,
                    amount=Decimal("0.00"),
                    delivery_id=None,
                    problem=corrections.reason(exc),
                )
            )
            continue
        credits.append(
            LoanCredit(month=entry.month, days=-days, amount=made.amount, delivery_id=made.id)
        )
    return credits


async def listing(
    actor: Actor,
    *,
    status: str | None,
    overdue: bool,
    citizen_id: int | None,
    page: int,
    page_size: int,
) -> tuple[list[LoanOut], int]:
    where: Any = L.municipality == actor.municipality_id
    mine = own_provider(actor)
    if mine is not None:
        where = where & (L.provider == mine)
    if actor.role == "citizen":
        where = where & (L.citizen == actor.citizen_id)
    elif citizen_id is not None:
        where = where & (L.citizen == citizen_id)
    if overdue:
        where = where & (L.status == "active") & (L.due_on < clock.today())
    elif status:
        where = where & (L.status == status)
    total = await L.count().where(where)
    query = loan_select().where(where)
    query = query.order_by(L.due_on) if overdue else query.order_by(L.id, ascending=False)
    rows = await query.limit(page_size).offset((page - 1) * page_size)
    return [loan_out(r) for r in rows], total
