"""Application forms of the homeless-support services: short on purpose.

The person is already on the register (name, certificate, identity documents), so a form
asks only what the service needs to know. Example forms build demo data.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from core.sdk import Applicant

Place = Annotated[str, Meta(max_length=128)]
Note = Annotated[str, Meta(max_length=1000)]
DocumentKind = Literal["passport", "id_card", "birth_certificate", "tax_number", "other"]


class _Form(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class NightStayForm(_Form):
    """A place in a night-stay house (будинок нічного перебування)."""

    #: Settlement of the preferred shelter; empty means any shelter of the hromada.
    shelter_settlement: Place = ""
    needs_lower_bunk: bool = False
    needs_step_free_access: bool = False


class HotMealForm(_Form):
    diet: Literal["none", "vegetarian", "diabetic", "soft_food", "other"] = "none"
    diet_note: Annotated[str, Meta(max_length=255)] = ""


class HygieneForm(_Form):
    wants_shower: bool = True
    wants_laundry: bool = True


class DocumentsForm(_Form):
    """Help to restore or obtain an identity or other document."""

    document: DocumentKind
    reason: Literal["lost", "stolen", "damaged", "never_issued", "expired"]
    note: Note = ""


class LegalConsultationForm(_Form):
    topic: Literal[
        "documents",
        "registration",
        "housing",
        "pension_benefits",
        "employment",
        "medical",
        "criminal_record",
        "other",
    ]
    question: Note = ""


class PatrolContactForm(_Form):
    """Consent to be visited by the social patrol where the person stays."""

    usual_place: Annotated[str, Meta(min_length=1, max_length=255)]
    consent: bool


class RehabilitationReferralForm(_Form):
    institution_kind: Literal[
        "reintegration_centre",
        "social_hotel",
        "residential_care",
        "medical_rehabilitation",
        "addiction_treatment",
    ]
    consent: bool


# ------------------------------------------------------------------ demo forms
def example_night_stay(rng: random.Random, applicant: Applicant, on: date) -> NightStayForm:
    return NightStayForm(
        shelter_settlement=applicant.settlement or "",
        needs_lower_bunk=rng.random() < 0.2,
        needs_step_free_access=rng.random() < 0.1,
    )


def example_hot_meal(rng: random.Random, applicant: Applicant, on: date) -> HotMealForm:
    return HotMealForm(diet=rng.choice(["none", "none", "none", "vegetarian", "soft_food"]))


def example_hygiene(rng: random.Random, applicant: Applicant, on: date) -> HygieneForm:
    return HygieneForm(wants_shower=True, wants_laundry=rng.random() < 0.7)


def example_documents(rng: random.Random, applicant: Applicant, on: date) -> DocumentsForm:
    return DocumentsForm(
        document=rng.choice(["passport", "id_card", "birth_certificate", "tax_number"]),
        reason=rng.choice(["lost", "stolen", "damaged", "never_issued", "expired"]),
    )


def example_legal_consultation(
    rng: random.Random, applicant: Applicant, on: date
) -> LegalConsultationForm:
    return LegalConsultationForm(
        topic=rng.choice(["documents", "registration", "housing", "pension_benefits"]),
    )


def example_patrol_contact(rng: random.Random, applicant: Applicant, on: date) -> PatrolContactForm:
    place = rng.choice(["залізничний вокзал", "автостанція", "ринок", "парк біля річки"])
    return PatrolContactForm(usual_place=f"{applicant.settlement or ''}, {place}", consent=True)


def example_rehabilitation_referral(
    rng: random.Random, applicant: Applicant, on: date
) -> RehabilitationReferralForm:
    return RehabilitationReferralForm(
        institution_kind=rng.choice(["reintegration_centre", "social_hotel", "residential_care"]),
        consent=True,
    )
