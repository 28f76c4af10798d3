"""Demo data of the plugin: a few people on the register, and realistic deliveries."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import msgspec

from core.sdk import Actor, Conflict
from plugins.homeless import billing
from plugins.homeless.register import register
from plugins.homeless.schemas import RegisterIn

PLACES = ["Залізничний вокзал", "Автостанція", "Центральний ринок", "Парк культури"]
INSTITUTIONS = [
    "Центр соціальної реінтеграції",
    "Будинок нічного перебування",
    "Реабілітаційний центр «Надія»",
]
TOPICS = [
    "Відновлення паспорта",
    "Реєстрація місця проживання",
    "Оформлення пенсії",
    "Отримання допомоги ВПО",
]


async def prepare(actor: Actor, citizen_ids: list[int], since: date) -> None:
    """Take the given citizens on the register, some by application, some by a patrol."""
    rng = random.Random(len(citizen_ids) * 31 + actor.municipality_id)
    for n, citizen_id in enumerate(citizen_ids):
        body = RegisterIn(
            citizen_id=citizen_id,
            channel="patrol_detection" if n % 3 == 0 else "application",
            has_identity_documents=rng.random() < 0.4,
            registered_address_is_centre=rng.random() < 0.5,
            registered_on=since,
        )
        try:
            await register(actor, body)
        except Conflict:  # already on the register
            continue


def example_delivery(name: str) -> Any:
    def build(rng: random.Random, day: date) -> msgspec.Struct:
        if name == "night_stay":
            return billing.NightStayDelivery(night=day, bed=f"{rng.randint(1, 40)}")
        if name == "hot_meal":
            return billing.HotMealDelivery(
                portions=rng.choice([1, 1, 2]), meal=rng.choice(["lunch", "dinner"])
            )
        if name == "hygiene":
            return billing.HygieneDelivery(kind=rng.choice(["shower", "laundry"]))
        if name == "documents":
            return billing.DocumentsDelivery(
                document=rng.choice(["passport", "id_card", "tax_number"])
            )
        if name == "legal_consultation":
            return billing.LegalConsultationDelivery(
                topic=rng.choice(TOPICS), minutes=rng.choice([20, 30, 45])
            )
        if name == "patrol_contact":
            return billing.PatrolContactDelivery(
                place=rng.choice(PLACES), outcome="Надано інформацію, теплий одяг"
            )
        return billing.RehabilitationReferralDelivery(institution=rng.choice(INSTITUTIONS))

    return build
