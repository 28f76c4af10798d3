"""How the assistant-registration form is shown: each field's label and help."""

from __future__ import annotations

from core.sdk import FieldLabel, label

FORM: dict[str, FieldLabel] = {
    "person_citizen_id": label(
        "Особа, яка обирає помічника (номер картки громадянина)",
        "Person choosing the assistant (citizen record number)",
        help=(
            "Номер картки громадянина в системі; помічника реєструють лише за заявою самої "
            "особи, тому це має бути заявник.",
            "The citizen record's number in the system; an assistant is registered only at "
            "the person's own request, so it must be the applicant.",
        ),
    ),
    "person_under_guardianship": label(
        "Над особою встановлено опіку або піклування",
        "The person is under guardianship or custody",
        help=(
            "Якщо так, помічника не реєструють: помічник призначається лише дієздатній особі.",
            "If so, no assistant is registered: an assistant is appointed only for a capable "
            "person.",
        ),
    ),
    "health_reason": label(
        "Причина за станом здоров'я",
        "Health reason",
        help=(
            "Чому за станом здоров'я особа не може самостійно здійснювати свої права та "
            "виконувати обов'язки (ст. 78 Цивільного кодексу України).",
            "Why, for health reasons, the person cannot exercise their rights and perform "
            "their duties alone (Civil Code of Ukraine, art. 78).",
        ),
    ),
    "assistant_last_name": label("Прізвище помічника", "Assistant's last name"),
    "assistant_first_name": label("Ім'я помічника", "Assistant's first name"),
    "assistant_patronymic": label(
        "По батькові помічника", "Assistant's patronymic", help=("Якщо є.", "If any.")
    ),
    "assistant_birth_date": label(
        "Дата народження помічника",
        "Assistant's date of birth",
        help=("Помічник має бути повнолітнім.", "The assistant must be an adult."),
    ),
    "assistant_tax_number": label(
        "РНОКПП (ідентифікаційний код) помічника",
        "Assistant's tax number (RNOKPP)",
        help=(
            "10 цифр; не заповнюйте, якщо помічник не має РНОКПП.",
            "10 digits; leave empty if the assistant has none.",
        ),
    ),
    "assistant_address": label("Адреса проживання помічника", "Assistant's address"),
    "assistant_phone": label(
        "Телефон помічника",
        "Assistant's phone",
        help=("Наприклад, +380671234567.", "For example, +380671234567."),
    ),
    "assistant_has_full_capacity": label(
        "Помічник має повну цивільну дієздатність",
        "The assistant has full civil capacity",
        help=(
            "Цивільну дієздатність помічника не обмежено, опіку над ним не встановлено.",
            "The assistant's civil capacity is not restricted and they are not under guardianship.",
        ),
    ),
    "assistant_consent": label(
        "Письмову згоду помічника додано",
        "The assistant's written consent is attached",
    ),
    "documents_acknowledged": label(
        "Заявник ознайомився з переліком документів і подає їх",
        "The applicant has read the list of documents and brings them",
        help=(
            "Перелік документів наведено в інформаційній картці послуги.",
            "The documents are listed on the service's information card.",
        ),
    ),
    "previous_entry_number": label(
        "Номер припиненого запису в реєстрі помічників",
        "Number of the terminated register entry",
        help=(
            "Лише для повторної реєстрації того самого помічника для тієї самої особи після "
            "припинення попереднього запису; інакше не заповнюйте.",
            "Only to register the same assistant for the same person again after the "
            "previous entry was terminated; otherwise leave empty.",
        ),
    ),
}
