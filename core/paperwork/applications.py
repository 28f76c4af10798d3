"""The papers of the single window, in Ukrainian: the application (заява) filled in for the
applicant's signature, and the receipt (розписка) handed back with the journal number,
the documents received, the due date and how to follow the request."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from core.form_fields import FormField
from core.paperwork.pdf import Sheet


class Office(msgspec.Struct, kw_only=True):
    name: str = ""
    address: str = ""
    phone: str = ""
    schedule: str = ""


class Papers(msgspec.Struct, kw_only=True):
    """What both papers say about one request."""

    municipality: str
    office: Office
    journal_number: str
    received_on: date
    due_date: date
    service: str
    applicant: str
    birth_date: date | None
    tax_number: str | None
    address: str
    phone: str
    documents: list[str]
    staff: str
    #: The application's answers as ``(label, value)`` lines, groups indented.
    answers: list[tuple[str, str]] = msgspec.field(default_factory=list)
    #: Where to ask about the service: the municipality's contacts on its local card.
    contacts: str = ""


#: "yes" and "no" in Ukrainian, then in English.
YES_NO = (("так", "ні"), ("yes", "no"))


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def _value(field: FormField, value: Any, lang: str) -> str:
    if value is None or value == "":
        return "—"
    if field.kind == "bool":
        return YES_NO[lang == "en"][0 if value else 1]
    if field.kind == "date":
        on = date.fromisoformat(str(value))
        return on.isoformat() if lang == "en" else day(on)
    words = {v: w.get(lang) for v, w in field.choices}
    if field.kind == "choice":
        return words.get(str(value), str(value))
    if field.kind == "choices":
        return ", ".join(words.get(str(v), str(v)) for v in value) or "—"
    return str(value)


def answer_lines(
    fields: list[FormField], form: dict[str, Any], lang: str = "uk", indent: str = ""
) -> list[tuple[str, str]]:
    """The form's answers under their labels in ``lang`` (Ukrainian, as the papers are,
    unless a page asks for English), in the form's order."""
    lines: list[tuple[str, str]] = []
    for field in fields:
        value = form.get(field.name)
        label = indent + field.label.get(lang)
        if field.kind == "group" and isinstance(value, dict):
            lines.append((label, ""))
            lines.extend(answer_lines(list(field.children), value, lang, indent + "    "))
        elif field.kind == "rows" and isinstance(value, list):
            lines.append((label, "" if value else "—"))
            for i, row in enumerate(value, start=1):
                lines.append((f"{indent}    {i}.", ""))
                lines.extend(answer_lines(list(field.children), row, lang, indent + "        "))
        else:
            lines.append((label, _value(field, value, lang)))
    return lines


def application_pdf(p: Papers) -> bytes:
    sheet = Sheet()
    who = [
        f"дата народження: {day(p.birth_date)}" if p.birth_date else "",
        f"РНОКПП: {p.tax_number}" if p.tax_number else "",
        f"адреса: {p.address}" if p.address else "",
        f"телефон: {p.phone}" if p.phone else "",
    ]
    sheet.addressed(
        [
            p.municipality,
            *([p.office.name] if p.office.name else []),
            f"від {p.applicant}",
            "; ".join(w for w in who if w),
        ]
    )
    sheet.ln(2)
    sheet.heading("ЗАЯВА")
    sheet.line_text(f"Прошу надати послугу: {p.service}.")
    sheet.ln(2)
    sheet.line_text("Відомості, повідомлені заявником:", bold=True)
    sheet.grid(
        ["Питання", "Відповідь"],
        [[label, value] for label, value in p.answers],
        (90, 87),
        align=("LEFT", "LEFT"),
    )
    sheet.line_text("Додані документи:", bold=True)
    for i, name in enumerate(p.documents or ["—"], start=1):
        sheet.line_text(f"{i}. {name}" if p.documents else name)
    sheet.ln(3)
    sheet.line_text(
        "Підтверджую достовірність наведених відомостей. Даю згоду на обробку моїх "
        "персональних даних для розгляду цієї заяви (Закон України «Про захист "
        "персональних даних»)."
    )
    sheet.ln(2)
    sheet.line_text(f"Реєстраційний номер: {p.journal_number} від {day(p.received_on)}")
    sheet.signatures("Заявник", f"Заяву прийняв(ла): {p.staff}", seals=(False, False))
    return sheet.to_bytes()


def receipt_pdf(p: Papers) -> bytes:
    sheet = Sheet()
    sheet.line_text(p.municipality, bold=True)
    if p.office.name:
        sheet.line_text(p.office.name)
    office = [p.office.address, f"тел. {p.office.phone}" if p.office.phone else ""]
    if any(office):
        sheet.line_text(", ".join(o for o in office if o))
    sheet.ln(4)
    sheet.heading(f"РОЗПИСКА\nпро прийняття заяви № {p.journal_number}")
    sheet.line_text(f"Заявник: {p.applicant}")
    sheet.line_text(f"Послуга: {p.service}")
    sheet.line_text(f"Дата прийняття: {day(p.received_on)}")
    sheet.line_text(f"Граничний строк розгляду: {day(p.due_date)}", bold=True)
    sheet.ln(2)
    sheet.line_text("Прийнято документи:", bold=True)
    if p.documents:
        for i, name in enumerate(p.documents, start=1):
            sheet.line_text(f"{i}. {name}")
    else:
        sheet.line_text("Заява без доданих документів.")
    sheet.ln(2)
    sheet.line_text("Як дізнатися про стан розгляду:", bold=True)
    ways = [
        f"у {p.office.name or 'центрі надання адміністративних послуг'} за номером "
        f"{p.journal_number}",
    ]
    if p.office.phone:
        ways.append(f"за телефоном {p.office.phone}")
    if p.contacts:
        ways.append(f"у відповідальних за послугу: {p.contacts}")
    ways.append("в особистому кабінеті заявника, якщо його відкрито")
    for way in ways:
        sheet.line_text(f"– {way};")
    if p.office.schedule:
        sheet.line_text(f"Графік роботи: {p.office.schedule}")
    sheet.signatures(
        f"Документи прийняв(ла): {p.staff}", "Розписку отримав(ла) заявник", seals=(True, False)
    )
    return sheet.to_bytes()


class Decision(msgspec.Struct, kw_only=True):
    approved: bool
    decided_on: date
    decided_by: str
    ground: str = ""
    appeal: str = ""
    comment: str = ""
    amount: str = ""


def decision_pdf(p: Papers, d: Decision) -> bytes:
    """The decision on the request: granted (рішення про надання), or the notice of
    refusal stating the ground and how to appeal (повідомлення про відмову)."""
    sheet = Sheet()
    sheet.addressed([f"{p.applicant}", p.address])
    sheet.line_text(p.municipality, bold=True)
    if p.office.name:
        sheet.line_text(p.office.name)
    sheet.ln(3)
    if d.approved:
        sheet.heading(f"РІШЕННЯ\nпро надання послуги за заявою № {p.journal_number}")
        sheet.line_text(
            f"За результатами розгляду заяви від {day(p.received_on)} № {p.journal_number} "
            f"вирішено надати послугу: {p.service}."
        )
        if d.amount:
            sheet.line_text(f"Розмір: {d.amount}.")
    else:
        sheet.heading(f"ПОВІДОМЛЕННЯ\nпро відмову за заявою № {p.journal_number}")
        sheet.line_text(
            f"За результатами розгляду заяви від {day(p.received_on)} № {p.journal_number} "
            f"у наданні послуги «{p.service}» відмовлено."
        )
        sheet.ln(1)
        sheet.line_text("Підстава для відмови:", bold=True)
        sheet.line_text(d.ground or "—")
    if d.comment:
        sheet.ln(1)
        sheet.line_text(f"Примітка: {d.comment}")
    if d.appeal:
        sheet.ln(2)
        sheet.line_text("Порядок оскарження:", bold=True)
        sheet.line_text(d.appeal)
    sheet.ln(2)
    sheet.line_text(f"Дата рішення: {day(d.decided_on)}")
    sheet.signatures(f"Рішення прийняв(ла): {d.decided_by}", "", seals=(True, False))
    return sheet.to_bytes()
