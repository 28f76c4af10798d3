"""The act of handover of a loan (акт приймання-передачі), a printable PDF in Ukrainian.

It carries the same facts as :func:`loan_view.act_text`: the number (the loan's id) and
the date of issue, the provider of the rental point and its contract, the recipient and
the request, the item (type, inventory and serial numbers, condition, due date), the
deposit in figures and in words, the handover note, the terms and the places for
signatures. A returned loan adds the act of return (date, condition, damage, cleaning)
and the settlement of the deposit: for damage beyond normal wear, the charge (the item's
residual value and how it was computed, or the amount stated at the inspection), the
part of the deposit kept and returned, and what the borrower still owes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.sdk import Actor, Sheet, amount_with_words, audit, from_kopiyky
from plugins.rental_aids.common import full_name
from plugins.rental_aids.loan_view import CONDITIONS, deposit_returned_kop
from plugins.rental_aids.loans import loan_row

SUBJECT = "rental_loan"
#: the columns of the item's table: №, name, inventory No., serial, condition, due date
WIDTHS = (8, 48, 26, 36, 31, 28)
#: heights (mm) of a line of text, a heading, the gap before the act of return and the
#: signatures block, as ``core.paperwork.pdf.Sheet`` writes them
LINE = 5.5
HEADING = 9.0
GAP = 12.0
SIGNATURES = 8 + 5 * LINE


def _d(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def _uah(kop: int) -> str:
    return f"{from_kopiyky(kop):.2f}".replace(".", ",") + " грн."


def _words(kop: int) -> str:
    return amount_with_words(from_kopiyky(kop))


def _condition(code: str) -> str:
    known = CONDITIONS.get(code)
    return known.uk if known else code


def _handover(sheet: Sheet, row: dict[str, Any]) -> None:
    sheet.heading(f"АКТ ПРИЙМАННЯ-ПЕРЕДАЧІ № {row['id']}")
    sheet.line_text("технічного засобу реабілітації у тимчасове користування")
    sheet.line_text(f"Дата видачі: {_d(row['issued_on'])}.")
    sheet.ln(2)
    sheet.line_text("Надавач (пункт прокату):", bold=True)
    sheet.line_text(f"{row['provider_name']}, договір № {row['contract_number']}.")
    sheet.ln(1)
    sheet.line_text("Отримувач:", bold=True)
    sheet.line_text(f"{full_name(row)}; звернення № {row['journal_number']}.")
    sheet.ln(2)
    sheet.line_text("Надавач передає, а отримувач приймає у тимчасове користування:")
    sheet.ln(1)
    sheet.grid(
        ["№", "Найменування", "Інв. №", "Серійний №", "Стан при видачі", "Повернути до"],
        [
            [
                "1",
                row["name_uk"],
                row["inventory_number"],
                row["serial"] or "—",
                _condition(row["condition_at_issue"]),
                _d(row["due_on"]),
            ]
        ],
        WIDTHS,
    )
    deposit = amount_with_words(from_kopiyky(row["deposit_kop"]))
    sheet.line_text(f"Застава: {deposit}.")
    if row["handover_note"]:
        sheet.line_text(f"Примітка: {row['handover_note']}")
    if row["extensions"]:
        sheet.line_text(
            f"Строк користування продовжено на підставі висновку лікаря "
            f"(продовжень: {row['extensions']})."
        )
    sheet.ln(2)
    sheet.line_text("Умови:", bold=True)
    sheet.line_text(f"1) Отримувач повертає предмет не пізніше {_d(row['due_on'])}.")
    sheet.line_text(
        "2) Предмет повертається в стані, у якому його отримано, з урахуванням нормального зносу."
    )
    sheet.signatures("Передав (надавач)", "Прийняв (отримувач)")


def _height(sheet: Sheet, paragraphs: list[str]) -> float:
    """The height the paragraphs take as :meth:`Sheet.line_text` writes them."""
    lines = 0
    for text in paragraphs:
        found = sheet.multi_cell(sheet.epw, LINE, text, dry_run=True, output="LINES")
        assert isinstance(found, list)
        lines += len(found)
    return lines * LINE


def _settlement(row: dict[str, Any]) -> list[str]:
    """The damage charge and the deposit: kept, returned, still due."""
    if not row["charge_basis"]:
        return [f"Заставу повернуто в повному обсязі: {_words(row['deposit_kop'])}."]
    residual = row["residual_value_kop"]
    if residual is None:
        basis = (
            "Залишкову вартість предмета не визначено: невідомі вартість придбання, дата "
            "придбання або строк служби."
        )
    else:
        used, life = row["residual_months_used"], row["residual_life_months"]
        basis = (
            f"Залишкова вартість предмета на дату повернення: {_uah(residual)} = вартість "
            f"придбання {_uah(row['residual_purchase_kop'])} × (1 − {used} міс. у користуванні "
            f"/ {life} міс. строку служби), рівномірне списання, не менше нуля."
        )
    how = "за залишковою вартістю" if row["charge_basis"] == "residual" else "визначене при огляді"
    return [
        basis,
        f"Відшкодування за пошкодження понад нормальний знос ({how}): "
        f"{_words(row['damage_charge_kop'])}.",
        f"Утримано із застави: {_words(row['deposit_kept_kop'])}.",
        f"Заставу повернуто: {_words(deposit_returned_kop(row))}.",
        f"Залишок до сплати отримувачем: {_words(row['charge_due_kop'])}.",
    ]


def _return(sheet: Sheet, row: dict[str, Any]) -> None:
    returned: date | None = row["returned_on"]
    intro = [f"до акта приймання-передачі № {row['id']} від {_d(row['issued_on'])}"]
    if returned is not None:
        intro.append(f"Дата повернення: {_d(returned)}.")
    facts = [
        f"Отримувач {full_name(row)} повертає, а надавач {row['provider_name']} приймає "
        f"{row['name_uk']}, інв. № {row['inventory_number']}"
        + (f", серійний № {row['serial']}" if row["serial"] else "")
        + ".",
        f"Стан при поверненні: {_condition(row['condition_at_return'])}.",
    ]
    if row["damage_noted"]:
        note = f": {row['damage_note']}" if row["damage_note"] else ""
        facts.append(f"Пошкодження виявлено{note}.")
    else:
        facts.append("Пошкоджень не виявлено.")
    if row["beyond_normal_wear"]:
        facts.append("Пошкодження виходить за межі нормального зносу.")
    cleaned = "проведено" if row["cleaning_done"] else "не проведено"
    facts.append(f"Санітарна обробка (чищення): {cleaned}.")
    money = _settlement(row)
    # the act of return with its signatures stays on one page
    need = HEADING + _height(sheet, intro + facts + money) + 4 + SIGNATURES
    if sheet.get_y() + GAP + need > sheet.page_break_trigger:
        sheet.add_page()
    else:
        sheet.ln(GAP)
    sheet.heading("АКТ ПОВЕРНЕННЯ")
    for text in intro:
        sheet.line_text(text)
    sheet.ln(2)
    for text in facts:
        sheet.line_text(text)
    sheet.ln(2)
    for text in money:
        sheet.line_text(text)
    sheet.signatures("Повернув (отримувач)", "Прийняв (надавач)")


def render(row: dict[str, Any]) -> bytes:
    """The act of a row read by :func:`loan_view.loan_select`."""
    sheet = Sheet()
    sheet.line_text("Пункт прокату технічних засобів реабілітації", size=9)
    sheet.ln(2)
    _handover(sheet, row)
    if row["status"] == "returned":
        _return(sheet, row)
    return sheet.to_bytes()


async def act_pdf(actor: Actor, loan_id: int) -> tuple[bytes, int]:
    """The act of one loan the actor may read (the scoping of ``GET /loans/{id}``), and the
    citizen it was lent to."""
    row = await loan_row(actor, loan_id)
    content = render(row)
    await audit.read(
        actor,
        "rental_aids.act_pdf",
        SUBJECT,
        loan_id,
        {"status": row["status"], "inventory_number": row["inventory_number"]},
    )
    return content, row["citizen"]
