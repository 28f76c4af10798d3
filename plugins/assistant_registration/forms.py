"""The application form: the person asks to register the assistant they chose.

The applicant is the person (art. 78 of the Civil Code: the assistant is appointed at the
person's own request); the form names them by their citizen id so that the pair
(person, assistant) can be keyed, and describes the assistant, the health reason and the
assistant's written consent.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Annotated

import msgspec
from msgspec import Meta
from stdnum.exceptions import ValidationError
from stdnum.ua import rntrc

from core.sdk import Applicant, RowId

Name = Annotated[str, Meta(min_length=1, max_length=128)]
TaxNumber = Annotated[str, Meta(min_length=1, max_length=16)]


class AssistantForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Application to register an assistant of a capable person (Civil Code art. 78)."""

    #: The person who chooses the assistant: the applicant themself.
    person_citizen_id: RowId
    #: Whether the person is under guardianship or custody (then no assistant is registered).
    person_under_guardianship: bool
    #: Why, for health reasons, the person cannot exercise their rights on their own.
    health_reason: Annotated[str, Meta(min_length=3, max_length=2000)]
    assistant_last_name: Name
    assistant_first_name: Name
    assistant_patronymic: Annotated[str, Meta(max_length=128)] = ""
    assistant_birth_date: date
    #: РНОКПП of the assistant; optional (some people have none), checksum-validated.
    assistant_tax_number: TaxNumber | None = None
    assistant_address: Annotated[str, Meta(min_length=3, max_length=500)]
    assistant_phone: Annotated[str, Meta(max_length=32)] = ""
    #: The assistant declares full civil capacity (not restricted, not under guardianship).
    assistant_has_full_capacity: bool
    #: The assistant's written consent is attached.
    assistant_consent: bool
    #: The applicant has read the list of documents and brings them.
    documents_acknowledged: bool
    #: Number of a terminated register entry of the same pair, when registering it again.
    previous_entry_number: Annotated[str, Meta(max_length=32)] = ""

    def __post_init__(self) -> None:
        if self.assistant_tax_number is not None:
            try:
                self.assistant_tax_number = rntrc.validate(self.assistant_tax_number)
            except ValidationError as exc:
                raise ValueError(
                    "assistant_tax_number: РНОКПП недійсний / invalid tax number "
                    f"({type(exc).__name__})"
                ) from exc
        if not self.health_reason.strip():
            raise ValueError("health_reason: вкажіть причину / the reason is required")
        for field in ("assistant_last_name", "assistant_first_name"):
            if not getattr(self, field).strip():
                raise ValueError(f"{field}: порожнє значення / must not be blank")
        self.previous_entry_number = self.previous_entry_number.strip().upper()


def _names(last: str, first: str, patronymic: str) -> str:
    return " ".join(" ".join((last, first, patronymic)).casefold().split())


def assistant_key(
    tax_number: str | None, last: str, first: str, patronymic: str, birth_date: date
) -> str:
    """Who the assistant is: the tax number, or the full name and birth date."""
    if tax_number:
        return f"tax:{tax_number}"
    return f"name:{_names(last, first, patronymic)}|{birth_date.isoformat()}"


def form_assistant_key(form: AssistantForm) -> str:
    return assistant_key(
        form.assistant_tax_number,
        form.assistant_last_name,
        form.assistant_first_name,
        form.assistant_patronymic,
        form.assistant_birth_date,
    )


def subject_key(form: AssistantForm) -> str:
    """The pair: the person's citizen id and the assistant's identity (and, for a new
    registration of a terminated pair, the terminated entry's number)."""
    key = f"person:{form.person_citizen_id}|assistant:{form_assistant_key(form)}"
    if form.previous_entry_number:
        key += f"|after:{form.previous_entry_number}"
    return key[:255]


REASONS = [
    "Наслідки інсульту, обмежена рухливість",
    "Порушення зору II групи інвалідності",
    "Тяжке захворювання опорно-рухового апарату",
    "Вік і хронічні захворювання, не може самостійно виходити з дому",
]


def example_form(rng: random.Random, applicant: Applicant, on: date) -> AssistantForm:
    """A realistic application of ``applicant`` naming an adult assistant."""
    from faker import Faker

    fake = Faker("uk_UA")
    fake.seed_instance(rng.randrange(1 << 30))
    male = rng.random() < 0.5
    born = on - timedelta(days=rng.randint(25 * 365, 60 * 365))
    tax: str | None = None
    if rng.random() < 0.8:
        days = (born - date(1899, 12, 31)).days
        body = f"{days:05d}{rng.randint(0, 9999):04d}"
        tax = body + rntrc.calc_check_digit(body)
    return AssistantForm(
        person_citizen_id=applicant.citizen_id or 1,
        person_under_guardianship=False,
        health_reason=rng.choice(REASONS),
        assistant_last_name=fake.last_name_male() if male else fake.last_name_female(),
        assistant_first_name=fake.first_name_male() if male else fake.first_name_female(),
        assistant_patronymic=fake.middle_name_male() if male else fake.middle_name_female(),
        assistant_birth_date=born,
        assistant_tax_number=tax,
        assistant_address=f"{applicant.settlement or 'Ковель'}, {fake.street_address()}",
        assistant_phone=f"+38067{rng.randint(1000000, 9999999)}",
        assistant_has_full_capacity=True,
        assistant_consent=True,
        documents_acknowledged=True,
    )
