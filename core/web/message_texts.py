"""Words of the admin's message-wording pages, Ukrainian and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "uk": {
        "messages_intro": (
            "Що отримують люди листом і SMS. Змінений текст діє для вашої громади з "
            "моменту збереження; попередні версії залишаються в історії."
        ),
        "msg_default": "типовий текст",
        "msg_changed": "змінено {at}",
        "msg_variables": "Змінні",
        "msg_variables_help": (
            "Вставляйте як {{ number }}; умова: {% if service %}…{% endif %}. Справа — "
            "приклад значення для перегляду."
        ),
        "subject_uk": "Тема листа (українською)",
        "subject_en": "Тема листа (англійською)",
        "body_uk": "Текст листа (українською)",
        "body_en": "Текст листа (англійською)",
        "sms_uk": "SMS (українською, коротко)",
        "msg_preview": "Переглянути",
        "msg_save": "Зберегти",
        "msg_restore": "Повернути типовий текст",
        "msg_preview_title": "Так виглядатиме повідомлення (з прикладами значень)",
        "msg_saved": "Збережено. Новий текст діє від цієї миті.",
        "msg_history": "Історія змін",
        "msg_history_none": "Текст не змінювали.",
        "msg_by": "хто",
    },
    "en": {
        "messages_intro": (
            "What people get by e-mail and SMS. A changed wording applies to your "
            "municipality from the moment it is saved; earlier versions stay in the history."
        ),
        "msg_default": "default wording",
        "msg_changed": "changed {at}",
        "msg_variables": "Variables",
        "msg_variables_help": (
            "Insert as {{ number }}; a condition: {% if service %}…{% endif %}. On the "
            "right, a sample value for the preview."
        ),
        "subject_uk": "Subject (Ukrainian)",
        "subject_en": "Subject (English)",
        "body_uk": "Text (Ukrainian)",
        "body_en": "Text (English)",
        "sms_uk": "SMS (Ukrainian, short)",
        "msg_preview": "Preview",
        "msg_save": "Save",
        "msg_restore": "Restore the default wording",
        "msg_preview_title": "The message will look like this (with sample values)",
        "msg_saved": "Saved. The new wording applies from now on.",
        "msg_history": "History of changes",
        "msg_history_none": "The wording was never changed.",
        "msg_by": "by",
    },
}


def message_texts(lang: str) -> dict[str, str]:
    return MESSAGES["en" if lang == "en" else "uk"]
