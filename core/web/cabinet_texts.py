"""Words of the citizen's pages (the public check and the cabinet), Ukrainian and English.

One dict per language with the same keys; the pages merge them over
:func:`core.web.texts.texts` (and the public pages' labels).
"""

from __future__ import annotations

from core.web.texts import Lang

CABINET: dict[str, dict[str, str]] = {
    "uk": {
        "check_title": "Що я можу отримати?",
        "check_link": "Що я можу отримати? Перевірте за 2 хвилини",
        "check_intro": (
            "Дайте відповіді на кілька запитань — і ми підкажемо, на які послуги ви "
            "можете розраховувати. Входити не потрібно, відповіді ніде не зберігаються."
        ),
        "about_you": "Про вас",
        "about_services": "Запитання до послуг",
        "check_button": "Перевірити",
        "check_results": "Що ви можете отримати",
        "check_none_yet": "Дайте відповіді й натисніть «Перевірити».",
        "tell_us_more": "Розкажіть більше",
        "still_needed": "Ще потрібно",
        "apply_online": "Подати заяву онлайн",
        "apply_online_note": "Щоб подати заяву, потрібно увійти.",
        "birth_date": "Дата народження",
        "settlement": "Населений пункт, де ви живете",
        "categories": "Хто ви (позначте все, що підтверджено документами)",
        "disability_group": "Група інвалідності",
        "household_size": "Скільки людей у вашій родині (разом з вами)",
        "household_help": "Люди, які живуть разом із вами і ведуть спільне господарство.",
        "household_bad": "Введіть число від 1 до 30.",
        "date_bad": "Введіть дату у форматі РРРР-ММ-ДД.",
        "not_checked_note": "Деякі умови перевіряються лише після подання заяви.",
        "no_settlement": "Не вказано",
    },
    "en": {
        "check_title": "What can I get?",
        "check_link": "What can I get? Check in 2 minutes",
        "check_intro": (
            "Answer a few questions and we will tell you which services you may get. "
            "No sign-in is needed and your answers are not stored."
        ),
        "about_you": "About you",
        "about_services": "Questions about the services",
        "check_button": "Check",
        "check_results": "What you can get",
        "check_none_yet": "Answer the questions and press “Check”.",
        "tell_us_more": "Tell us more",
        "still_needed": "Still needed",
        "apply_online": "Apply online",
        "apply_online_note": "You need to sign in to apply.",
        "birth_date": "Date of birth",
        "settlement": "Settlement where you live",
        "categories": "Who you are (tick all that documents prove)",
        "disability_group": "Disability group",
        "household_size": "How many people in your family (you included)",
        "household_help": "People who live with you and share the household.",
        "household_bad": "Enter a number from 1 to 30.",
        "date_bad": "Enter a date as YYYY-MM-DD.",
        "not_checked_note": "Some conditions are checked only once you apply.",
        "no_settlement": "Not given",
    },
}


def cabinet_texts(lang: Lang) -> dict[str, str]:
    return CABINET[lang]
