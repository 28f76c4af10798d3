"""Information cards of the seven services, built from shared pieces.

All seven serve persons on the register of homeless persons, rest on the same laws, are
free of charge for the person (the municipality pays the provider under the social
order) and share the appeal route and the main refusal grounds.
"""

from __future__ import annotations

from typing import Literal

from core.service import InfoCard, RefusalGround, RequiredDocument, Text

T = Text

LEGAL_BASIS = (
    T(
        "Закон України «Про основи соціального захисту бездомних осіб і безпритульних дітей» "
        "від 02.06.2005 № 2623-IV",
        "Law of Ukraine on the Basics of Social Protection of Homeless Persons and Street "
        "Children, No. 2623-IV of 02.06.2005",
    ),
    T(
        "Закон України «Про соціальні послуги» від 17.01.2019 № 2671-VIII",
        "Law of Ukraine on Social Services, No. 2671-VIII of 17.01.2019",
    ),
    T(
        "Постанова КМУ від 01.06.2020 № 450 (соціальне замовлення)",
        "CMU Resolution No. 450 of 01.06.2020 (social order)",
    ),
    T(
        "Програма соціального замовлення громади (рішення ради)",
        "The hromada's social-order programme (council decision)",
    ),
)

WHO = T(
    "Особа, взята на облік бездомних осіб громади (має довідку про взяття на облік), яка "
    "перебуває на території громади. Відсутність паспорта чи реєстрації місця проживання "
    "не є підставою для відмови.",
    "A person on the hromada's register of homeless persons (holding the certificate of "
    "being taken on record) who stays in the hromada. Having no passport or registered "
    "address is not a ground for refusal.",
)

DOCUMENTS = (
    RequiredDocument(
        name=T(
            "Заява (усна заява записується працівником)", "Application (staff record an oral one)"
        ),
        form="original",
    ),
    RequiredDocument(
        name=T(
            "Довідка про взяття на облік бездомної особи",
            "Certificate of being taken on the homeless register",
        ),
        form="original_or_copy",
        note=T(
            "працівник перевіряє реєстр сам; довідку не вимагають",
            "staff check the register themselves; the certificate is not demanded",
        ),
    ),
    RequiredDocument(
        name=T("Документ, що посвідчує особу (за наявності)", "Identity document (if any)"),
        form="original_or_copy",
        note=T(
            "його відсутність не є підставою для відмови",
            "having none is not a ground for refusal",
        ),
    ),
)

NOT_REGISTERED = RefusalGround(
    "not_registered",
    T("Особу не взято на облік бездомних осіб", "The person is not on the homeless register"),
)
NOT_IN_HROMADA = RefusalGround(
    "not_in_hromada",
    T("Особа не перебуває на території громади", "The person does not stay in the hromada"),
)
NO_CAPACITY = RefusalGround(
    "no_capacity",
    T(
        "Вичерпано обсяг послуги за договорами (особу вносять до черги)",
        "The contracted volume is used up (the person is put on the waiting list)",
    ),
)
NO_CONSENT = RefusalGround(
    "no_consent", T("Особа не дала згоди на послугу", "The person did not consent")
)

APPEAL = T(
    "Рішення можна оскаржити керівникові органу соціального захисту, у виконавчому комітеті "
    "ради або до адміністративного суду.",
    "The decision may be appealed to the head of the social protection body, to the "
    "executive committee, or to an administrative court.",
)

SUBMISSION = (
    T(
        "Особисто в центрі обліку бездомних осіб або ЦНАП",
        "In person at the accounting centre or a service centre",
    ),
    T("Через працівника соціального патруля", "Through a social patrol worker"),
    T(
        "Через надавача послуги (притулок, пункт харчування)",
        "Through the provider (shelter, meal point)",
    ),
)


def card(
    *,
    title: T,
    summary: T,
    outcome: T,
    term_days: int = 1,
    term_kind: Literal["calendar", "working"] = "calendar",
    refusals: tuple[RefusalGround, ...] = (NO_CAPACITY,),
    documents: tuple[RequiredDocument, ...] = (),
    keywords: tuple[str, ...] = (),
) -> InfoCard:
    """A card with the plugin's shared who-may-apply, documents, grounds, appeal and basis."""
    return InfoCard(
        title=title,
        summary=summary,
        who_may_apply=WHO,
        documents=DOCUMENTS + documents,
        term_days=term_days,
        term_kind=term_kind,
        fee=None,
        refusal_grounds=(NOT_REGISTERED, NOT_IN_HROMADA, *refusals),
        appeal=APPEAL,
        legal_basis=LEGAL_BASIS,
        outcome=outcome,
        submission_methods=SUBMISSION,
        keywords=("бездомні", "безхатченки", "homeless", *keywords),
    )


NIGHT_STAY = card(
    title=T("Нічне перебування", "Night stay"),
    summary=T(
        "Ліжко-місце на ніч у будинку нічного перебування: ночівля, душ, чиста постільна білизна.",
        "A bed for the night in a night-stay house: sleep, a shower, clean bedding.",
    ),
    outcome=T(
        "Направлення до будинку нічного перебування; надавач приймає особу щовечора в години "
        "роботи притулку.",
        "A referral to a night-stay house; the provider admits the person every evening "
        "during the shelter's hours.",
    ),
    keywords=("нічліжка", "притулок", "ночівля", "shelter", "night"),
)

HOT_MEAL = card(
    title=T("Гаряче харчування", "Hot meals"),
    summary=T(
        "Гарячі страви в пункті харчування: сніданок, обід або вечеря.",
        "Hot meals at a meal point: breakfast, lunch or dinner.",
    ),
    outcome=T(
        "Особу включають до списку отримувачів харчування надавача.",
        "The person is put on the provider's list of meal recipients.",
    ),
    keywords=("їжа", "обід", "харчування", "meal", "food"),
)

HYGIENE = card(
    title=T("Гігієнічні послуги", "Hygiene services"),
    summary=T("Душ і прання одягу.", "A shower and laundry of clothes."),
    outcome=T(
        "Особа може користуватися душем і пральнею надавача.",
        "The person may use the provider's shower and laundry.",
    ),
    keywords=("душ", "прання", "shower", "laundry"),
)

DOCUMENTS_HELP = card(
    title=T("Відновлення документів", "Restoring documents"),
    summary=T(
        "Супровід у відновленні чи отриманні паспорта, ID-картки, свідоцтва про народження, "
        "РНОКПП та інших документів.",
        "Help to restore or obtain a passport, ID card, birth certificate, tax number or "
        "other documents.",
    ),
    outcome=T(
        "Відкривається справа; надавач супроводжує особу до отримання документа.",
        "A case is opened; the provider accompanies the person until the document is issued.",
    ),
    term_days=10,
    term_kind="working",
    keywords=("паспорт", "документи", "passport", "documents"),
)

LEGAL_CONSULTATION = card(
    title=T("Правова консультація", "Legal consultation"),
    summary=T(
        "Консультація щодо документів, реєстрації, житла, пенсій і допомог, працевлаштування.",
        "Advice on documents, registration, housing, pensions and benefits, employment.",
    ),
    outcome=T("Консультація юриста надавача.", "A consultation with the provider's lawyer."),
    term_days=10,
    term_kind="working",
    keywords=("юрист", "консультація", "lawyer", "legal"),
)

PATROL_CONTACT = card(
    title=T("Соціальний патруль", "Social patrol"),
    summary=T(
        "Відвідування особи соціальним патрулем там, де вона перебуває: огляд стану, "
        "гаряче питво, теплі речі, інформація про притулок.",
        "Visits of the social patrol where the person stays: a check of their condition, a "
        "hot drink, warm clothes, information about the shelter.",
    ),
    outcome=T(
        "Особу включають до маршруту соціального патруля.",
        "The person is put on the social patrol's route.",
    ),
    refusals=(NO_CAPACITY, NO_CONSENT),
    keywords=("патруль", "patrol", "outreach"),
)

REHABILITATION_REFERRAL = card(
    title=T("Направлення на реінтеграцію", "Referral for reintegration"),
    summary=T(
        "Направлення до центру реінтеграції, соціального готелю, інтернатного закладу чи на "
        "лікування.",
        "A referral to a reintegration centre, a social hotel, a residential institution "
        "or to treatment.",
    ),
    outcome=T(
        "Направлення до закладу з погодженою датою прийому.",
        "A referral to an institution with an agreed admission date.",
    ),
    term_days=10,
    term_kind="working",
    refusals=(NO_CAPACITY, NO_CONSENT),
    keywords=("реінтеграція", "інтернат", "reintegration", "referral"),
)
