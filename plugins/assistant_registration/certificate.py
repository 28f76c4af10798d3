"""The certificate of the assistant (посвідчення помічника), a PDF in Ukrainian.

Its contents follow DOMAIN §6: the number and date, the person, the assistant, the basis
(art. 78 of the Civil Code), the powers (an ASSUMPTION, see :data:`cards.POWERS`), the
guardianship body (the municipality's executive committee) and the place for signatures.
A terminated entry gets no certificate; its history stays readable in the register.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.sdk import Actor, Conflict, Platform, Sheet, audit, clock
from plugins.assistant_registration.cards import POWERS
from plugins.assistant_registration.entries import SUBJECT, assistant_name, person_name, row_of


def _born(day: date | None) -> str:
    return f", {day:%d.%m.%Y} р. н." if day else ""


def render(row: dict[str, Any], municipality: str, issued_on: date) -> bytes:
    sheet = Sheet()
    body = f"виконавчий комітет ради ({municipality})"
    sheet.line_text(f"Орган опіки та піклування — {body}", size=9)
    sheet.ln(2)
    sheet.heading(f"ПОСВІДЧЕННЯ ПОМІЧНИКА № {row['number']}")
    sheet.line_text(
        f"Дата реєстрації: {row['registered_on']:%d.%m.%Y}.    Дата видачі: {issued_on:%d.%m.%Y}."
    )
    sheet.ln(2)
    tax = row["assistant_tax_number"]
    sheet.line_text("Помічник:", bold=True)
    sheet.line_text(
        f"{assistant_name(row)}{_born(row['assistant_birth_date'])}"
        + (f", РНОКПП {tax}" if tax else "")
        + f"; місце проживання: {row['assistant_address']}."
    )
    sheet.ln(1)
    sheet.line_text("Особа, якій помічник надає допомогу:", bold=True)
    person_tax = row["p_tax_number"]
    sheet.line_text(
        f"{person_name(row)}{_born(row['p_birth_date'])}"
        + (f", РНОКПП {person_tax}" if person_tax else "")
        + "."
    )
    sheet.ln(2)
    sheet.line_text(
        "Помічника обрано дієздатною фізичною особою, яка за станом здоров'я не може "
        "самостійно здійснювати свої права та виконувати обов'язки, і зареєстровано "
        "органом опіки та піклування відповідно до статті 78 Цивільного кодексу України."
    )
    sheet.ln(1)
    sheet.line_text("Помічник має право:", bold=True)
    for n, power in enumerate(POWERS, start=1):
        sheet.line_text(f"{n}) {power.uk};")
    sheet.ln(1)
    sheet.line_text(
        "Посвідчення дійсне до припинення реєстрації помічника (за заявою особи або "
        "помічника, у разі смерті особи чи визнання її недієздатною).",
        size=9,
    )
    sheet.signatures(
        f"Уповноважена посадова особа органу опіки та піклування ({municipality})",
        "Помічник",
    )
    return sheet.to_bytes()


async def certificate_pdf(
    platform: Platform, actor: Actor, entry_id: int
) -> tuple[str, bytes, int]:
    row = await row_of(actor, entry_id)
    if row["status"] != "active":
        raise Conflict(
            f"реєстрацію помічника припинено {row['terminated_on']:%d.%m.%Y}: посвідчення не "
            "видають / the registration was terminated: no certificate is issued",
            "entry_id",
        )
    muni = await platform.municipality(id=actor.municipality_id)
    content = render(row, muni.name.uk, clock.today())
    await audit.read(
        actor, "assistant_registration.certificate", SUBJECT, entry_id, {"number": row["number"]}
    )
    return row["number"], content, row["person"]
