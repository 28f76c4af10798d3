"""Acts, invoices and the payment register, built from what the database holds."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import msgspec
from openpyxl import Workbook
from openpyxl.styles import Font

from core import clock
from core.actor import Actor
from core.db.market import BudgetLine, Contract, Invoice, Payout
from core.db.tables import Municipality
from core.paperwork.acts import Line, Paper, Party, render_act, render_invoice
from core.platform import Platform, decode
from core.workflow import audit
from core.workflow.market.invoices import payee_now, row_of
from core.workflow.market.units import from_kopiyky, period_bounds


def _party(row: dict[str, Any]) -> Party:
    code_label, code = (
        ("ЄДРПОУ", row["edrpou"]) if row.get("edrpou") else ("РНОКПП", row.get("tax_number") or "")
    )
    return Party(
        name=row["name"],
        code_label=code_label,
        code=code or "",
        iban=row["iban"] or "",
        address=row.get("address") or "",
    )


async def paper_of(actor: Actor, invoice_id: int) -> Paper:
    invoice = await row_of(actor, invoice_id)
    muni = await Municipality.select().where(Municipality.id == actor.municipality_id).first()
    # The payee frozen at approval; before it, the provider as it is now.
    provider = decode(invoice["payee"], {}) or await payee_now(invoice["provider"])
    contract = (
        await Contract.select(Contract.number, Contract.signed_on)
        .where(Contract.id == invoice["contract"])
        .first()
    )
    line = await BudgetLine.select().where(BudgetLine.id == invoice["budget_line"]).first()
    assert muni is not None
    assert provider
    assert contract is not None
    lines = [
        Line(
            service=i["service_uk"],
            unit=i["unit_uk"],
            quantity=Decimal(str(i["quantity"])),
            unit_price=None if i.get("unit_price") is None else Decimal(str(i["unit_price"])),
            amount=Decimal(str(i["amount"])),
        )
        for i in decode(invoice["lines"], [])
    ]
    _, last_day = period_bounds(invoice["period"])
    return Paper(
        number=invoice["number"],
        issued_on=min(last_day, clock.today()),
        customer=Party(
            name=muni["name_uk"],
            code_label="ЄДРПОУ",
            code=muni["edrpou"] or "",
            iban=muni["iban"] or "",
            address=muni["address"] or "",
        ),
        provider=_party(provider),
        contract_number=contract["number"],
        contract_date=contract["signed_on"],
        period=invoice["period"],
        lines=lines,
        total=from_kopiyky(invoice["total_kop"]),
        budget_codes=f"КПКВК МБ {line['programme_code']}, КЕКВ {line['economic_code']}"
        if line
        else "",
    )


async def act_pdf(actor: Actor, invoice_id: int, kind: Literal["act", "invoice"]) -> bytes:
    paper = await paper_of(actor, invoice_id)
    await audit.record(actor, f"invoice.{kind}_pdf", "invoice", invoice_id)
    return render_act(paper) if kind == "act" else render_invoice(paper)


class RegisterRow(msgspec.Struct, kw_only=True):
    kind: str  # "invoice" | "payout"
    document: str
    payee: str
    payee_code: str
    iban: str
    amount: Decimal
    purpose: str
    programme_code: str
    economic_code: str
    status: str
    paid_on: date | None
    #: The citizen paid (a payout), else null; not a column of the CSV or XLSX.
    citizen_id: int | None = None


def _title(platform: Platform, code: str) -> str:
    service = platform.host.services.get(code)
    return service.card.title.uk if service else "Одноразова виплата"


async def register(platform: Platform, actor: Actor, period: str) -> list[RegisterRow]:
    """What is payable or paid for a month: approved and paid invoices of the period, and
    lump sums that fell due in it."""
    start, end = period_bounds(period)
    lines = {
        r["id"]: r
        for r in await BudgetLine.select().where(BudgetLine.municipality == actor.municipality_id)
    }
    rows: list[RegisterRow] = []
    invoices = (
        await Invoice.select(*Invoice.all_columns(), Invoice.contract.number)
        .where(
            (Invoice.municipality == actor.municipality_id)
            & (Invoice.period == period)
            & Invoice.status.is_in(["approved", "paid"])
        )
        .order_by(Invoice.id)
    )
    for inv in invoices:
        line = lines.get(inv["budget_line"], {})
        # Whom the invoice pays as it was at approval, not the provider's record today.
        payee = decode(inv["payee"], {}) or await payee_now(inv["provider"])
        rows.append(
            RegisterRow(
                kind="invoice",
                document=inv["number"],
                payee=payee["name"],
                payee_code=payee["edrpou"] or payee["tax_number"] or "",
                iban=payee["iban"],
                amount=from_kopiyky(inv["total_kop"]),
                purpose=(
                    f"Оплата соціальних послуг за {period}, рахунок № {inv['number']}, "
                    f"договір № {inv['contract.number']}, без ПДВ"
                ),
                programme_code=line.get("programme_code", ""),
                economic_code=line.get("economic_code", ""),
                status=inv["status"],
                paid_on=inv["paid_on"],
            )
        )
    payouts = (
        await Payout.select(*Payout.all_columns(), Payout.request.journal_number)
        .where(
            (Payout.municipality == actor.municipality_id)
            & (Payout.due_since >= start)
            & (Payout.due_since <= end)
            & Payout.status.is_in(["due", "paid"])
        )
        .order_by(Payout.id)
    )
    for p in payouts:
        line = lines.get(p["budget_line"], {})
        rows.append(
            RegisterRow(
                kind="payout",
                document=p["request.journal_number"],
                payee=p["payee_name"],
                payee_code=p["payee_tax_number"] or "",
                iban=p["iban"],
                amount=from_kopiyky(p["amount_kop"]),
                purpose=f"{_title(platform, p['service_code'])}: рішення за зверненням "
                f"№ {p['request.journal_number']}" + (f", за {p['period']}" if p["period"] else ""),
                programme_code=line.get("programme_code", ""),
                economic_code=line.get("economic_code", ""),
                status=p["status"],
                paid_on=p["paid_on"],
                citizen_id=p["citizen"],
            )
        )
    await audit.read(
        actor, "register.read", "register", None, {"period": period, "rows": len(rows)}
    )
    return rows


HEADER = [
    "Вид",
    "Документ",
    "Отримувач",
    "ЄДРПОУ/РНОКПП",
    "IBAN",
    "Сума, грн",
    "Призначення платежу",
    "КПКВК МБ",
    "КЕКВ",
    "Стан",
    "Дата оплати",
]


#: What a spreadsheet takes for the start of a formula (or of a command, in some).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe
    (OWASP's advice against CSV and formula injection): a provider named
    ``=HYPERLINK(...)`` stays text. Numbers and dates are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cells(r: RegisterRow) -> list[Any]:
    return [
        neutral(cell)
        for cell in (
            r.kind,
            r.document,
            r.payee,
            r.payee_code,
            r.iban,
            r.amount,
            r.purpose,
            r.programme_code,
            r.economic_code,
            r.status,
            r.paid_on,
        )
    ]


def register_csv(rows: list[RegisterRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    for r in rows:
        cells = _cells(r)
        cells[5] = f"{r.amount:.2f}"
        cells[10] = "" if r.paid_on is None else r.paid_on.isoformat()
        writer.writerow(cells)
    writer.writerow(["", "", "Разом", "", "", f"{sum(r.amount for r in rows):.2f}"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def register_xlsx(rows: list[RegisterRow], period: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"Реєстр {period}"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append(_cells(r))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, whatever it starts with
        sheet.cell(row=sheet.max_row, column=6).number_format = "#,##0.00"
    sheet.append(["", "", "Разом", "", "", sum((r.amount for r in rows), Decimal(0))])
    sheet.cell(row=sheet.max_row, column=6).number_format = "#,##0.00"
    for column, width in zip(
        "ABCDEFGHIJK", (9, 16, 36, 14, 32, 14, 60, 10, 7, 10, 12), strict=True
    ):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
