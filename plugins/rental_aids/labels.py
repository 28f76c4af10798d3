"""How the loan form of the rental point is shown: each field's label and help."""

from __future__ import annotations

from core.sdk import FieldLabel, label

FORM: dict[str, FieldLabel] = {
    "device_type": label(
        "Вид засобу реабілітації",
        "Kind of device",
        help=(
            "Код виду засобу з переліку пункту прокату, наприклад wheelchair (крісло "
            "колісне), walker (ходунки), crutches (милиці), functional_bed (функціональне "
            "ліжко).",
            "The device kind's code from the rental point's list, e.g. wheelchair, walker, "
            "crutches, functional_bed.",
        ),
    ),
    "medical_conclusion_number": label(
        "Номер висновку лікаря (ЛКК)",
        "Medical conclusion number",
        help=(
            "Висновок лікаря або лікарсько-консультаційної комісії про тимчасову потребу в "
            "засобі; один висновок — одне звернення.",
            "The conclusion of a doctor or medical advisory board on a temporary need for "
            "the device; one conclusion backs one request.",
        ),
    ),
    "medical_conclusion_date": label(
        "Дата висновку лікаря (ЛКК)",
        "Medical conclusion date",
        help=(
            "Висновок має бути свіжим: не старшим за строк, установлений громадою.",
            "The conclusion must be recent: not older than the hromada's limit.",
        ),
    ),
    "has_disability_certificate": label(
        "Є довідка про інвалідність (МСЕК) або ІПР",
        "Holds a disability certificate or an individual rehabilitation programme",
    ),
    "older_person": label(
        "Особа похилого віку",
        "Older person",
        help=(
            "Зі слів заявника; вік перевіряють за датою народження в картці громадянина.",
            "As the applicant says; the age is checked against the birth date on the "
            "citizen's record.",
        ),
    ),
    "waiting_for_state_device": label(
        "Очікує на засіб від держави",
        "Waiting for a state-issued device",
        help=(
            "Особа стоїть у черзі на забезпечення засобом реабілітації за державні кошти "
            "(постанова КМУ № 321): її обслуговують першою з черги пункту прокату.",
            "The person is on the waiting list for a device at the state's expense "
            "(CMU Resolution No. 321): served first from the rental point's waiting list.",
        ),
    ),
    "needed_from": label("Потрібен з дати", "Needed from"),
    "planned_term_days": label(
        "Запланований строк прокату, днів",
        "Planned loan term, days",
        help=(
            "Не довше за найбільший строк прокату, установлений громадою.",
            "Not longer than the longest loan term the hromada allows.",
        ),
    ),
}


#: What a provider records for a loan in a month (``Service.delivery_labels``).
DELIVERY: dict[str, FieldLabel] = {
    "loan_id": label("Номер видачі", "Loan number"),
    "kind": label(
        "Що оплачується",
        "What is billed",
        choices={
            "item_days": ("Предмет-дні", "Item-days"),
            "cleaning": ("Прибирання поверненого засобу", "Cleaning of a returned item"),
            "correction": ("Коригування (сторно днів)", "Correction (days credited)"),
        },
    ),
    "days": label(
        "Днів",
        "Days",
        help=("Для коригування — від'ємне число.", "Negative for a correction."),
    ),
    "month": label("Місяць (РРРР-ММ)", "Month (YYYY-MM)"),
}
