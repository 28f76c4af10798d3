"""The information card of the assistant registration (DOMAIN §6 and §8)."""

from __future__ import annotations

from core.service import InfoCard, RefusalGround, RequiredDocument, Text

T = Text

#: The assistant's powers as the certificate states them: an ASSUMPTION based on the
#: usual wording of art. 78 of the Civil Code (DOMAIN §6, §10 item 6).
POWERS = (
    T(
        "одержувати належні особі пенсію, аліменти, заробітну плату, інші виплати та "
        "поштову кореспонденцію",
        "receive the person's pension, alimony, salary, other payments and mail",
    ),
    T("вчиняти дрібні побутові правочини", "make petty household transactions"),
    T(
        "представляти інтереси особи в органах державної влади, органах місцевого "
        "самоврядування та організаціях у межах наданих повноважень",
        "represent the person before state bodies, local self-government bodies and "
        "organisations within the powers granted",
    ),
)

GROUNDS = (
    RefusalGround(
        "not_own_request",
        T("Заяву подала не сама особа", "The application is not the person's own"),
    ),
    RefusalGround(
        "person_incapable",
        T(
            "Особу визнано недієздатною або над нею встановлено опіку чи піклування",
            "The person is declared incapable or is under guardianship or custody",
        ),
    ),
    RefusalGround(
        "not_resident",
        T("Особа не проживає на території громади", "The person does not live in the hromada"),
    ),
    RefusalGround(
        "no_health_reason",
        T(
            "Не підтверджено, що за станом здоров'я особа не може самостійно здійснювати "
            "свої права",
            "It is not shown that for health reasons the person cannot exercise their rights alone",
        ),
    ),
    RefusalGround(
        "assistant_ineligible",
        T(
            "Обраний помічник неповнолітній або не має повної цивільної дієздатності",
            "The chosen assistant is a minor or lacks full civil capacity",
        ),
    ),
    RefusalGround(
        "no_consent",
        T("Немає письмової згоди помічника", "The assistant's written consent is missing"),
    ),
    RefusalGround(
        "already_registered",
        T(
            "Цього помічника вже зареєстровано для особи",
            "This assistant is already registered for the person",
        ),
    ),
    RefusalGround(
        "assistant_limit",
        T(
            "Помічник уже допомагає найбільшій дозволеній кількості осіб",
            "The assistant already assists the most persons allowed",
        ),
    ),
    RefusalGround(
        "documents",
        T(
            "Подано неповний пакет документів або недостовірні дані",
            "Incomplete documents or untrue data",
        ),
    ),
)

DOCUMENTS = (
    RequiredDocument(name=T("Заява особи", "Application of the person"), form="original"),
    RequiredDocument(
        name=T("Письмова згода помічника", "Written consent of the assistant"), form="original"
    ),
    RequiredDocument(
        name=T("Паспорти особи та помічника", "Passports of the person and the assistant"),
        form="original_or_copy",
    ),
    RequiredDocument(
        name=T("РНОКПП особи та помічника", "Tax numbers of the person and the assistant"),
        form="copy",
        note=T(
            "за наявності; особи, які відмовилися від РНОКПП, мають відмітку в паспорті",
            "if any; people who refused a tax number have a note in the passport",
        ),
    ),
    RequiredDocument(
        name=T(
            "Медичний висновок про стан здоров'я особи",
            "Medical conclusion on the person's health",
        ),
        form="original",
    ),
    RequiredDocument(
        name=T("Довідка про місце проживання особи", "Certificate of the person's residence"),
        form="original_or_copy",
        note=T(
            "орган опіки може отримати відомості сам (ст. 9 Закону № 5203-VI)",
            "the body may obtain it itself (art. 9 of Law No. 5203-VI)",
        ),
    ),
)


def card(term_days: int) -> InfoCard:
    return InfoCard(
        title=T("Реєстрація помічника дієздатної особи", "Registering an assistant"),
        summary=T(
            "Дієздатна особа, яка за станом здоров'я не може самостійно здійснювати свої "
            "права та виконувати обов'язки, обирає собі помічника; орган опіки та "
            "піклування реєструє його і видає посвідчення помічника.",
            "A capable person who for health reasons cannot exercise their rights and "
            "perform duties alone chooses an assistant; the guardianship body registers "
            "them and issues the assistant's certificate.",
        ),
        who_may_apply=T(
            "Сама дієздатна повнолітня особа, яка проживає в громаді, щодо обраного нею "
            "повнолітнього дієздатного помічника, що дав письмову згоду.",
            "The capable adult person living in the hromada, about the adult capable "
            "assistant of their choice who consented in writing.",
        ),
        documents=DOCUMENTS,
        term_days=term_days,
        term_kind="calendar",
        fee=None,
        refusal_grounds=GROUNDS,
        appeal=T(
            "Рішення можна оскаржити голові громади (виконавчому комітетові ради як органу "
            "опіки та піклування) або до адміністративного суду протягом 6 місяців "
            "(ст. 122 КАС України).",
            "The decision may be appealed to the head of the hromada (the executive "
            "committee as the guardianship body) or to an administrative court within "
            "6 months (art. 122 of the Code of Administrative Procedure).",
        ),
        legal_basis=(
            T("Цивільний кодекс України, ст. 78", "Civil Code of Ukraine, art. 78"),
            T(
                "Правила опіки та піклування, затверджені наказом від 26.05.1999 № 34/166/131/88",
                "Rules of guardianship approved by the joint order of 26.05.1999 No. 34/166/131/88",
            ),
            T(
                "Закон України «Про адміністративні послуги» від 06.09.2012 № 5203-VI",
                "Law of Ukraine on Administrative Services, No. 5203-VI of 06.09.2012",
            ),
        ),
        outcome=T(
            "Запис у реєстрі помічників і посвідчення помічника (PDF) або вмотивована відмова.",
            "An entry in the register of assistants and the assistant's certificate (PDF), "
            "or a reasoned refusal.",
        ),
        submission_methods=(
            T("Особисто у ЦНАП або у службі у справах опіки", "In person at a service centre"),
            T("Онлайн через кабінет громадянина", "Online in the citizen's account"),
        ),
        keywords=("помічник", "опіка", "стаття 78", "assistant", "guardianship"),
    )
