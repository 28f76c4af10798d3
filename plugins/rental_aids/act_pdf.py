"""The act of handover of a loan (акт приймання-передачі), a printable PDF in Ukrainian.

It carries the same facts as :func:`loan_view.act_text`: the number (the loan's id) and
the date of issue, the provider of the rental point and its contract, the recipient and
the request, the item (type, inventory and serial numbers, condition, due date), the
deposit in figures and in words, the handover note, the terms and the places for
signatures. A returned loan adds the act of return (date, condition, damage, cleaning).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.actor import Actor
from core.money import from_kopiyky
from core.paperwork.pdf import Sheet
from core.paperwork.words import amount_with_words
from core.workflow import audit
from plugins.rental_aids.common import full_name
from plugins.rental_aids.loan_view import CONDITIONS
from plugins.rental_aids.loans import loan_row

SUBJECT = "rental_loan"
#: the columns of the item's table: №, name, inventory No., serial, condition, due date
WIDTHS = (8, 48, 26, 36, 31, 28)


def _d(day: date) -> str:
    return f"{day:%d.%m.%Y}"


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


def _return(sheet: Sheet, row: dict[str, Any]) -> None:
    returned: date | None = row["returned_on"]
    # the act of return with its signatures stays on one page
    if sheet.get_y() > sheet.h - 120:
        sheet.add_page()
    else:
        sheet.ln(12)
    sheet.heading("АКТ ПОВЕРНЕННЯ")
    sheet.line_text(f"до акта приймання-передачі № {row['id']} від {_d(row['issued_on'])}")
    if returned is not None:
        sheet.line_text(f"Дата повернення: {_d(returned)}.")
    sheet.ln(2)
    sheet.line_text(
        f"Отримувач {full_name(row)} повертає, а надавач {row['provider_name']} приймає "
        f"{row['name_uk']}, інв. № {row['inventory_number']}"
        + (f", серійний № {row['serial']}" if row["serial"] else "")
        + "."
    )
    sheet.line_text(f"Стан при поверненні: {_condition(row['condition_at_return'])}.")
    if row["damage_noted"]:
        note = f": {row['damage_note']}" if row["damage_note"] else ""
        sheet.line_text(f"Пошкодження виявлено{note}.")
    else:
        sheet.line_text("Пошкоджень не виявлено.")
    cleaned = "проведено" if row["cleaning_done"] else "не проведено"
    sheet.line_text(f"Санітарна обробка (чищення): {cleaned}.")
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


async def act_pdf(actor: Actor, loan_id: int) -> bytes:
    """The act of one loan the actor may read (the scoping of ``GET /loans/{id}``)."""
    row = await loan_row(actor, loan_id)
    content = render(row)
    await audit.record(
        actor,
        "rental_aids.act_pdf",
        SUBJECT,
        loan_id,
        {"status": row["status"], "inventory_number": row["inventory_number"]},
    )
    return content
