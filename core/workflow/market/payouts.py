"""Money to citizens, paid by the accountant through the same budget lines and payment
register as providers' invoices: a lump sum due when the request is approved (funeral
aid), or a month of a periodic benefit a plugin makes due (a subsidy paid in cash).
One payout per request and period, kept by a unique index."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import msgspec

from core import clock
from core.actor import Actor
from core.db.engine import write_transaction
from core.db.market import BudgetLine, Payout
from core.errors import Conflict, Invalid, NotFound
from core.platform import decode
from core.schemas import RowId
from core.service import Service
from core.validators import Checked
from core.workflow import audit
from core.workflow.market import budget
from core.workflow.market.units import from_kopiyky

PERIOD = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


class PayoutOut(msgspec.Struct, kw_only=True):
    id: int
    request_id: int
    citizen_id: int
    service_code: str
    payee_name: str
    payee_tax_number: str | None
    iban: str
    amount: Decimal
    budget_line_id: int | None
    #: Empty for a one-off lump sum; ``YYYY-MM`` for a month of a periodic benefit.
    period: str
    status: str
    due_since: date
    paid_on: date | None
    payment_reference: str


class PayoutPayIn(Checked, kw_only=True, forbid_unknown_fields=True):
    paid_on: date
    reference: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    #: Needed when no budget line funded the payout at approval.
    budget_line_id: RowId | None = None


def _out(r: dict[str, Any]) -> PayoutOut:
    return PayoutOut(
        id=r["id"],
        request_id=r["request"],
        citizen_id=r["citizen"],
        service_code=r["service_code"],
        payee_name=r["payee_name"],
        payee_tax_number=r["payee_tax_number"],
        iban=r["iban"],
        amount=from_kopiyky(r["amount_kop"]),
        budget_line_id=r["budget_line"],
        period=r["period"],
        status=r["status"],
        due_since=r["due_since"],
        paid_on=r["paid_on"],
        payment_reference=r["payment_reference"],
    )


async def funding_line(municipality_id: int, service_code: str, year: int) -> int | None:
    """The budget line of the year that pays this service's lump sums, if one does."""
    for row in (
        await BudgetLine.select(BudgetLine.id, BudgetLine.lump_sum_services)
        .where((BudgetLine.municipality == municipality_id) & (BudgetLine.year == year))
        .order_by(BudgetLine.id)
    ):
        if service_code in decode(row["lump_sum_services"], []):
            return int(row["id"])
    return None


def payee(request: dict[str, Any]) -> tuple[str, str | None]:
    snapshot = decode(request["applicant_snapshot"], {})
    name = " ".join(
        p
        for p in (snapshot.get("last_name"), snapshot.get("first_name"), snapshot.get("patronymic"))
        if p
    )
    return name, snapshot.get("tax_number")


async def _insert(
    actor: Actor,
    service_code: str,
    request: dict[str, Any],
    iban: str,
    amount_kop: int,
    period: str,
) -> int:
    """Commit the money on the service's funding line of the year (if one funds it) and
    store the payout as due."""
    today = clock.today()
    year = int(period[:4]) if period else today.year
    line = await funding_line(actor.municipality_id, service_code, year)
    if line is not None and not await budget.commit(line, amount_kop):
        raise budget.lacks_money(
            await budget.line_row(actor.municipality_id, line), from_kopiyky(amount_kop)
        )
    name, tax_number = payee(request)
    row = Payout(
        municipality=actor.municipality_id,
        request=request["id"],
        citizen=request["citizen"],
        service_code=service_code,
        payee_name=name,
        payee_tax_number=tax_number,
        iban=iban,
        amount_kop=amount_kop,
        budget_line=line,
        period=period,
        due_since=today,
    )
    await row.save()
    await audit.record(
        actor,
        "payout.due",
        "payout",
        row.id,
        {
            "request": request["id"],
            "amount": str(from_kopiyky(amount_kop)),
            "budget_line": line,
            "period": period,
        },
    )
    return int(row.id)


async def create_for_request(
    actor: Actor, service: Service, request: dict[str, Any], amount_kop: int
) -> None:
    """Inside the approval's transaction: make the payout due and commit its money."""
    form = decode(request["form"], {})
    iban = form.get(service.payout_iban_field or "", "")
    if not iban:
        raise Invalid("у формі немає IBAN для виплати / the form has no IBAN to pay to", "form")
    await _insert(actor, service.code, request, iban, amount_kop, "")


async def make_due(
    actor: Actor,
    service_code: str,
    request: dict[str, Any],
    *,
    period: str,
    iban: str,
    amount_kop: int,
) -> tuple[PayoutOut, bool]:
    """A month of a periodic benefit paid to the applicant (a subsidy in cash): due now,
    its money committed on the service's funding line of the period's year.

    Idempotent by request and period: the payout already made is returned with
    ``False``. Call inside a write transaction that serialises callers for the request
    (the unique index refuses a second payout either way)."""
    if not PERIOD.match(period):
        raise Invalid(f"період «{period}» не РРРР-ММ / period is not YYYY-MM", "period")
    if amount_kop <= 0:
        raise Invalid("сума виплати має бути більше нуля / the amount must be above zero", "amount")
    if request["municipality"] != actor.municipality_id:
        raise NotFound("звернення не знайдено / request not found", "request_id")
    found = (
        await Payout.select()
        .where((Payout.request == request["id"]) & (Payout.period == period))
        .first()
    )
    if found is not None:
        return _out(found), False
    payout_id = await _insert(actor, service_code, request, iban, amount_kop, period)
    fresh = await Payout.select().where(Payout.id == payout_id).first()
    assert fresh is not None
    return _out(fresh), True


async def listing(actor: Actor, status: str | None) -> list[PayoutOut]:
    where: Any = Payout.municipality == actor.municipality_id
    if status:
        where = where & (Payout.status == status)
    return [_out(r) for r in await Payout.select().where(where).order_by(Payout.id)]


async def pay(actor: Actor, payout_id: int, body: PayoutPayIn) -> PayoutOut:
    row = (
        await Payout.select()
        .where((Payout.id == payout_id) & (Payout.municipality == actor.municipality_id))
        .first()
    )
    if row is None:
        raise NotFound(f"виплату {payout_id} не знайдено / payout not found", "payout_id")
    if row["status"] != "due":
        raise Conflict("виплата не очікує оплати / the payout is not due", "status")
    if body.paid_on > clock.today():
        raise Invalid("дата оплати в майбутньому / the payment date is in the future", "paid_on")
    if not body.reference.strip():
        raise Invalid("вкажіть номер платіжного документа / a reference is required", "reference")
    async with write_transaction():
        line = row["budget_line"]
        if line is None:
            if body.budget_line_id is None:
                raise Invalid(
                    "вкажіть бюджетну лінію / budget_line_id is required", "budget_line_id"
                )
            await budget.line_row(actor.municipality_id, body.budget_line_id)
            if not await budget.commit(body.budget_line_id, row["amount_kop"]):
                raise budget.lacks_money(
                    await budget.line_row(actor.municipality_id, body.budget_line_id),
                    from_kopiyky(row["amount_kop"]),
                )
            line = body.budget_line_id
        changed = (
            await Payout.update(
                {
                    Payout.status: "paid",
                    Payout.paid_on: body.paid_on,
                    Payout.payment_reference: body.reference,
                    Payout.budget_line: line,
                }
            )
            .where((Payout.id == payout_id) & (Payout.status == "due"))
            .returning(Payout.id)
        )
        if not changed:
            raise Conflict("виплата не очікує оплати / the payout is not due", "status")
        await audit.record(
            actor,
            "payout.pay",
            "payout",
            payout_id,
            {"reference": body.reference, "budget_line": line},
        )
    fresh = await Payout.select().where(Payout.id == payout_id).first()
    assert fresh is not None
    return _out(fresh)
