"""Words of the admin's local-card pages, Ukrainian and English."""

from __future__ import annotations

CARDS: dict[str, dict[str, str]] = {
    "uk": {
        "cards_intro": (
            "Місцеві частини інформаційних карток: контакти, додаткові документи, строк (де "
            "закон дозволяє), вартість і рішення громади. Їх бачать каталог, відкриті дані "
            "(HSDS) і картки у PDF; кожне збереження — нова версія в історії."
        ),
        "card_plugin": "картка модуля без змін",
        "card_changed": "змінено {at}, {by}",
        "card_of_plugin": "Що каже картка модуля",
        "card_term": "Строк розгляду: {term}.",
        "card_fee": "Вартість: {fee}.",
        "term_fixed": "Строк встановлює закон: громада його не змінює.",
        "term_shorter": "Громада може скоротити строк (не більше {days} дн.).",
        "term_any": "Громада може встановити власний строк.",
        "card_public": "Картка в каталозі",
        "card_pdf": "Картка у PDF",
        "contacts": "Контакти",
        "office_uk": "Хто надає послугу (українською)",
        "office_en": "Хто надає послугу (англійською)",
        "office_help": "Відділ чи установа, кабінет, адреса.",
        "phone": "Телефон",
        "email": "Електронна пошта",
        "web": "Сторінка послуги на сайті громади",
        "web_help": "Повна адреса, що починається з https://",
        "extra_documents": "Додаткові документи громади",
        "extra_documents_help": (
            "Додаються до переліку картки з позначкою «вимога громади». Щоб прибрати "
            "документ, зітріть його назву."
        ),
        "document_n": "Документ {n}",
        "name_uk": "Назва (українською)",
        "name_en": "Назва (англійською)",
        "form": "Оригінал чи копія",
        "note_uk": "Примітка (українською)",
        "note_en": "Примітка (англійською)",
        "term_days": "Строк розгляду в громаді, днів",
        "term_days_help": "Порожнє — строк картки модуля ({term}).",
        "fee": "Вартість у громаді, грн",
        "fee_help": "Порожнє — як у картці модуля; 0 — безоплатно.",
        "decision": "Рішення громади",
        "decision_uk": "Про що рішення (українською)",
        "decision_en": "Про що рішення (англійською)",
        "decision_number": "Номер рішення",
        "decision_date": "Дата рішення",
        "card_save": "Зберегти",
        "card_restore": "Повернути картку модуля",
        "card_saved": "Збережено. Каталог уже показує нову картку.",
        "card_errors": "Картку не збережено: виправте позначені поля.",
        "card_history": "Історія змін",
        "card_history_none": "Місцеву частину не змінювали.",
        "card_version": "{at} — {by}",
        "card_version_empty": "картка модуля без місцевих змін",
        "free": "безоплатно",
        "uah": "грн",
    },
    "en": {
        "cards_intro": (
            "The local parts of the information cards: contacts, extra documents, the term "
            "(where the law allows), the fee and the hromada's decision. The catalogue, the "
            "open data (HSDS) and the PDF cards show them; every save is a new version in "
            "the history."
        ),
        "card_plugin": "the module's card, unchanged",
        "card_changed": "changed {at}, {by}",
        "card_of_plugin": "What the module's card says",
        "card_term": "Processing term: {term}.",
        "card_fee": "Fee: {fee}.",
        "term_fixed": "The law sets the term: a municipality cannot change it.",
        "term_shorter": "A municipality may shorten the term ({days} days at most).",
        "term_any": "A municipality may set its own term.",
        "card_public": "The card in the catalogue",
        "card_pdf": "The card as PDF",
        "contacts": "Contacts",
        "office_uk": "Who provides the service (Ukrainian)",
        "office_en": "Who provides the service (English)",
        "office_help": "The department or body, room, address.",
        "phone": "Phone",
        "email": "E-mail",
        "web": "The service's page on the hromada's site",
        "web_help": "The whole address, starting with https://",
        "extra_documents": "The hromada's extra documents",
        "extra_documents_help": (
            "Added to the card's list, marked “required by the hromada”. To remove a "
            "document, clear its name."
        ),
        "document_n": "Document {n}",
        "name_uk": "Name (Ukrainian)",
        "name_en": "Name (English)",
        "form": "Original or copy",
        "note_uk": "Note (Ukrainian)",
        "note_en": "Note (English)",
        "term_days": "The hromada's processing term, days",
        "term_days_help": "Empty: the module card's term ({term}).",
        "fee": "The hromada's fee, UAH",
        "fee_help": "Empty: as on the module's card; 0: free of charge.",
        "decision": "The hromada's decision",
        "decision_uk": "What the decision is about (Ukrainian)",
        "decision_en": "What the decision is about (English)",
        "decision_number": "Decision number",
        "decision_date": "Decision date",
        "card_save": "Save",
        "card_restore": "Restore the module's card",
        "card_saved": "Saved. The catalogue shows the new card now.",
        "card_errors": "The card is not saved: correct the marked fields.",
        "card_history": "History of changes",
        "card_history_none": "The local part has not been changed.",
        "card_version": "{at} — {by}",
        "card_version_empty": "the module's card without local changes",
        "free": "free of charge",
        "uah": "UAH",
    },
}


def card_texts(lang: str) -> dict[str, str]:
    return CARDS["en" if lang == "en" else "uk"]
