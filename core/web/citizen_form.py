"""How the front office's citizen form is shown: the labels of :class:`~core.schemas.CitizenIn`."""

from __future__ import annotations

from core.service import FieldLabel, label

CATEGORY_WORDS: dict[str, tuple[str, str]] = {
    "disability": ("Особа з інвалідністю", "Person with a disability"),
    "child_with_disability": ("Дитина з інвалідністю", "Child with a disability"),
    "wheelchair_user": ("Пересувається на кріслі колісному", "Wheelchair user"),
    "veteran": ("Ветеран війни", "War veteran"),
    "idp": ("Внутрішньо переміщена особа", "Internally displaced person"),
    "large_family": ("Багатодітна сім'я", "Large family"),
    "low_income": ("Малозабезпечена сім'я", "Low-income family"),
    "homeless": ("Бездомна особа", "Homeless person"),
    "pensioner": ("Пенсіонер", "Pensioner"),
    "single_pensioner": ("Одинокий пенсіонер", "Pensioner living alone"),
    "orphan": ("Дитина-сирота", "Orphan"),
}

CITIZEN_LABELS: dict[str, FieldLabel] = {
    "last_name": label("Прізвище", "Last name"),
    "first_name": label("Ім'я", "First name"),
    "patronymic": label("По батькові", "Patronymic"),
    "birth_date": label("Дата народження", "Date of birth"),
    "tax_number": label(
        "РНОКПП (ідентифікаційний код)",
        "Tax number (RNOKPP)",
        help=(
            "10 цифр; контрольна цифра перевіряється одразу. Порожньо, якщо особа "
            "відмовилася від коду з релігійних переконань.",
            "10 digits; the check digit is verified as you type. Leave empty if the "
            "person refused the number on religious grounds.",
        ),
    ),
    "gender": label(
        "Стать",
        "Sex",
        choices={
            "": ("Не вказано", "Not given"),
            "m": ("Чоловіча", "Male"),
            "f": ("Жіноча", "Female"),
        },
    ),
    "settlement": label("Населений пункт", "Settlement"),
    "address": label(
        "Адреса проживання",
        "Home address",
        help=("Вулиця, будинок, квартира", "Street, house, flat"),
    ),
    "phone": label(
        "Телефон", "Phone", help=("Наприклад, +380 67 123 45 67", "E.g. +380 67 123 45 67")
    ),
    "email": label("Електронна пошта", "Email"),
    "categories": label(
        "Пільгові категорії",
        "Categories",
        help=(
            "Лише ті, що підтверджені документами, які особа пред'явила.",
            "Only those proven by documents the person has shown.",
        ),
        choices=CATEGORY_WORDS,
    ),
    "disability_group": label(
        "Група інвалідності",
        "Disability group",
        choices={
            "1": ("I група", "Group I"),
            "2": ("II група", "Group II"),
            "3": ("III група", "Group III"),
        },
    ),
    "household_id": label("Домогосподарство", "Household"),
}

#: The fields the registration page asks for (a household is chosen on the citizen's page).
REGISTRATION_FIELDS: tuple[str, ...] = (
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
    "tax_number",
    "gender",
    "settlement",
    "address",
    "phone",
    "email",
    "categories",
    "disability_group",
)
