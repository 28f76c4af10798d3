"""Invoices: per contract and month, drafted set-wise from the delivery sheets.

The billing run claims every open sheet of the period in one UPDATE, totals all their
live deliveries in one aggregate query, and inserts the invoices, all in one transaction:
a crash leaves no partial invoice, a sheet is invoiced at most once (unique index), and a
delivery belongs to exactly one sheet. Approval needs an accountant other than the user
who submitted the invoice; payment moves the money from invoiced to paid.

Lock order (docs/marketplace.md#lock-order): contract, then sheet (several in ascending
id), then delivery, then invoice. A reject therefore moves its deliveries before it
updates the invoice.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import msgspec

from core import clock
from core.actor import Actor
from core.db.engine import is_sqlite, write_transaction
from core.db.market import Contract, Delivery, DeliverySheet, Invoice
from core.db.tables import Provider
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.events import Event
from core.notify import invoice_news, outbox
from core.platform import Platform, decode
from core.service import Service, TariffPart, Text
from core.validators import Checked, Month
from core.workflow import audit
from core.workflow.market.deliveries import claim_open_sheet
from core.workflow.market.pricing import part_price
from core.workflow.market.units import from_kopiyky, from_milli, money, period_bounds, to_kopiyky


class InvoiceLine(msgspec.Struct, kw_only=True):
    service_code: str
    service_uk: str
    service_en: str
    unit_uk: str
    unit_en: str
    quantity: Decimal
    unit_price: Decimal | None
    amount: Decimal
    deliveries: int
    #: A credit line: corrections of amounts billed too much earlier (negative).
    correction: bool = False
    #: The tariff part the line bills (a multi-part tariff: one line per part), or "".
    part: str = ""


class InvoiceOut(msgspec.Struct, kw_only=True):
    id: int
    number: str
    contract_id: int
    contract_number: str
    provider_id: int
    provider_name: str
    budget_line_id: int
    period: str
    quantity: Decimal
    total: Decimal
    deliveries: int
    lines: list[InvoiceLine]
    status: str
    created_at: datetime
    submitted_by: int | None
    approved_by: int | None
    rejected_reason: str
    paid_on: date | None
    payment_reference: str


class RunIn(Checked, kw_only=True, forbid_unknown_fields=True):
    period: Month
    #: Only these contracts (default: every contract with deliveries in the period).
    contract_ids: list[int] | None = None


class RejectIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=3, max_length=2000)]


class PayIn(Checked, kw_only=True, forbid_unknown_fields=True):
    paid_on: date
    reference: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


def _select() -> Any:
    return Invoice.select(*Invoice.all_columns(), Invoice.contract.number, Invoice.provider.name)


def _out(row: dict[str, Any]) -> InvoiceOut:
    return InvoiceOut(
        id=row["id"],
        number=row["number"],
        contract_id=row["contract"],
        contract_number=row["contract.number"],
        provider_id=row["provider"],
        provider_name=decode(row["payee"], {}).get("name") or row["provider.name"],
        budget_line_id=row["budget_line"],
        period=row["period"],
        quantity=from_milli(row["quantity_milli"]),
        total=from_kopiyky(row["total_kop"]),
        deliveries=row["deliveries"],
        lines=msgspec.convert(decode(row["lines"], []), list[InvoiceLine]),
        status=row["status"],
        created_at=row["created_at"],
        submitted_by=row["submitted_by"],
        approved_by=row["approved_by"],
        rejected_reason=row["rejected_reason"],
        paid_on=row["paid_on"],
        payment_reference=row["payment_reference"],
    )


async def row_of(actor: Actor, invoice_id: int) -> dict[str, Any]:
    row: dict[str, Any] | None = (
        await _select()
        .where((Invoice.id == invoice_id) & (Invoice.municipality == actor.municipality_id))
        .first()
    )
    if row is None or (actor.role == "provider" and row["provider"] != actor.provider_id):
        raise NotFound(f"рахунок {invoice_id} не знайдено / invoice not found", "invoice_id")
    return row


async def read(actor: Actor, invoice_id: int) -> InvoiceOut:
    return _out(await row_of(actor, invoice_id))


def _line(
    t: dict[str, Any],
    service: Service | None,
    *,
    quantity: Decimal,
    amount: Decimal,
    price: Decimal | None,
    part: TariffPart | None = None,
) -> InvoiceLine:
    title = service.card.title if service else None
    unit = part.unit if part else (service.unit if service else None)
    credit = bool(t["credit"])
    uk, en = (title.uk, title.en) if title else (t["service_code"], t["service_code"])
    if part is not None:
        uk, en = f"{uk} — {part.label.uk}", f"{en} — {part.label.en}"
    return InvoiceLine(
        service_code=t["service_code"],
        service_uk=f"{uk} — коригування (сторно)" if credit else uk,
        service_en=f"{en} — correction (credit)" if credit else en,
        correction=credit,
        unit_uk=unit.uk if unit else "",
        unit_en=unit.en if unit else "",
        quantity=quantity,
        amount=amount,
        unit_price=price,
        deliveries=t["n"],
        part=part.key if part else "",
    )


def _lines(
    platform: Platform,
    totals: list[dict[str, Any]],
    part_totals: list[dict[str, Any]],
    tariff: dict[str, Any],
) -> list[InvoiceLine]:
    """The lines of one sheet: a line per service (and sign) priced as a whole, and for a
    multi-part tariff a line per part whose amount is money(quantity × the contract's
    price), so the printed quantity × price = amount holds on every line."""
    lines = []
    for t in totals:
        service = platform.host.services.get(t["service_code"])
        multipart = service is not None and bool(service.tariff_parts)
        if multipart and not t["amount"]:
            continue  # deliveries of a multi-part tariff with no part billed (a no-show)
        price = None if multipart else tariff.get("unit_price")
        lines.append(
            _line(
                t,
                service,
                quantity=from_milli(t["quantity"]),
                amount=from_kopiyky(t["amount"]),
                price=None if price is None else Decimal(str(price)),
            )
        )

    def declared_order(t: dict[str, Any]) -> tuple[str, int, int]:
        service = platform.host.services.get(t["service_code"])
        keys = [p.key for p in service.tariff_parts] if service else []
        at = keys.index(t["part"]) if t["part"] in keys else len(keys)
        return (t["service_code"], int(t["credit"]), at)

    for t in sorted(part_totals, key=declared_order):
        service = platform.host.services.get(t["service_code"])
        declared = {p.key: p for p in service.tariff_parts} if service else {}
        part = declared.get(t["part"]) or TariffPart(
            key=t["part"], label=Text(t["part"], t["part"]), unit=Text("", "")
        )
        quantity = from_milli(t["quantity"])
        price = part_price(part, tariff)
        amount = from_kopiyky(t["amount"]) if price is None else money(quantity * price)
        lines.append(_line(t, service, quantity=quantity, amount=amount, price=price, part=part))
    return lines


_PARTLESS = "NOT EXISTS (SELECT 1 FROM delivery_part p WHERE p.delivery_id = delivery.id)"
_CREDIT = "CASE WHEN amount_kop < 0 THEN 1 ELSE 0 END"


class _Totals(msgspec.Struct):
    """The recorded deliveries of the claimed sheets: per sheet their count and quantity;
    per sheet and service (a credit apart) those without parts; per sheet, service and part
    the parts of the others."""

    sheets: dict[int, dict[str, Any]]
    partless: dict[int, list[dict[str, Any]]]
    parts: dict[int, list[dict[str, Any]]]


async def _totals(sheet_ids: list[int]) -> _Totals:
    marks = ", ".join("{}" for _ in sheet_ids)
    sheets = await Delivery.raw(
        "SELECT sheet, COUNT(*) AS n, SUM(quantity_milli) AS quantity FROM delivery "
        f"WHERE sheet IN ({marks}) AND status = 'recorded' GROUP BY sheet",
        *sheet_ids,
    )
    partless = await Delivery.raw(
        f"SELECT sheet, service_code, {_CREDIT} AS credit, COUNT(*) AS n, "
        "SUM(quantity_milli) AS quantity, SUM(amount_kop) AS amount FROM delivery "
        f"WHERE sheet IN ({marks}) AND status = 'recorded' AND {_PARTLESS} "
        f"GROUP BY sheet, service_code, {_CREDIT} ORDER BY sheet, service_code, 3",
        *sheet_ids,
    )
    credit = "CASE WHEN p.quantity_milli < 0 THEN 1 ELSE 0 END"
    parts = await Delivery.raw(
        "SELECT d.sheet AS sheet, d.service_code AS service_code, p.part AS part, "
        f"{credit} AS credit, COUNT(*) AS n, SUM(p.quantity_milli) AS quantity, "
        "SUM(p.amount_kop) AS amount FROM delivery_part p JOIN delivery d ON d.id = "
        f"p.delivery_id WHERE d.sheet IN ({marks}) AND d.status = 'recorded' "
        f"GROUP BY d.sheet, d.service_code, p.part, {credit} "
        "ORDER BY d.sheet, d.service_code, 4, p.part",
        *sheet_ids,
    )
    out = _Totals({int(r["sheet"]): r for r in sheets}, {}, {})
    for r in partless:
        out.partless.setdefault(int(r["sheet"]), []).append(r)
    for r in parts:
        out.parts.setdefault(int(r["sheet"]), []).append(r)
    return out


async def run(platform: Platform, actor: Actor, body: RunIn) -> list[InvoiceOut]:
    """Draft the invoices of a period: one per contract sheet with live deliveries."""
    start, _ = period_bounds(body.period)
    if body.contract_ids is not None and not body.contract_ids:
        return []
    where = "municipality = {} AND period = {} AND status = 'open' AND deliveries > 0"
    args: list[Any] = [actor.municipality_id, body.period]
    if actor.role == "provider":
        where += " AND contract IN (SELECT id FROM contract WHERE provider = {})"
        args.append(actor.provider_id)
    if body.contract_ids is not None:
        where += " AND contract IN (" + ", ".join("{}" for _ in body.contract_ids) + ")"
        args.extend(int(c) for c in body.contract_ids)
    claim = f"UPDATE delivery_sheet SET status = 'invoiced' WHERE {where} RETURNING id, contract"
    if not is_sqlite():
        # Lock the sheets in ascending id, as every transaction that takes several does
        # (SQLite has no row locks: a write transaction holds the whole database).
        claim = (
            "UPDATE delivery_sheet SET status = 'invoiced' WHERE id IN (SELECT id FROM "
            f"delivery_sheet WHERE {where} ORDER BY id FOR UPDATE OF delivery_sheet) "
            "RETURNING id, contract"
        )
    async with write_transaction():
        claimed = await DeliverySheet.raw(claim, *args)
        if not claimed:
            return []
        sheet_ids = [c["id"] for c in claimed]
        totals = await _totals(sheet_ids)
        contracts = {
            c["id"]: c
            for c in await Contract.select(
                Contract.id, Contract.provider, Contract.budget_line, Contract.tariff
            ).where(Contract.id.is_in(list({c["contract"] for c in claimed})))
        }
        rows: list[tuple[Any, ...]] = []
        credited: list[int] = []
        for sheet in claimed:
            summary = totals.sheets.get(sheet["id"])
            if not summary:
                continue
            contract = contracts[sheet["contract"]]
            lines = _lines(
                platform,
                totals.partless.get(sheet["id"], []),
                totals.parts.get(sheet["id"], []),
                decode(contract["tariff"], {}),
            )
            total = sum(to_kopiyky(line.amount) for line in lines)
            if total < 0:
                # Corrections outweigh the month's deliveries: nothing to pay; the sheet
                # stays open and its credit is taken by a later run of the period.
                credited.append(sheet["id"])
                continue
            rows.append(
                (
                    actor.municipality_id,
                    f"Р-{start.year}-{sheet['id']:06d}",
                    contract["id"],
                    contract["provider"],
                    sheet["id"],
                    contract["budget_line"],
                    body.period,
                    int(summary["quantity"]),
                    total,
                    int(summary["n"]),
                    msgspec.json.encode(lines).decode(),
                    actor.id,
                )
            )
        if credited:
            marks = ", ".join("{}" for _ in credited)
            await DeliverySheet.raw(
                f"UPDATE delivery_sheet SET status = 'open' WHERE id IN ({marks})", *credited
            )
        await _insert(rows)
        await audit.record(
            actor,
            "invoice.run",
            "invoice",
            None,
            {
                "period": body.period,
                "sheets": len(sheet_ids),
                "invoices": len(rows),
                "left_open_by_credits": len(credited),
            },
        )
    created = await _select().where(Invoice.sheet.is_in(sheet_ids)).order_by(Invoice.id)
    return [_out(r) for r in created]


_INSERT_COLUMNS = (
    "municipality, number, contract, provider, sheet, budget_line, period, quantity_milli, "
    "total_kop, deliveries, lines, created_by, status, rejected_reason, payment_reference, "
    "created_at"
)


async def _insert(rows: list[tuple[Any, ...]], chunk: int = 1000) -> None:
    """Insert invoices in multi-row statements (a Table object per row costs too much)."""
    for i in range(0, len(rows), chunk):
        part = rows[i : i + chunk]
        values = ", ".join(
            "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, 'draft', '', '', CURRENT_TIMESTAMP)"
            for _ in part
        )
        await Invoice.raw(
            f"INSERT INTO invoice ({_INSERT_COLUMNS}) VALUES {values}",
            *[value for row in part for value in row],
        )


async def _move(
    actor: Actor,
    invoice_id: int,
    source: str,
    target: str,
    values: dict[Any, Any],
    action: str,
    details: dict[str, Any],
    release: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Move the invoice from ``source`` to ``target``; with ``release`` (the invoice's row,
    on a reject) its deliveries go back to an open sheet first, in the same transaction
    (sheets and deliveries are locked before the invoice: see the lock order above)."""
    async with write_transaction():
        if release is not None:
            await _release(actor, release)
        changed = (
            await Invoice.update({Invoice.status: target, **values})
            .where((Invoice.id == invoice_id) & (Invoice.status == source))
            .returning(Invoice.id, Invoice.sheet, Invoice.contract, Invoice.period)
        )
        if not changed:  # the release, if any, is rolled back with the transaction
            raise Conflict(
                f"рахунок не в стані «{source}» / the invoice is not '{source}'", "status"
            )
        await audit.record(actor, action, "invoice", invoice_id, details)
        # The provider's e-mail of a reject or a payment, with the move or not at all.
        await invoice_news.invoice_moved(invoice_id, target)
    return changed[0]


async def _release(actor: Actor, invoice: dict[str, Any]) -> None:
    """A rejected invoice's recorded deliveries go to the open sheet of their contract and
    month, opened if there is none; the invoice keeps its own sheet, now empty.

    The open sheet is claimed as recording claims it (a conditional UPDATE): a billing run
    that is claiming it at the same moment is waited for, and then a new open sheet is
    taken, never the sheet the run has just invoiced without these deliveries.
    """
    # The invoice's sheet is older than any open sheet of its month: lower id, locked first.
    await DeliverySheet.raw(
        "UPDATE delivery_sheet SET deliveries = 0 WHERE id = {}", invoice["sheet"]
    )
    target = await claim_open_sheet(
        actor.municipality_id, invoice["contract"], invoice["period"], add=0
    )
    moved = await Delivery.raw(
        "UPDATE delivery SET sheet = {} WHERE sheet = {} AND status = 'recorded' RETURNING id",
        target,
        invoice["sheet"],
    )
    if moved:
        await DeliverySheet.raw(
            "UPDATE delivery_sheet SET deliveries = deliveries + {} WHERE id = {}",
            len(moved),
            target,
        )


async def submit(platform: Platform, actor: Actor, invoice_id: int) -> InvoiceOut:
    await row_of(actor, invoice_id)
    await _move(
        actor,
        invoice_id,
        "draft",
        "submitted",
        {Invoice.submitted_by: actor.id, Invoice.submitted_at: clock.now()},
        "invoice.submit",
        {},
    )
    return await read(actor, invoice_id)


async def payee_now(provider_id: int) -> dict[str, str]:
    """Whom an invoice pays, as the provider's record says now; frozen into the invoice
    at approval (``invoice.payee``), so the register and the PDFs keep it."""
    row = (
        await Provider.select(
            Provider.name, Provider.edrpou, Provider.tax_number, Provider.iban, Provider.address
        )
        .where(Provider.id == provider_id)
        .first()
    )
    if row is None:
        return {}
    return {
        "name": row["name"],
        "edrpou": row["edrpou"] or "",
        "tax_number": row["tax_number"] or "",
        "iban": row["iban"] or "",
        "address": row["address"] or "",
    }


async def approve(platform: Platform, actor: Actor, invoice_id: int) -> InvoiceOut:
    row = await row_of(actor, invoice_id)
    if actor.role != "accountant":
        raise Forbidden("затверджує лише бухгалтер / only an accountant approves", "role")
    if actor.id == row["submitted_by"]:
        raise Forbidden(
            "затверджує інша особа, ніж та, що подала рахунок / four eyes: the approver must "
            "differ from who submitted it",
            "invoice_id",
        )
    await _move(
        actor,
        invoice_id,
        "submitted",
        "approved",
        {
            Invoice.approved_by: actor.id,
            Invoice.approved_at: clock.now(),
            Invoice.payee: msgspec.json.encode(await payee_now(row["provider"])).decode(),
        },
        "invoice.approve",
        {"total": str(from_kopiyky(row["total_kop"]))},
    )
    await platform.emit(
        Event(
            kind="invoice.approved",
            municipality_id=actor.municipality_id,
            subject="invoice",
            subject_id=invoice_id,
            data={"total": str(from_kopiyky(row["total_kop"]))},
        )
    )
    return await read(actor, invoice_id)


async def reject(platform: Platform, actor: Actor, invoice_id: int, body: RejectIn) -> InvoiceOut:
    row = await row_of(actor, invoice_id)
    await _move(
        actor,
        invoice_id,
        "submitted",
        "rejected",
        {Invoice.rejected_reason: body.reason},
        "invoice.reject",
        {"reason": body.reason},
        # Always, not only when ``row`` says submitted: the status may have changed since
        # it was read, and a reject that is refused rolls the release back.
        release=row,
    )
    outbox.kick_if_written(platform.settings)
    return await read(actor, invoice_id)


async def pay(platform: Platform, actor: Actor, invoice_id: int, body: PayIn) -> InvoiceOut:
    row = await row_of(actor, invoice_id)
    if body.paid_on > clock.today():
        raise Invalid("дата оплати в майбутньому / the payment date is in the future", "paid_on")
    await _move(
        actor,
        invoice_id,
        "approved",
        "paid",
        {Invoice.paid_on: body.paid_on, Invoice.payment_reference: body.reference},
        "invoice.pay",
        {"total": str(from_kopiyky(row["total_kop"])), "reference": body.reference},
    )
    await platform.emit(
        Event(
            kind="invoice.paid",
            municipality_id=actor.municipality_id,
            subject="invoice",
            subject_id=invoice_id,
            data={},
        )
    )
    return await read(actor, invoice_id)


async def listing(
    actor: Actor, *, status: str | None, period: str | None, contract_id: int | None
) -> list[InvoiceOut]:
    where: Any = Invoice.municipality == actor.municipality_id
    if actor.role == "provider":
        where = where & (Invoice.provider == actor.provider_id)
    if status:
        where = where & (Invoice.status == status)
    if period:
        period_bounds(period)
        where = where & (Invoice.period == period)
    if contract_id is not None:
        where = where & (Invoice.contract == contract_id)
    return [_out(r) for r in await _select().where(where).order_by(Invoice.id)]
