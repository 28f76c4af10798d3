"""A service's information card (інформаційна картка) as a PDF to print or hand out: the
municipality's local card (the plugin's card with its contacts, extra documents, term,
fee and decision), in Ukrainian or English, with the offices that receive applications."""

from __future__ import annotations

from core.paperwork.applications import Office
from core.paperwork.pdf import Sheet
from core.service import InfoCard

WORDS: dict[str, dict[str, str]] = {
    "uk": {
        "heading": "ІНФОРМАЦІЙНА КАРТКА\n{title}",
        "summary": "Зміст послуги",
        "who": "Хто може звернутися",
        "documents": "Перелік документів",
        "original": "оригінал",
        "copy": "копія",
        "original_or_copy": "оригінал або копія",
        "local": "вимога громади",
        "term": "Строк розгляду",
        "fee": "Вартість",
        "free": "Безоплатно",
        "uah": "грн",
        "how": "Способи подання",
        "where": "Де звернутися",
        "contacts": "Контакти",
        "phone": "тел.",
        "outcome": "Результат",
        "refusal": "Підстави для відмови",
        "appeal": "Порядок оскарження",
        "basis": "Правові підстави",
        "decision": "Рішення громади: {text} (№ {number} від {date})",
    },
    "en": {
        "heading": "INFORMATION CARD\n{title}",
        "summary": "The service",
        "who": "Who may apply",
        "documents": "Documents",
        "original": "original",
        "copy": "copy",
        "original_or_copy": "original or copy",
        "local": "required by the hromada",
        "term": "Processing term",
        "fee": "Fee",
        "free": "Free of charge",
        "uah": "UAH",
        "how": "How to apply",
        "where": "Where to apply",
        "contacts": "Contacts",
        "phone": "phone",
        "outcome": "Outcome",
        "refusal": "Grounds for refusal",
        "appeal": "Appeal",
        "basis": "Legal basis",
        "decision": "The hromada's decision: {text} (No. {number} of {date})",
    },
}


def _section(sheet: Sheet, title: str, lines: list[str], numbered: bool = False) -> None:
    sheet.ln(1.5)
    sheet.line_text(title, bold=True)
    for i, line in enumerate(lines or ["—"], start=1):
        sheet.line_text(f"{i}. {line}" if numbered and lines else line)


def info_card_pdf(
    card: InfoCard, *, municipality: str, term: str, offices: list[Office], lang: str
) -> bytes:
    """The card in ``lang`` (``uk`` or ``en``); ``term`` is the term in words
    ("10 робочих днів")."""
    w = WORDS["en" if lang == "en" else "uk"]
    sheet = Sheet()
    sheet.line_text(municipality, bold=True)
    sheet.ln(2)
    sheet.heading(w["heading"].format(title=card.title.get(lang)))
    _section(sheet, w["summary"], [card.summary.get(lang)])
    _section(sheet, w["who"], [card.who_may_apply.get(lang)])
    documents = []
    for d in card.documents:
        notes = [w[d.form], d.note.get(lang) if d.note else "", w["local"] if d.local else ""]
        documents.append(f"{d.name.get(lang)} ({'; '.join(n for n in notes if n)})")
    _section(sheet, w["documents"], documents, numbered=True)
    _section(sheet, w["term"], [term])
    _section(sheet, w["fee"], [f"{card.fee} {w['uah']}" if card.fee is not None else w["free"]])
    if card.submission_methods:
        _section(sheet, w["how"], [m.get(lang) for m in card.submission_methods])
    if offices:
        where = []
        for o in offices:
            parts = [o.name, o.address, f"{w['phone']} {o.phone}" if o.phone else "", o.schedule]
            where.append(", ".join(p for p in parts if p))
        _section(sheet, w["where"], where)
    contacts = card.contacts
    if contacts:
        lines = [
            contacts.office.get(lang) if contacts.office else "",
            f"{w['phone']} {contacts.phone}" if contacts.phone else "",
            contacts.email,
            contacts.web,
        ]
        _section(sheet, w["contacts"], [line for line in lines if line])
    _section(sheet, w["outcome"], [card.outcome.get(lang)])
    _section(sheet, w["refusal"], [g.text.get(lang) for g in card.refusal_grounds], numbered=True)
    _section(sheet, w["appeal"], [card.appeal.get(lang)])
    basis = [b.get(lang) for b in card.legal_basis]
    if card.local_decision:
        local = card.local_decision
        on = local.adopted_on
        shown = on.isoformat() if lang == "en" else on.strftime("%d.%m.%Y")
        basis.append(
            w["decision"].format(text=local.text.get(lang), number=local.number, date=shown)
        )
    _section(sheet, w["basis"], basis)
    return sheet.to_bytes()
