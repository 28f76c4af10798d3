"""How the funeral-aid form is shown: each field's label, help and choices in words."""

from __future__ import annotations

from core.sdk import FieldLabel, label

FORM: dict[str, FieldLabel] = {
    "deceased_last_name": label("Прізвище померлої особи", "Deceased's last name"),
    "deceased_first_name": label("Ім'я померлої особи", "Deceased's first name"),
    "deceased_patronymic": label(
        "По батькові померлої особи",
        "Deceased's patronymic",
        help=("Якщо є.", "If any."),
    ),
    "deceased_birth_date": label("Дата народження померлої особи", "Deceased's date of birth"),
    "deceased_tax_number": label(
        "РНОКПП (ідентифікаційний код) померлої особи",
        "Deceased's tax number (RNOKPP)",
        help=(
            "10 цифр; не заповнюйте, якщо особа не мала РНОКПП.",
            "10 digits; leave empty if the person had none.",
        ),
    ),
    "death_date": label(
        "Дата смерті",
        "Date of death",
        help=(
            "За свідоцтвом про смерть; заяву подають протягом 6 місяців після смерті.",
            "As in the death certificate; the application is made within 6 months of death.",
        ),
    ),
    "death_record_number": label(
        "Номер актового запису про смерть",
        "Death record number",
        help=(
            "Зі свідоцтва про смерть або витягу з Державного реєстру актів цивільного стану.",
            "From the death certificate or the extract from the civil status register.",
        ),
    ),
    "death_record_date": label(
        "Дата актового запису про смерть",
        "Date of the death record",
        help=(
            "Зі свідоцтва про смерть; не раніше дати смерті.",
            "From the death certificate; not before the date of death.",
        ),
    ),
    "deceased_settlement": label(
        "Населений пункт останнього місця проживання померлої особи",
        "Settlement of the deceased's last residence",
        help=(
            "Останнє зареєстроване місце проживання: допомогу виплачує громада, де особа "
            "проживала.",
            "The last registered place of residence: the aid is paid by the hromada where "
            "the person lived.",
        ),
    ),
    "deceased_employed": label(
        "Померла особа на день смерті працювала або проходила службу",
        "The deceased was working or in service on the day of death",
        help=(
            "Якщо так, особа була застрахована: допомога з бюджету громади не призначається.",
            "If so, the person was insured: no funeral aid from the hromada's budget.",
        ),
    ),
    "deceased_pensioner": label(
        "Померла особа отримувала пенсію",
        "The deceased received a pension",
        help=(
            "Якщо так, допомогу на поховання виплачує Пенсійний фонд України.",
            "If so, the funeral benefit is paid by the Pension Fund of Ukraine.",
        ),
    ),
    "deceased_registered_unemployed": label(
        "Померла особа перебувала на обліку в центрі зайнятості як безробітна",
        "The deceased was registered as unemployed at the employment centre",
        help=(
            "Якщо так, особа була застрахована: допомога з бюджету громади не призначається.",
            "If so, the person was insured: no funeral aid from the hromada's budget.",
        ),
    ),
    "deceased_full_state_maintenance": label(
        "Померла особа перебувала на повному державному утриманні",
        "The deceased was on full state maintenance",
        help=(
            "Наприклад, в інтернатному закладі: тоді поховання оплачує держава.",
            "For instance in a residential care home: the state then pays for the burial.",
        ),
    ),
    "relation": label(
        "Ступінь споріднення заявника з померлою особою",
        "Applicant's relation to the deceased",
        choices={
            "spouse": ("Чоловік / дружина", "Husband / wife"),
            "child": ("Син / дочка", "Son / daughter"),
            "parent": ("Батько / мати", "Father / mother"),
            "sibling": ("Брат / сестра", "Brother / sister"),
            "grandchild": ("Онук / онука", "Grandchild"),
            "other_relative": ("Інший родич", "Another relative"),
            "executor": ("Виконавець волевиявлення померлої особи", "Executor of the will"),
            "other": (
                "Інша особа, яка здійснила поховання",
                "Another person who carried out the burial",
            ),
        },
    ),
    "burial_paid_by_applicant": label(
        "Поховання здійснив заявник за власний рахунок",
        "The applicant carried out the burial at own expense",
        help=(
            "Підтверджується документами про оплату поховання.",
            "Proved by the documents of paying for the burial.",
        ),
    ),
    "iban": label(
        "Рахунок IBAN заявника",
        "Applicant's IBAN",
        help=(
            "Український рахунок: UA і 27 цифр (29 знаків), пробіли допускаються; на нього "
            "перераховують допомогу.",
            "A Ukrainian account: UA and 27 digits (29 characters), spaces allowed; the aid "
            "is paid to it.",
        ),
    ),
    "declaration_no_other_benefit": label(
        "Іншої допомоги на поховання не отримано",
        "No other funeral benefit was received",
        help=(
            "Заявник підтверджує, що допомоги на поховання цієї особи не отримано від "
            "Пенсійного фонду, роботодавця чи як іншу соціальну допомогу.",
            "The applicant declares that no funeral benefit for this person was received "
            "from the Pension Fund, an employer or as other social assistance.",
        ),
    ),
    "declaration_data_true": label(
        "Заявник підтверджує достовірність даних",
        "The applicant confirms the data are true",
    ),
}
