"""Words of the citizens' account pages (activation, registration, password reset) and
the front office's cabinet panel, Ukrainian and English; merged over
:func:`core.web.texts.texts`."""

from __future__ import annotations

ACCOUNT: dict[str, dict[str, str]] = {
    "uk": {
        "activate_title": "Відкрити кабінет за кодом",
        "activate_intro": (
            "Код видають у ЦНАП на аркуші «Доступ до кабінету». Введіть його разом із "
            "датою народження, придумайте ім'я користувача і пароль."
        ),
        "activate_button": "Відкрити кабінет",
        "code": "Код з аркуша",
        "code_help": "12 літер і цифр, наприклад ABCD-EFGH-JKMN. Дефіси можна не писати.",
        "birth_date": "Дата народження",
        "username": "Ім'я користувача",
        "username_help": "Латиницею або e-mail, без пробілів; ним ви входитимете.",
        "password": "Пароль",
        "password_help": "Щонайменше 8 символів.",
        "password_repeat": "Пароль ще раз",
        "register_title": "Зареєструватися",
        "register_intro": (
            "Кабінет, відкритий онлайн, містить лише те, що ви вкажете. Щоб бачити свої "
            "звернення, подані в ЦНАП, попросіть там код доступу."
        ),
        "register_button": "Зареєструватися",
        "last_name": "Прізвище",
        "first_name": "Ім'я",
        "patronymic": "По батькові (якщо є)",
        "email": "Електронна пошта",
        "email_help": "Сюди надійде лист із посиланням для підтвердження.",
        "register_sent_title": "Перевірте пошту",
        "register_sent": (
            "Ми надіслали лист на {email}. Перейдіть за посиланням у ньому протягом 48 "
            "годин, щоб відкрити кабінет. Якщо листа немає, перевірте теку «Спам»."
        ),
        "confirm_title": "Підтвердження реєстрації",
        "confirm_intro": "Натисніть кнопку, щоб відкрити кабінет.",
        "confirm_button": "Підтвердити й відкрити кабінет",
        "link_dead_title": "Посилання недійсне",
        "link_dead": (
            "Посилання вже використане або прострочене. Зареєструйтеся чи попросіть "
            "новий лист ще раз."
        ),
        "reset_title": "Відновити пароль",
        "reset_intro": (
            "Вкажіть e-mail, записаний у вашій картці. Ми надішлемо посилання, щоб задати "
            "новий пароль."
        ),
        "reset_button": "Надіслати посилання",
        "reset_sent": (
            "Якщо ця адреса записана в картці особи з кабінетом, на неї вже йде лист із "
            "посиланням (діє 1 годину)."
        ),
        "new_password_title": "Новий пароль",
        "new_password_button": "Зберегти пароль",
        "password_changed": "Пароль змінено. Увійдіть із новим паролем.",
        "field_required": "Заповніть це поле.",
        "date_bad": "Введіть дату у форматі РРРР-ММ-ДД.",
        "code_refused": "Код недійсний, прострочений або не збігається дата народження.",
        "account_exists": "Кабінет уже відкрито. Увійдіть або відновіть пароль.",
        "username_taken": "Таке ім'я користувача вже зайняте, оберіть інше.",
        "cabinet_panel": "Особистий кабінет",
        "cabinet_has": "У людини є кабінет: вона бачить свої звернення онлайн.",
        "cabinet_none": (
            "Кабінету немає. Видайте аркуш із кодом: людина відкриє кабінет сама, "
            "з телефону чи комп'ютера. Попередній код перестане діяти."
        ),
        "cabinet_code_button": "Видати код доступу (PDF)",
    },
    "en": {
        "activate_title": "Open your account with a code",
        "activate_intro": (
            "The code is handed over at the service centre on an “Access to your account” "
            "slip. Enter it with your birth date and choose a user name and a password."
        ),
        "activate_button": "Open my account",
        "code": "Code from the slip",
        "code_help": "12 letters and digits, such as ABCD-EFGH-JKMN. Dashes are optional.",
        "birth_date": "Date of birth",
        "username": "User name",
        "username_help": "Latin letters or an e-mail, no spaces; you sign in with it.",
        "password": "Password",
        "password_help": "At least 8 characters.",
        "password_repeat": "Password again",
        "register_title": "Register",
        "register_intro": (
            "An account opened online holds only what you enter. To see the requests you "
            "made at the service centre, ask there for an access code."
        ),
        "register_button": "Register",
        "last_name": "Surname",
        "first_name": "Given name",
        "patronymic": "Patronymic (if any)",
        "email": "E-mail",
        "email_help": "A message with a confirmation link will come here.",
        "register_sent_title": "Check your e-mail",
        "register_sent": (
            "We sent a message to {email}. Follow its link within 48 hours to open your "
            "account. If it has not come, look in the spam folder."
        ),
        "confirm_title": "Confirm your registration",
        "confirm_intro": "Press the button to open your account.",
        "confirm_button": "Confirm and open my account",
        "link_dead_title": "The link is not valid",
        "link_dead": "The link was used already or has expired. Register or ask for a new one.",
        "reset_title": "Reset your password",
        "reset_intro": (
            "Enter the e-mail recorded in your file. We will send a link to set a new password."
        ),
        "reset_button": "Send the link",
        "reset_sent": (
            "If this address is recorded for a person with an account, a message with a "
            "link (valid for 1 hour) is on its way."
        ),
        "new_password_title": "A new password",
        "new_password_button": "Save the password",
        "password_changed": "The password is changed. Sign in with the new one.",
        "field_required": "Fill in this field.",
        "date_bad": "Enter the date as YYYY-MM-DD.",
        "code_refused": "The code is not valid, has expired, or the birth date differs.",
        "account_exists": "The account is open already. Sign in or reset the password.",
        "username_taken": "That user name is taken; choose another.",
        "cabinet_panel": "Personal account",
        "cabinet_has": "The person has an account and sees their requests online.",
        "cabinet_none": (
            "No account yet. Hand over a slip with a code: the person opens the account "
            "themselves, from a phone or a computer. An earlier code stops working."
        ),
        "cabinet_code_button": "Issue an access code (PDF)",
    },
}


def account_texts(lang: str) -> dict[str, str]:
    return ACCOUNT["en" if lang == "en" else "uk"]
