"""The information card of the social taxi registration (соціальне таксі)."""

from __future__ import annotations

from core.service import InfoCard, RefusalGround, RequiredDocument, Text

T = Text

LEGAL_BASIS = (
    T(
        "Закон України «Про соціальні послуги» від 17.01.2019 № 2671-VIII (транспортна "
        "соціальна послуга)",
        "Law of Ukraine on Social Services, No. 2671-VIII of 17.01.2019 (transport social service)",
    ),
    T(
        "Постанова КМУ 2018 року № 189 (як її наводить правова вікі БПД)",
        "CMU Resolution No. 189 of 2018 (as cited by the free legal aid wiki)",
    ),
    T(
        "Рішення Уряду 2021 року про передачу транспортних засобів спеціального призначення "
        "радам і реабілітаційним установам",
        "The Cabinet's 2021 decision handing specialised vehicles to councils and "
        "rehabilitation institutions",
    ),
    T(
        "Порядок надання послуги «Соціальне таксі», затверджений рішенням виконавчого "
        "комітету ради громади",
        "The procedure of the social taxi approved by a decision of the hromada's executive "
        "committee",
    ),
)

CARD = InfoCard(
    title=T(
        "Соціальне таксі (перевезення осіб з інвалідністю)", "Social taxi (disability transport)"
    ),
    summary=T(
        "Безоплатне перевезення спеціальним автомобілем з пандусом або підйомником до "
        "закладів охорони здоров'я, реабілітації, органів соціального захисту, ПФУ, МСЕК, "
        "навчання і культури. Особу реєструють один раз; кожну поїздку замовляють окремо.",
        "Free transport in a vehicle with a ramp or lift to medical and rehabilitation "
        "institutions, social protection offices, the Pension Fund, MSEK, places of study and "
        "culture. A person registers once; each trip is booked separately.",
    ),
    who_may_apply=T(
        "Мешканці громади, які пересуваються на кріслі колісному; діти з інвалідністю; особи "
        "з інвалідністю I–II групи з порушеннями опорно-рухового апарату (за рішенням громади "
        "— також зору чи інтелектуальними порушеннями).",
        "Residents of the hromada who move in a wheelchair; children with disabilities; "
        "persons with a group I–II disability with a musculoskeletal impairment (where the "
        "hromada so decides, also visual or intellectual impairments).",
    ),
    documents=(
        RequiredDocument(name=T("Заява", "Application"), form="original"),
        RequiredDocument(name=T("Паспорт або ID-картка", "Passport or ID card")),
        RequiredDocument(name=T("РНОКПП", "Tax number"), form="copy"),
        RequiredDocument(
            name=T(
                "Довідка МСЕК / ЛКК або посвідчення особи з інвалідністю",
                "MSEK / medical board certificate or disability ID",
            ),
            form="copy",
        ),
        RequiredDocument(
            name=T("Довідка про розмір пенсії", "Certificate of the pension amount"),
            note=T(
                "лише якщо громада обмежує послугу за доходом",
                "only where the hromada applies an income cap",
            ),
        ),
    ),
    term_days=10,
    term_kind="working",
    fee=None,
    refusal_grounds=(
        RefusalGround(
            "not_eligible_category",
            T("Особа не належить до категорій отримувачів", "Not in an eligible category"),
        ),
        RefusalGround("not_resident", T("Особа не проживає в громаді", "Not a resident")),
        RefusalGround(
            "income_above_cap", T("Пенсія перевищує встановлену межу", "Pension above the cap")
        ),
        RefusalGround("family_has_car", T("У сім'ї є автомобіль", "The family has a car")),
        RefusalGround(
            "incomplete_documents",
            T("Подано не всі документи", "Documents are incomplete"),
        ),
    ),
    appeal=T(
        "Рішення можна оскаржити керівнику органу соціального захисту, виконавчому комітету "
        "або до адміністративного суду.",
        "The decision may be appealed to the head of the social protection body, the "
        "executive committee or an administrative court.",
    ),
    legal_basis=LEGAL_BASIS,
    outcome=T(
        "Реєстрація користувача соціального таксі; далі поїздки замовляють окремо (не пізніше "
        "ніж за робочий день), у межах місячного ліміту.",
        "Registration as a social taxi user; trips are then booked one by one (at least a "
        "working day ahead), within the monthly limit.",
    ),
    submission_methods=(
        T("Особисто в ЦНАП", "In person at the service centre"),
        T("Онлайн у кабінеті громадянина", "Online in the citizen's account"),
    ),
    keywords=("соціальне таксі", "інватаксі", "social taxi", "wheelchair", "крісло колісне"),
)
