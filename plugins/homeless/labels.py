"""How the homeless-support forms are shown: each field's label, help and choices."""

from __future__ import annotations

from core.sdk import FieldLabel, label

_CONSENT_HELP = (
    "Послугу надають лише за згодою самої особи.",
    "The service is provided only with the person's own consent.",
)

NIGHT_STAY: dict[str, FieldLabel] = {
    "shelter_settlement": label(
        "Населений пункт притулку",
        "Settlement of the shelter",
        help=(
            "Де особа хоче ночувати; залиште порожнім, якщо підходить будь-який притулок громади.",
            "Where the person wants to stay; leave empty if any shelter of the hromada will do.",
        ),
    ),
    "needs_lower_bunk": label("Потрібне нижнє ліжко", "Needs a lower bunk"),
    "needs_step_free_access": label(
        "Потрібен доступ без сходинок",
        "Needs step-free access",
        help=(
            "Наприклад, для особи на кріслі колісному чи з милицями.",
            "For instance for a person in a wheelchair or on crutches.",
        ),
    ),
}

HOT_MEAL: dict[str, FieldLabel] = {
    "diet": label(
        "Дієта",
        "Diet",
        choices={
            "none": ("Без обмежень", "No special diet"),
            "vegetarian": ("Вегетаріанська", "Vegetarian"),
            "diabetic": ("Для хворих на діабет", "Diabetic"),
            "soft_food": ("М'яка (протерта) їжа", "Soft food"),
            "other": ("Інша (зазначте в примітці)", "Other (say in the note)"),
        },
    ),
    "diet_note": label(
        "Примітка щодо харчування",
        "Note on the diet",
        help=(
            "Алергії, заборонені продукти чи інша дієта.",
            "Allergies, foods to avoid, or another diet.",
        ),
    ),
}

_ONE_AT_LEAST = ("Потрібно вибрати хоча б одну послугу.", "Choose at least one service.")

HYGIENE: dict[str, FieldLabel] = {
    "wants_shower": label("Потрібен душ", "Wants a shower", help=_ONE_AT_LEAST),
    "wants_laundry": label("Потрібне прання одягу", "Wants laundry", help=_ONE_AT_LEAST),
}

DOCUMENTS: dict[str, FieldLabel] = {
    "document": label(
        "Документ",
        "Document",
        choices={
            "passport": ("Паспорт громадянина України (книжечка)", "Passport (booklet)"),
            "id_card": ("ID-картка", "ID card"),
            "birth_certificate": ("Свідоцтво про народження", "Birth certificate"),
            "tax_number": (
                "РНОКПП (картка платника податків)",
                "Tax number (RNOKPP) card",
            ),
            "other": ("Інший документ (зазначте в примітці)", "Another document (say in the note)"),
        },
    ),
    "reason": label(
        "Причина звернення",
        "Reason",
        choices={
            "lost": ("Втрачено", "Lost"),
            "stolen": ("Викрадено", "Stolen"),
            "damaged": ("Пошкоджено", "Damaged"),
            "never_issued": ("Ніколи не видавався", "Never issued"),
            "expired": ("Закінчився строк дії", "Expired"),
        },
    ),
    "note": label(
        "Примітка",
        "Note",
        help=(
            "Що відомо про документ: де й коли видано, де втрачено.",
            "What is known about the document: where and when it was issued, where it was lost.",
        ),
    ),
}

LEGAL_CONSULTATION: dict[str, FieldLabel] = {
    "topic": label(
        "Тема консультації",
        "Topic of the consultation",
        choices={
            "documents": ("Документи", "Documents"),
            "registration": ("Реєстрація місця проживання", "Registration of residence"),
            "housing": ("Житло", "Housing"),
            "pension_benefits": ("Пенсії та соціальні допомоги", "Pensions and benefits"),
            "employment": ("Працевлаштування", "Employment"),
            "medical": ("Медична допомога", "Medical care"),
            "criminal_record": ("Судимість", "Criminal record"),
            "other": ("Інше", "Other"),
        },
    ),
    "question": label("Суть питання", "The question"),
}

PATROL_CONTACT: dict[str, FieldLabel] = {
    "usual_place": label(
        "Де особа зазвичай перебуває",
        "Where the person usually stays",
        help=(
            "Населений пункт і місце, де соціальний патруль може знайти особу (вокзал, парк тощо).",
            "The settlement and the place where the social patrol can find the person "
            "(station, park and so on).",
        ),
    ),
    "consent": label(
        "Особа погоджується на відвідування соціальним патрулем",
        "The person agrees to visits of the social patrol",
        help=_CONSENT_HELP,
    ),
}

REHABILITATION_REFERRAL: dict[str, FieldLabel] = {
    "institution_kind": label(
        "Вид закладу",
        "Kind of institution",
        choices={
            "reintegration_centre": ("Центр реінтеграції бездомних осіб", "Reintegration centre"),
            "social_hotel": ("Соціальний готель", "Social hotel"),
            "residential_care": (
                "Інтернатний заклад (стаціонарний догляд)",
                "Residential care institution",
            ),
            "medical_rehabilitation": ("Медична реабілітація", "Medical rehabilitation"),
            "addiction_treatment": ("Лікування залежності", "Addiction treatment"),
        },
    ),
    "consent": label(
        "Особа погоджується на направлення",
        "The person agrees to the referral",
        help=_CONSENT_HELP,
    ),
}


# ---- what a provider records for one delivery (``Service.delivery_labels``) ----

NIGHT_STAY_DELIVERY: dict[str, FieldLabel] = {
    "night": label("Ніч (дата заселення)", "Night (the evening of admission)"),
    "bed": label("Ліжко", "Bed", help=("Номер ліжка, якщо ведете облік.", "Its number, if kept.")),
}

HOT_MEAL_DELIVERY: dict[str, FieldLabel] = {
    "portions": label("Порцій", "Portions", help=("Від 1 до 3.", "From 1 to 3.")),
    "meal": label(
        "Прийом їжі",
        "Meal",
        choices={
            "breakfast": ("Сніданок", "Breakfast"),
            "lunch": ("Обід", "Lunch"),
            "dinner": ("Вечеря", "Dinner"),
        },
    ),
}

HYGIENE_DELIVERY: dict[str, FieldLabel] = {
    "kind": label(
        "Послуга",
        "Service",
        choices={"shower": ("Душ", "Shower"), "laundry": ("Прання", "Laundry")},
    ),
}

DOCUMENTS_DELIVERY: dict[str, FieldLabel] = {
    "document": DOCUMENTS["document"],
    "reference": label("Номер документа", "Document number"),
}

LEGAL_CONSULTATION_DELIVERY: dict[str, FieldLabel] = {
    "topic": label("Тема консультації", "Topic"),
    "minutes": label("Тривалість, хвилин", "Length, minutes"),
}

PATROL_CONTACT_DELIVERY: dict[str, FieldLabel] = {
    "place": label("Місце контакту", "Place of the contact"),
    "outcome": label("Результат", "Outcome"),
}

REHABILITATION_REFERRAL_DELIVERY: dict[str, FieldLabel] = {
    "institution": label("Заклад, куди направлено", "Institution referred to"),
}
