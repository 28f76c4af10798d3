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
        "yes": "так",
        "no": "ні",
        "review_title": "Перевірте заяву",
        "review_intro": "Перевірте відповіді. Якщо все правильно — додайте документи й надішліть.",
        "your_answers": "Ваші відповіді",
        "change_answers": "Змінити відповіді",
        "documents_to_add": "Документи",
        "documents_needed": "Для цієї послуги потрібні",
        "take_photo": "Сфотографувати документ",
        "take_photo_help": "Відкриє камеру телефону. Можна зробити кілька знімків.",
        "choose_files": "Або вибрати файли (PDF, JPEG, PNG, до 10 МБ кожен)",
        "send": "Надіслати заяву",
        "send_note": "Після надсилання заяву отримає громада; ви побачите номер і строк.",
        "doc_original": "оригінал",
        "doc_copy": "копія",
        "doc_original_or_copy": "оригінал або копія",
        "sent_title": "Заяву надіслано",
        "sent_intro": "Громада отримала вашу заяву. Збережіть номер — за ним можна дізнатися стан.",
        "application_pdf": "Заява (PDF)",
        "my_request_title": "Звернення",
        "service_word": "Послуга",
        "next_step": "Далі: перевірити",
        "back_to_card_public": "← До опису послуги",
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
        "yes": "yes",
        "no": "no",
        "review_title": "Check your application",
        "review_intro": "Check the answers. If all is right, add the documents and send it.",
        "your_answers": "Your answers",
        "change_answers": "Change the answers",
        "documents_to_add": "Documents",
        "documents_needed": "This service needs",
        "take_photo": "Take a photo of a document",
        "take_photo_help": "Opens the phone's camera. You may take several photos.",
        "choose_files": "Or choose files (PDF, JPEG, PNG, up to 10 MB each)",
        "send": "Send the application",
        "send_note": "Once sent, the municipality receives it; you will see its number and term.",
        "doc_original": "original",
        "doc_copy": "copy",
        "doc_original_or_copy": "original or copy",
        "sent_title": "The application is sent",
        "sent_intro": "The municipality has your application. Keep the number to follow it.",
        "application_pdf": "Application (PDF)",
        "my_request_title": "Request",
        "service_word": "Service",
        "next_step": "Next: check",
        "back_to_card_public": "← Back to the service",
    },
}


def cabinet_texts(lang: Lang) -> dict[str, str]:
    return CABINET[lang]
