"""The information card of a loan from the rental point (пункт прокату ТЗР)."""

from __future__ import annotations

from core.service import InfoCard, RefusalGround, RequiredDocument, Text

T = Text

LEGAL_BASIS = (
    T(
        "Наказ Мінсоцполітики від 28.09.2015 № 964 «Про затвердження Типового положення про "
        "пункт прокату технічних та інших засобів реабілітації» (зареєстровано в Мін'юсті "
        "16.10.2015 за № 1262/27707)",
        "MSP order No. 964 of 28.09.2015, Typical Provision on rental points of technical and "
        "other means of rehabilitation (registered 16.10.2015 No. 1262/27707)",
    ),
    T(
        "Постанова КМУ від 05.04.2012 № 321 (п. 27) про забезпечення технічними та іншими "
        "засобами реабілітації",
        "CMU Resolution No. 321 of 05.04.2012 (p. 27) on technical means of rehabilitation",
    ),
    T(
        "Закон України «Про соціальні послуги» від 17.01.2019 № 2671-VIII",
        "Law of Ukraine on Social Services, No. 2671-VIII of 17.01.2019",
    ),
)

DOCUMENTS = (
    RequiredDocument(name=T("Заява", "Application"), form="original"),
    RequiredDocument(
        name=T("Паспорт або ID-картка", "Passport or ID card"), form="original_or_copy"
    ),
    RequiredDocument(
        name=T("РНОКПП (за наявності)", "Tax number (if any)"),
        form="copy",
        note=T(
            "відмова від номера з релігійних переконань не є підставою для відмови",
            "a religious refusal of the number is not a ground for refusal",
        ),
    ),
    RequiredDocument(
        name=T(
            "Висновок лікаря (ЛКК) про тимчасову потребу в засобі реабілітації",
            "Medical conclusion on the temporary need of the device",
        ),
        form="original_or_copy",
        note=T(
            "не потрібен особі з інвалідністю чи особі похилого віку",
            "not needed for a person with disability or an older person",
        ),
    ),
    RequiredDocument(
        name=T("Довідка МСЕК або ІПР (за наявності)", "Disability certificate or IPR (if any)"),
        form="copy",
        note=T(
            "не вимагають, якщо група інвалідності вже є в картці громадянина",
            "not demanded when the disability group is already on the citizen's record",
        ),
    ),
    RequiredDocument(
        name=T(
            "Договір прокату та акт приймання-передачі (складаються під час видачі)",
            "Loan contract and handover act (drawn up at issue)",
        ),
        form="original",
    ),
)

CARD = InfoCard(
    title=T("Прокат засобів реабілітації", "Loan of rehabilitation aids"),
    summary=T(
        "Тимчасове користування крісла колісного, ходунків, милиць, тростини, функціонального "
        "ліжка, крісла-туалету, протипролежневого матраца з пункту прокату громади.",
        "Temporary use of a wheelchair, walker, crutches, cane, functional bed, commode chair "
        "or anti-bedsore mattress from the hromada's rental point.",
    ),
    who_may_apply=T(
        "Мешканці громади з висновком лікаря про тимчасову потребу (зокрема після травми чи "
        "операції, без групи інвалідності), особи з інвалідністю та особи похилого віку. "
        "Першими обслуговують тих, хто чекає засіб від держави.",
        "Residents of the hromada with a medical conclusion on a temporary need (after an "
        "injury or surgery, without a disability group), persons with disability and older "
        "persons. Those waiting for a state-issued device are served first.",
    ),
    documents=DOCUMENTS,
    term_days=5,
    term_kind="working",
    fee=None,
    refusal_grounds=(
        RefusalGround("not_resident", T("Особа не проживає в громаді", "Not a resident")),
        RefusalGround(
            "no_ground",
            T(
                "Немає висновку лікаря, довідки про інвалідність, вік менший за встановлений",
                "No medical conclusion, no disability certificate, below the age set",
            ),
        ),
        RefusalGround(
            "conclusion_used",
            T("Висновок лікаря вже використано", "The medical conclusion was already used"),
        ),
        RefusalGround(
            "term_too_long",
            T("Строк довший за найбільший строк прокату", "The term exceeds the longest loan"),
        ),
    ),
    appeal=T(
        "Рішення можна оскаржити керівникові органу соціального захисту, у виконавчому "
        "комітеті ради або до адміністративного суду.",
        "The decision may be appealed to the head of the social protection body, to the "
        "executive committee, or to an administrative court.",
    ),
    legal_basis=LEGAL_BASIS,
    outcome=T(
        "Видача засобу за актом приймання-передачі на строк до 90 днів (з продовженням до 180 "
        "днів за новим висновком); якщо вільного засобу немає — запис до черги.",
        "The device is handed over under an act for up to 90 days (extendable to 180 days on "
        "a new medical conclusion); when none is free, the person joins the waiting list.",
    ),
    submission_methods=(
        T("Особисто в ЦНАП або в пункті прокату", "In person at a service centre or the point"),
        T("Через представника", "Through a representative"),
        T("Онлайн", "Online"),
    ),
    keywords=("прокат", "ТЗР", "візок", "милиці", "ходунки", "ліжко", "rental", "wheelchair"),
)
