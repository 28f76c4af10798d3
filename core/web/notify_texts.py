"""Words of the notification panels (the consent form, the messages about a request),
Ukrainian and English."""

from __future__ import annotations

NOTIFY: dict[str, dict[str, str]] = {
    "uk": {
        "notify_title": "Повідомлення про звернення",
        "notify_on": (
            "Лист на {address} — щоразу, коли звернення прийнято, розглянуто чи передано надавачу."
        ),
        "notify_off": "Повідомлень не надсилаємо: згоди немає.",
        "notify_agree": "Надсилати повідомлення про мої звернення",
        "notify_agree_staff": "Особа письмово погодилася на повідомлення",
        "notify_email": "Електронна пошта для повідомлень",
        "notify_save": "Зберегти",
        "notify_saved": "Збережено.",
        "notify_bad_email": "Вкажіть адресу e-mail, наприклад ім'я@приклад.укр.",
        "notify_bad_phone": "Вкажіть мобільний номер, наприклад +380 67 123 45 67.",
        "notify_how": "Як повідомляти",
        "notify_by_email": "Електронною поштою",
        "notify_by_sms": "SMS на мобільний",
        "notify_phone": "Мобільний номер для SMS",
        "notify_on_sms": (
            "SMS на {address} — щоразу, коли звернення прийнято, розглянуто чи передано надавачу."
        ),
        "messages_title": "Повідомлення заявнику",
        "messages_mine": "Повідомлення вам",
        "messages_none": "Повідомлень не надсилали.",
        "msg_when": "Коли",
        "msg_what": "Про що",
        "msg_to": "Кому",
        "msg_state": "Стан",
        "msg_pending": "чекає надсилання",
        "msg_sending": "надсилається",
        "msg_sent": "надіслано",
        "msg_failed": "не вдалося надіслати",
        "msg_cancelled": "скасовано",
        "msg_attempts": "спроб: {n}",
        "event_request.submitted": "звернення прийнято",
        "event_request.approved": "рішення: надати",
        "event_request.refused": "рішення: відмовити",
        "event_request.withdrawn": "звернення відкликано",
        "event_request.assigned": "передано надавачу",
        "event_survey.decision": "запрошення оцінити рішення",
        "event_survey.delivery": "запрошення оцінити послугу",
    },
    "en": {
        "notify_title": "News of my requests",
        "notify_on": (
            "An e-mail to {address} whenever a request is received, decided or passed to "
            "a provider."
        ),
        "notify_off": "No messages are sent: there is no consent.",
        "notify_agree": "Send me news of my requests",
        "notify_agree_staff": "The person agreed in writing to the news",
        "notify_email": "E-mail for the news",
        "notify_save": "Save",
        "notify_saved": "Saved.",
        "notify_bad_email": "Enter an e-mail address, such as name@example.org.",
        "notify_bad_phone": "Enter a mobile number, such as +380 67 123 45 67.",
        "notify_how": "How to tell you",
        "notify_by_email": "By e-mail",
        "notify_by_sms": "By SMS",
        "notify_phone": "Mobile number for SMS",
        "notify_on_sms": (
            "An SMS to {address} whenever a request is received, decided or passed to a provider."
        ),
        "messages_title": "Messages to the applicant",
        "messages_mine": "Messages to you",
        "messages_none": "No messages were sent.",
        "msg_when": "When",
        "msg_what": "About",
        "msg_to": "To",
        "msg_state": "State",
        "msg_pending": "waiting to be sent",
        "msg_sending": "being sent",
        "msg_sent": "sent",
        "msg_failed": "could not be sent",
        "msg_cancelled": "withdrawn",
        "msg_attempts": "attempts: {n}",
        "event_request.submitted": "request received",
        "event_request.approved": "decision: granted",
        "event_request.refused": "decision: refused",
        "event_request.withdrawn": "request withdrawn",
        "event_request.assigned": "passed to a provider",
        "event_survey.decision": "invitation to rate the decision",
        "event_survey.delivery": "invitation to rate the service",
    },
}


def notify_texts(lang: str) -> dict[str, str]:
    return NOTIFY["en" if lang == "en" else "uk"]
