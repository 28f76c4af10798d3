"""The slip that hands a citizen the one-time code to open their account (Ukrainian,
with an English line for those who need it)."""

from __future__ import annotations

from datetime import date

import msgspec

from core.paperwork.applications import day
from core.paperwork.pdf import Sheet


class Slip(msgspec.Struct, frozen=True, kw_only=True):
    municipality: str
    citizen: str
    code: str
    issued_on: date
    valid_until: date
    site: str
    staff: str


def access_slip_pdf(s: Slip) -> bytes:
    sheet = Sheet()
    sheet.line_text(s.municipality, bold=True)
    sheet.ln(4)
    sheet.heading("ДОСТУП ДО ОСОБИСТОГО КАБІНЕТУ\nAccess to your personal account")
    sheet.line_text(f"Кому: {s.citizen}")
    sheet.line_text(f"Видано: {day(s.issued_on)}; код діє до {day(s.valid_until)} включно")
    sheet.ln(3)
    sheet.line_text("Код / Code:", bold=True)
    sheet.line_text(s.code, bold=True, size=20)
    sheet.ln(3)
    sheet.line_text("Як відкрити кабінет:", bold=True)
    for step in (
        f"1. Відкрийте {s.site}/cabinet/activate з телефону чи комп'ютера.",
        "2. Введіть цей код і свою дату народження.",
        "3. Придумайте ім'я користувача і пароль (щонайменше 8 символів).",
        "Код діє один раз. Не передавайте його іншим: з ним видно ваші звернення.",
        "Якщо аркуш загубився, попросіть новий код: цей перестане діяти.",
    ):
        sheet.line_text(step)
    sheet.ln(2)
    sheet.line_text(
        f"EN: open {s.site}/cabinet/activate, enter this code and your birth date, "
        "then choose a user name and a password. The code works once."
    )
    sheet.signatures(f"Видав(ла): {s.staff}", "Отримав(ла)", seals=(False, False))
    return sheet.to_bytes()
