"""The act of services delivered (акт наданих послуг) and the invoice (рахунок), in
Ukrainian, with both parties' codes and IBANs, the contract, the period, the lines, the
total, «Без ПДВ» and the total in words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from core.paperwork.pdf import Sheet
from core.paperwork.words import amount_with_words

MONTHS = [
    "січень",
    "лютий",
    "березень",
    "квітень",
    "травень",
    "червень",
    "липень",
    "серпень",
    "вересень",
    "жовтень",
    "листопад",
    "грудень",
]


class Party(msgspec.Struct, kw_only=True):
    name: str
    code_label: str  # "ЄДРПОУ" or "РНОКПП"
    code: str
    iban: str
    address: str


class Line(msgspec.Struct, kw_only=True):
    service: str
    unit: str
    quantity: Decimal
    unit_price: Decimal | None
    amount: Decimal


class Paper(msgspec.Struct, kw_only=True):
    number: str
    issued_on: date
    customer: Party
    provider: Party
    contract_number: str
    contract_date: date | None
    period: str  # YYYY-MM
    lines: list[Line]
    total: Decimal
    budget_codes: str = ""


def period_text(period: str) -> str:
    year, month = period.split("-")
    return f"{MONTHS[int(month) - 1]} {year} р."


def _qty(q: Decimal) -> str:
    return f"{q.normalize():f}".replace(".", ",")


def _money(m: Decimal) -> str:
    return f"{m:,.2f}".replace(",", " ").replace(".", ",")


def _party(sheet: Sheet, role: str, p: Party) -> None:
    sheet.line_text(f"{role}: {p.name}", bold=True)
    sheet.line_text(f"{p.code_label}: {p.code}   IBAN: {p.iban}")
    if p.address:
        sheet.line_text(f"Адреса: {p.address}")
    sheet.ln(1)


def _lines(sheet: Sheet, paper: Paper) -> None:
    rows = [
        [
            str(i),
            line.service,
            line.unit,
            _qty(line.quantity),
            "" if line.unit_price is None else _money(line.unit_price),
            _money(line.amount),
        ]
        for i, line in enumerate(paper.lines, start=1)
    ]
    sheet.grid(
        ["№", "Послуга", "Од. виміру", "Кількість", "Ціна, грн", "Сума, грн"],
        rows,
        (8, 70, 24, 22, 25, 27),
    )
    sheet.line_text(f"Разом: {_money(paper.total)} грн", bold=True)
    sheet.line_text("Без ПДВ")
    sheet.line_text(f"Загальна сума: {amount_with_words(paper.total)}")


def _contract(paper: Paper) -> str:
    signed = f" від {paper.contract_date:%d.%m.%Y}" if paper.contract_date else ""
    return f"Договір № {paper.contract_number}{signed}"


def render_act(paper: Paper) -> bytes:
    sheet = Sheet()
    sheet.heading(f"АКТ № {paper.number}\nнаданих соціальних послуг")
    sheet.line_text(f"Дата складання: {paper.issued_on:%d.%m.%Y}")
    sheet.line_text(f"{_contract(paper)}; період надання: {period_text(paper.period)}")
    sheet.ln(2)
    _party(sheet, "Замовник", paper.customer)
    _party(sheet, "Виконавець", paper.provider)
    sheet.line_text("Виконавець надав, а Замовник прийняв такі соціальні послуги:")
    _lines(sheet, paper)
    sheet.line_text(
        "Послуги надано в повному обсязі та в строк. Сторони претензій одна до одної не мають."
    )
    if paper.budget_codes:
        sheet.line_text(f"Бюджетна класифікація: {paper.budget_codes}")
    sheet.signatures("Від Замовника", "Від Виконавця")
    return sheet.to_bytes()


def render_invoice(paper: Paper) -> bytes:
    sheet = Sheet()
    sheet.heading(f"РАХУНОК № {paper.number}")
    sheet.line_text(f"від {paper.issued_on:%d.%m.%Y}")
    sheet.ln(2)
    _party(sheet, "Отримувач (постачальник)", paper.provider)
    _party(sheet, "Платник", paper.customer)
    sheet.line_text(f"Підстава: {_contract(paper)}; період: {period_text(paper.period)}")
    _lines(sheet, paper)
    if paper.budget_codes:
        sheet.line_text(f"Бюджетна класифікація: {paper.budget_codes}")
    sheet.signatures("Керівник постачальника", "Головний бухгалтер постачальника")
    return sheet.to_bytes()
