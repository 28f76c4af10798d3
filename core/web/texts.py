"""What the staff pages say, in Ukrainian first and English second.

One dictionary per language with the same keys (a test checks they match), and the
labels of roles and statuses the pages show.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["uk", "en"]
LANGS: tuple[Lang, ...] = ("uk", "en")

TEXTS: dict[str, dict[str, str]] = {
    "uk": {
        "app": "Громада",
        "tagline": "Соціальні послуги громади",
        "skip": "Перейти до змісту",
        "menu": "Меню",
        "other_lang": "English",
        "other_lang_name": "Англійська",
        "signed_in_as": "Ви увійшли як",
        "sign_in": "Увійти",
        "sign_out": "Вийти",
        "sign_in_title": "Вхід для працівників і надавачів",
        "sign_in_intro": "Увійдіть з обліковим записом, який вам видав адміністратор громади.",
        "username": "Ім'я користувача",
        "password": "Пароль",
        "username_required": "Вкажіть ім'я користувача.",
        "password_required": "Вкажіть пароль.",
        "too_long": "Задовге значення.",
        "wrong_credentials": (
            "Невірне ім'я користувача або пароль. Перевірте їх і спробуйте ще раз."
        ),
        "login_refused_address": (
            "Забагато невдалих спроб входу з вашої адреси. Спробуйте знову за {minutes} хв."
        ),
        "login_refused_locked": (
            "Обліковий запис тимчасово заблоковано після кількох невдалих спроб входу. "
            "Спробуйте знову за {minutes} хв або зверніться до адміністратора громади."
        ),
        "error_prefix": "Помилка:",
        "reason_expired": "Ваш сеанс завершився. Увійдіть знову, щоб продовжити.",
        "reason_required": "Щоб відкрити цю сторінку, увійдіть.",
        "reason_signed_out": "Ви вийшли з системи.",
        "catalogue": "Каталог послуг",
        "api_docs": "Документація API",
        "home": "Головна",
        "footer": "Громада — відкрита платформа соціальних послуг громади",
        "home_admin": "Адміністрування громади",
        "home_intake": "Прийом звернень",
        "home_caseworker": "Розгляд звернень",
        "home_accountant": "Рахунки надавачів",
        "home_auditor": "Нагляд",
        "home_provider": "Кабінет надавача",
        "contracts": "Договори",
        "home_citizen": "Мої звернення",
        "requests_by_status": "Звернення за статусом",
        "status": "Статус",
        "count": "Кількість",
        "all_requests": "Усього",
        "service": "Послуга",
        "all_services": "Усі послуги",
        "show": "Показати",
        "unknown_service": "Такої послуги в громаді немає. Оберіть послугу зі списку.",
        "overdue_requests": "Прострочені звернення",
        "overdue_none": "Прострочених звернень немає.",
        "overdue_more": "Показано {shown} з {total}.",
        "journal_number": "Номер",
        "applicant": "Заявник",
        "received_on": "Отримано",
        "due_date": "Строк",
        "plugins_title": "Послуги громади (плагіни)",
        "plugins_intro": "Плагіни, встановлені в розгортанні, і ті, що ввімкнені у вашій громаді.",
        "plugin": "Плагін",
        "version": "Версія",
        "enabled_here": "У громаді",
        "yes": "Увімкнено",
        "no": "Вимкнено",
        "not_in_deployment": "Не ввімкнено в розгортанні",
        "services": "Послуги",
        "invoices_by_status": "Рахунки за статусом",
        "invoices_none": "Рахунків ще немає.",
        "total": "Сума",
        "contracts_none": "Договорів ще немає.",
        "contract_number": "Договір",
        "period": "Строк дії",
        "remaining": "Залишок коштів",
        "requests_none": "Звернень ще немає.",
        "error_title_400": "Запит містить помилки",
        "error_text_400": "Деякі значення не можна прийняти.",
        "error_title_403": "Немає доступу",
        "error_text_403": "Ваша роль не дає доступу до цієї сторінки.",
        "error_title_csrf": "Форму не прийнято",
        "error_text_csrf": (
            "Форма застаріла або надіслана з іншого сайту. Поверніться, оновіть сторінку "
            "і надішліть форму ще раз."
        ),
        "error_title_404": "Сторінку не знайдено",
        "error_text_404": "Такої сторінки немає. Перевірте адресу або перейдіть на головну.",
        "error_title_405": "Дію не підтримано",
        "error_text_405": "Ця сторінка не приймає такого запиту.",
        "error_title_409": "Конфлікт",
        "error_text_409": "Дію не виконано: дані вже змінилися. Оновіть сторінку.",
        "error_title_413": "Завеликий запит",
        "error_text_413": "Надіслано забагато даних.",
        "error_title_429": "Забагато запитів",
        "error_text_429": "Зачекайте трохи й спробуйте ще раз.",
        "error_title_500": "Внутрішня помилка",
        "error_text_500": (
            "Сталася помилка на сервері. Ми її зафіксували; спробуйте ще раз пізніше."
        ),
        "error_title_503": "Сервіс тимчасово зайнятий",
        "error_text_503": "Сервер зараз перевантажений. Спробуйте ще раз за кілька секунд.",
        "error_code": "Код помилки",
        "go_home": "На головну",
        "go_sign_in": "Увійти",
        "find_citizen": "Пошук особи",
        "register_citizen": "Зареєструвати особу",
        "register": "Зареєструвати",
        "find": "Знайти",
        "search_name": "Прізвище, ім'я або по батькові",
        "search_name_help": "Можна частину слова; порядок слів довільний.",
        "search_results": "Знайдені особи",
        "search_hint": "Введіть ім'я, РНОКПП або дату народження.",
        "found_people": "Знайдено: {count}.",
        "showing_first": "Показано перші {count}; уточніть пошук.",
        "nobody_found": "Нікого не знайдено. Перевірте написання або зареєструйте особу.",
        "tax_number": "РНОКПП",
        "birth_date": "Дата народження",
        "address": "Адреса",
        "phone": "Телефон",
        "email": "Електронна пошта",
        "categories": "Пільгові категорії",
        "disability_group": "Група інвалідності",
        "tax_number_digits": "РНОКПП складається лише з цифр.",
        "tax_number_invalid": (
            "РНОКПП недійсний: перевірте цифри (не збігається контрольна цифра)."
        ),
        "tax_number_valid": "РНОКПП правильний.",
        "tax_number_registered": "Особа з таким РНОКПП уже зареєстрована: {name}.",
        "open_card": "Відкрити картку",
        "citizen_registered": "Особу зареєстровано.",
        "personal_data": "Дані особи",
        "requests_of_person": "Звернення особи",
        "no_requests_yet": "Звернень ще немає.",
        "form_has_errors": "Форму не прийнято: виправте позначені поля.",
        "optional": "необов'язково",
        "choose": "— оберіть —",
        "field_required": "Заповніть це поле.",
        "field_date": "Вкажіть дату у форматі дд.мм.рррр.",
        "field_int": "Вкажіть ціле число.",
        "field_number": "Вкажіть число, наприклад 1234,56.",
        "field_format": "Значення має неправильний формат.",
        "field_range": "Значення поза допустимими межами.",
        "field_choice": "Оберіть значення зі списку.",
        "field_invalid": "Значення не можна прийняти.",
        "apply_title": "Заява",
        "new_application": "Нова заява (єдине вікно)",
        "apply_intro": (
            "Одна анкета для всіх послуг громади: відповіді перевіряються одразу щодо кожної "
            "послуги. Позначте послуги, на які особа подає заяву."
        ),
        "questionnaire": "Анкета",
        "also_uses": "Використовує також відповіді вище",
        "no_more_questions": "Додаткових запитань немає.",
        "channel": "Спосіб прийому",
        "channel_front_office": "У ЦНАП",
        "channel_remote_workplace": "Віддалене робоче місце (старостат)",
        "channel_home_visit": "Виїзд до особи додому",
        "check_again": "Перевірити",
        "submit_chosen": "Подати вибрані заяви",
        "screening_title": "Відповідність умовам",
        "screening_help": (
            "Оновлюється з кожною відповіддю. Позначте послуги, на які подається заява."
        ),
        "still_needed": "Ще потрібно",
        "confirm_not_eligible": (
            "Особа наполягає на поданні попри невідповідність умовам — прийняти заяву "
            "(підтвердження буде записано)"
        ),
        "confirm_needed": (
            "Особа не відповідає умовам: підтвердьте прийняття заяви або зніміть позначку."
        ),
        "choose_a_service": "Позначте хоча б одну послугу, на яку подається заява.",
        "verdict_eligible": "Відповідає умовам",
        "verdict_not_eligible": "Не відповідає умовам",
        "verdict_needs_data": "Потрібні дані",
        "submitted_title": "Заяви прийнято",
        "submitted_intro": (
            "Заяви особи {person} зареєстровано. Повідомте номери й строки розгляду."
        ),
        "back_to_card": "До картки особи",
        "documents_scans": "Скановані документи",
        "documents_scans_help": (
            "PDF, JPEG або PNG, кожен до 10 МБ; додаються до всіх поданих заяв."
        ),
        "choose_files_again": "Оберіть файли ще раз: браузер не зберігає їх після помилки.",
        "too_many_files": "Не більше {count} файлів за раз.",
        "file_empty": "Файл «{name}» порожній.",
        "file_too_big": "Файл «{name}» більший за 10 МБ.",
        "file_kind": "Файл «{name}» не PDF, JPEG чи PNG.",
        "print_receipt": "Друкувати розписку",
        "print_application": "Друкувати заяву",
    },
    "en": {
        "app": "Hromada",
        "tagline": "Social services of the hromada",
        "skip": "Skip to content",
        "menu": "Menu",
        "other_lang": "Українською",
        "other_lang_name": "Ukrainian",
        "signed_in_as": "Signed in as",
        "sign_in": "Sign in",
        "sign_out": "Sign out",
        "sign_in_title": "Sign-in for staff and providers",
        "sign_in_intro": "Sign in with the account your municipality's admin gave you.",
        "username": "Username",
        "password": "Password",
        "username_required": "Enter your username.",
        "password_required": "Enter your password.",
        "too_long": "The value is too long.",
        "wrong_credentials": "Wrong username or password. Check them and try again.",
        "login_refused_address": (
            "Too many failed sign-ins from your address. Try again in {minutes} min."
        ),
        "login_refused_locked": (
            "The account is locked for a while after several failed sign-ins. Try again "
            "in {minutes} min or ask your municipality's admin."
        ),
        "error_prefix": "Error:",
        "reason_expired": "Your session has ended. Sign in again to continue.",
        "reason_required": "Sign in to open this page.",
        "reason_signed_out": "You have signed out.",
        "catalogue": "Service catalogue",
        "api_docs": "API documentation",
        "home": "Home",
        "footer": "Hromada — an open platform of municipal social services",
        "home_admin": "Municipality administration",
        "home_intake": "Front office",
        "home_caseworker": "Back office",
        "home_accountant": "Providers' invoices",
        "home_auditor": "Oversight",
        "home_provider": "Provider's desk",
        "contracts": "Contracts",
        "home_citizen": "My requests",
        "requests_by_status": "Requests by status",
        "status": "Status",
        "count": "Count",
        "all_requests": "Total",
        "service": "Service",
        "all_services": "All services",
        "show": "Show",
        "unknown_service": "The municipality has no such service. Choose one from the list.",
        "overdue_requests": "Overdue requests",
        "overdue_none": "No request is overdue.",
        "overdue_more": "Showing {shown} of {total}.",
        "journal_number": "Number",
        "applicant": "Applicant",
        "received_on": "Received",
        "due_date": "Due",
        "plugins_title": "The municipality's services (plugins)",
        "plugins_intro": (
            "Plugins installed in the deployment and those enabled in your municipality."
        ),
        "plugin": "Plugin",
        "version": "Version",
        "enabled_here": "Here",
        "yes": "Enabled",
        "no": "Disabled",
        "not_in_deployment": "Not enabled in the deployment",
        "services": "Services",
        "invoices_by_status": "Invoices by status",
        "invoices_none": "No invoices yet.",
        "total": "Amount",
        "contracts_none": "No contracts yet.",
        "contract_number": "Contract",
        "period": "Period",
        "remaining": "Money left",
        "requests_none": "No requests yet.",
        "error_title_400": "The request has errors",
        "error_text_400": "Some values cannot be accepted.",
        "error_title_403": "Access denied",
        "error_text_403": "Your role does not give access to this page.",
        "error_title_csrf": "The form was not accepted",
        "error_text_csrf": (
            "The form is out of date or was sent from another site. Go back, reload the "
            "page and send the form again."
        ),
        "error_title_404": "Page not found",
        "error_text_404": "There is no such page. Check the address or go to the home page.",
        "error_title_405": "Action not supported",
        "error_text_405": "This page does not take such a request.",
        "error_title_409": "Conflict",
        "error_text_409": "Nothing was done: the data has changed meanwhile. Reload the page.",
        "error_title_413": "Request too large",
        "error_text_413": "Too much data was sent.",
        "error_title_429": "Too many requests",
        "error_text_429": "Wait a little and try again.",
        "error_title_500": "Internal error",
        "error_text_500": "Something went wrong on the server. It was logged; try again later.",
        "error_title_503": "Service busy",
        "error_text_503": "The server is busy right now. Try again in a few seconds.",
        "error_code": "Error code",
        "go_home": "Home",
        "go_sign_in": "Sign in",
        "find_citizen": "Find a person",
        "register_citizen": "Register a person",
        "register": "Register",
        "find": "Find",
        "search_name": "Last name, first name or patronymic",
        "search_name_help": "Part of a word will do; words in any order.",
        "search_results": "People found",
        "search_hint": "Type a name, a tax number or a date of birth.",
        "found_people": "Found: {count}.",
        "showing_first": "Showing the first {count}; narrow the search.",
        "nobody_found": "Nobody found. Check the spelling or register the person.",
        "tax_number": "Tax number",
        "birth_date": "Date of birth",
        "address": "Address",
        "phone": "Phone",
        "email": "Email",
        "categories": "Categories",
        "disability_group": "Disability group",
        "tax_number_digits": "A tax number has digits only.",
        "tax_number_invalid": (
            "The tax number is invalid: check the digits (the check digit does not match)."
        ),
        "tax_number_valid": "The tax number is valid.",
        "tax_number_registered": "A person with this tax number is already registered: {name}.",
        "open_card": "Open their card",
        "citizen_registered": "The person is registered.",
        "personal_data": "Personal data",
        "requests_of_person": "Their requests",
        "no_requests_yet": "No requests yet.",
        "form_has_errors": "The form was not accepted: correct the marked fields.",
        "optional": "optional",
        "choose": "— choose —",
        "field_required": "Fill in this field.",
        "field_date": "Give a date (dd.mm.yyyy).",
        "field_int": "Give a whole number.",
        "field_number": "Give a number, e.g. 1234.56.",
        "field_format": "The value is not in the right format.",
        "field_range": "The value is out of range.",
        "field_choice": "Choose a value from the list.",
        "field_invalid": "The value cannot be accepted.",
        "apply_title": "Application",
        "new_application": "New application (single window)",
        "apply_intro": (
            "One questionnaire for all the municipality's services: the answers are checked "
            "against each service at once. Tick the services the person applies for."
        ),
        "questionnaire": "Questionnaire",
        "also_uses": "Also uses the answers above",
        "no_more_questions": "No further questions.",
        "channel": "Received by",
        "channel_front_office": "At the service centre (TsNAP)",
        "channel_remote_workplace": "Remote workplace (starosta office)",
        "channel_home_visit": "Home visit",
        "check_again": "Check",
        "submit_chosen": "Submit the chosen applications",
        "screening_title": "Eligibility",
        "screening_help": "Updated with every answer. Tick the services applied for.",
        "still_needed": "Still needed",
        "confirm_not_eligible": (
            "The person insists on applying although not eligible: accept the application "
            "(the confirmation is recorded)"
        ),
        "confirm_needed": (
            "The person is not eligible: confirm accepting the application or untick it."
        ),
        "choose_a_service": "Tick at least one service to apply for.",
        "verdict_eligible": "Eligible",
        "verdict_not_eligible": "Not eligible",
        "verdict_needs_data": "Needs data",
        "submitted_title": "Applications received",
        "submitted_intro": (
            "{person}'s applications are registered. Tell them the numbers and due dates."
        ),
        "back_to_card": "Back to the person's card",
        "documents_scans": "Scanned documents",
        "documents_scans_help": (
            "PDF, JPEG or PNG, each up to 10 MB; attached to every application submitted."
        ),
        "choose_files_again": (
            "Choose the files again: the browser does not keep them after an error."
        ),
        "too_many_files": "At most {count} files at a time.",
        "file_empty": "The file “{name}” is empty.",
        "file_too_big": "The file “{name}” is over 10 MB.",
        "file_kind": "The file “{name}” is not a PDF, JPEG or PNG.",
        "print_receipt": "Print the receipt",
        "print_application": "Print the application",
    },
}

ROLE_LABELS: dict[str, dict[str, str]] = {
    "uk": {
        "admin": "адміністратор громади",
        "intake": "фронт-офіс (ЦНАП)",
        "caseworker": "бек-офіс",
        "accountant": "бухгалтер",
        "auditor": "аудитор",
        "provider": "надавач послуг",
        "citizen": "заявник",
    },
    "en": {
        "admin": "municipality admin",
        "intake": "front office",
        "caseworker": "back office",
        "accountant": "accountant",
        "auditor": "auditor",
        "provider": "service provider",
        "citizen": "applicant",
    },
}

REQUEST_STATUS: dict[str, dict[str, str]] = {
    "uk": {
        "submitted": "Подано, чекає рішення",
        "approved": "Схвалено",
        "assigned": "Передано надавачу",
        "refused": "Відмовлено",
        "withdrawn": "Відкликано",
        "closed": "Закрито",
        "overdue": "З них прострочено",
    },
    "en": {
        "submitted": "Submitted, awaiting decision",
        "approved": "Approved",
        "assigned": "Assigned to a provider",
        "refused": "Refused",
        "withdrawn": "Withdrawn",
        "closed": "Closed",
        "overdue": "Of which overdue",
    },
}

INVOICE_STATUS: dict[str, dict[str, str]] = {
    "uk": {
        "draft": "Чернетка",
        "submitted": "Подано на перевірку",
        "approved": "Затверджено, до оплати",
        "rejected": "Відхилено",
        "paid": "Оплачено",
    },
    "en": {
        "draft": "Draft",
        "submitted": "Submitted for checking",
        "approved": "Approved, to be paid",
        "rejected": "Rejected",
        "paid": "Paid",
    },
}

CONTRACT_STATUS: dict[str, dict[str, str]] = {
    "uk": {"draft": "Проєкт", "active": "Діє", "suspended": "Призупинено", "closed": "Закрито"},
    "en": {"draft": "Draft", "active": "Active", "suspended": "Suspended", "closed": "Closed"},
}


def texts(lang: str) -> dict[str, str]:
    return TEXTS["en" if lang == "en" else "uk"]


def label(table: dict[str, dict[str, str]], lang: str, key: str) -> str:
    """A status's or role's label; an unknown key shows as itself."""
    return table["en" if lang == "en" else "uk"].get(key, key)


def pick(bilingual: str, lang: str) -> str:
    """One language of a message written ``"український текст / English text"``, as the
    domain's and the access guard's messages are; any other text is returned whole."""
    parts = bilingual.split(" / ")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        return bilingual
    return parts[1].strip() if lang == "en" else parts[0].strip()
