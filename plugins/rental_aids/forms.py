"""The application form for a loan from the rental point, the standard device types, and
a demo form."""

from __future__ import annotations

import random
from datetime import date
from typing import Annotated

import msgspec
from msgspec import Meta

from core.sdk import Applicant, Text

#: A device type's code: lower-case Latin letters, digits and underscores.
DeviceCode = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]{1,31}$")]
ConclusionNumber = Annotated[str, Meta(max_length=64)]

#: Device types a rental point usually holds (the admin may add others).
STANDARD_TYPES: dict[str, Text] = {
    "wheelchair": Text("Крісло колісне", "Wheelchair"),
    "walker": Text("Ходунки", "Walker"),
    "crutches": Text("Милиці (пара)", "Crutches (pair)"),
    "cane": Text("Тростина", "Walking cane"),
    "functional_bed": Text("Функціональне ліжко", "Functional bed"),
    "commode_chair": Text("Крісло-туалет", "Commode chair"),
    "anti_bedsore_mattress": Text("Протипролежневий матрац", "Anti-bedsore mattress"),
    "bath_seat": Text("Сидіння для ванни", "Bath seat"),
}


class LoanForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A loan of a technical means of rehabilitation for temporary use."""

    #: The device type wanted (a code of the rental point's list, e.g. "wheelchair").
    device_type: DeviceCode
    #: Medical conclusion (висновок лікаря / ЛКК) on the temporary need, if any.
    medical_conclusion_number: ConclusionNumber = ""
    medical_conclusion_date: date | None = None
    #: A disability certificate (довідка МСЕК / ІПР) is held.
    has_disability_certificate: bool = False
    #: The applicant says they are an older person (checked against the birth date).
    older_person: bool = False
    #: Waiting for a state-issued device (CMU No. 321): served first from the waiting list.
    waiting_for_state_device: bool = False
    needed_from: date
    planned_term_days: Annotated[int, Meta(ge=1, le=3650)]


def subject_key(form: LoanForm) -> str | None:
    """One medical conclusion backs one loan request: its number and date."""
    number = " ".join(form.medical_conclusion_number.split()).casefold()
    if not number or form.medical_conclusion_date is None:
        return None
    return f"conclusion:{number}:{form.medical_conclusion_date.isoformat()}"


def demo_conclusion_date(on: date) -> date:
    """A demo conclusion date that depends only on the month of ``on`` (its first day, at
    most 30 days back), so that demo forms of one citizen and month share one conclusion."""
    return on.replace(day=1)


def example_form(rng: random.Random, applicant: Applicant, on: date) -> LoanForm:
    """A demo form backed by a fresh medical conclusion."""
    number = (
        f"ЛКК-{applicant.citizen_id:05d}"
        if applicant.citizen_id is not None
        else f"ЛКК-{rng.randint(100, 99999)}"
    )
    return LoanForm(
        device_type=rng.choice(["wheelchair", "walker", "crutches", "cane", "functional_bed"]),
        medical_conclusion_number=number,
        medical_conclusion_date=demo_conclusion_date(on),
        has_disability_certificate=applicant.disability_group is not None,
        older_person=False,
        waiting_for_state_device=rng.random() < 0.2,
        needed_from=on,
        planned_term_days=rng.choice([30, 60, 90]),
    )
