"""How the social-taxi registration form is shown: each field's label, help and choices."""

from __future__ import annotations

from core.sdk import FieldLabel, label

FORM: dict[str, FieldLabel] = {
    "wheelchair": label(
        "Крісло колісне",
        "Wheelchair",
        help=(
            "Чим пересувається особа: перевізник добирає автомобіль із місцем для крісла, "
            "а для крісла з електроприводом — із підйомником або пандусом.",
            "How the person moves: the carrier sends a vehicle with a wheelchair place, and "
            "for an electric wheelchair one with a lift or ramp.",
        ),
        choices={
            "manual": ("Механічне (з ручним приводом)", "Manual"),
            "electric": ("З електроприводом", "Electric"),
            "none": ("Не користується кріслом колісним", "Does not use a wheelchair"),
        },
    ),
    "uses_crutches_or_cane": label(
        "Пересувається з милицями або тростиною",
        "Uses crutches or a cane",
        help=(
            "Вважається порушенням опорно-рухового апарату.",
            "Counts as a musculoskeletal impairment.",
        ),
    ),
    "disability_group": label(
        "Група інвалідності",
        "Disability group",
        help=(
            "За довідкою МСЕК або рішенням експертної команди; не вибирайте, якщо "
            "інвалідність не встановлено.",
            "As in the disability certificate; leave empty if no disability is established.",
        ),
        choices={
            "1": ("I група", "Group I"),
            "2": ("II група", "Group II"),
            "3": ("III група", "Group III"),
        },
    ),
    "impairments": label(
        "Порушення",
        "Impairments",
        help=("Позначте всі, що є.", "Tick every one that applies."),
        choices={
            "musculoskeletal": (
                "Порушення опорно-рухового апарату",
                "Musculoskeletal impairment",
            ),
            "visual": ("Порушення зору", "Visual impairment"),
            "intellectual": ("Інтелектуальні порушення", "Intellectual impairment"),
        },
    ),
    "child_with_disability": label("Дитина з інвалідністю", "Child with a disability"),
    "needs_companion": label(
        "Потребує супроводу",
        "Needs a companion",
        help=(
            "Особа пересувається із супровідником; відомості для диспетчера.",
            "The person travels with a companion; for the dispatcher.",
        ),
    ),
    "family_has_car": label(
        "У сім'ї є автомобіль",
        "The family has a car",
        help=(
            "Враховується лише там, де громада так вирішила: тоді наявність автомобіля є "
            "підставою для відмови.",
            "Read only where the hromada so decided: a car is then a ground for refusal.",
        ),
    ),
    "monthly_pension": label(
        "Розмір пенсії (доходу) на місяць, грн",
        "Monthly pension (income), UAH",
        help=(
            "Сума пенсії або іншого доходу за місяць, у гривнях; враховується лише там, де "
            "громада встановила граничний дохід.",
            "The pension or other income a month, in UAH; read only where the hromada set an "
            "income cap.",
        ),
    ),
}


#: What a carrier records for one trip (``Service.delivery_labels``).
DELIVERY: dict[str, FieldLabel] = {
    "booking_id": label(
        "Номер замовлення",
        "Booking number",
        help=(
            "0 — поїздка з журналу диспетчера перевізника, якщо громада це дозволяє.",
            "0 for a trip from the carrier's own dispatch log, where the hromada allows it.",
        ),
    ),
    "outcome": label(
        "Результат",
        "Outcome",
        choices={
            "completed": ("Виконано", "Completed"),
            "no_show": ("Пасажир не з'явився", "No-show"),
            "late_cancellation": ("Пізнє скасування", "Late cancellation"),
        },
    ),
    "km": label("Кілометрів", "Kilometres"),
    "waiting_minutes": label("Очікування, хвилин", "Waiting, minutes"),
}
