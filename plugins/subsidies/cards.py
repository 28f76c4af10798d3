"""The information card of the housing and utility subsidy."""

from __future__ import annotations

from core.service import InfoCard, RefusalGround, RequiredDocument, Text

T = Text


def _ground(code: str, uk: str, en: str) -> RefusalGround:
    return RefusalGround(code, T(uk, en))


REFUSALS = (
    _ground(
        "no_subsidy",
        "Обов'язкова плата покриває вартість послуг у межах норм",
        "The mandatory payment covers the cost within the norms",
    ),
    _ground(
        "purchase",
        "Купівля понад граничну суму за 12 місяців",
        "A purchase over the limit within 12 months",
    ),
    _ground("currency", "Купівля валюти понад граничну суму", "Currency bought over the limit"),
    _ground("deposits", "Вклади понад граничну суму", "Deposits over the limit"),
    _ground("vehicles", "Транспортні засоби, що позбавляють права", "Disqualifying vehicles"),
    _ground("second_dwelling", "Інше житло, що позбавляє права", "Another disqualifying dwelling"),
    _ground("utility_debt", "Прострочений борг за ЖКП", "Overdue utility debt"),
    _ground(
        "abroad",
        "Перебування повнолітнього за кордоном понад 60 днів",
        "An adult abroad over 60 days",
    ),
    _ground(
        "no_income",
        "Працездатна особа без доходів і без поважних причин",
        "An able-bodied adult without income or a good reason",
    ),
    _ground("no_lease", "Наймач без чинного договору найму", "A tenant without a lease in force"),
    _ground(
        "overpaid",
        "Не повернуто надміру виплачену субсидію",
        "An overpaid subsidy was not returned",
    ),
    _ground(
        "area_cap",
        "Загальна площа житла понад граничну (місцева програма)",
        "The floor area is over the cap (local programme)",
    ),
    _ground("false_data", "Недостовірні відомості в декларації", "False data in the declaration"),
)

CARD = InfoCard(
    title=T("Житлова субсидія", "Housing and utility subsidy"),
    summary=T(
        "Розрахунок і призначення субсидії на оплату житлово-комунальних послуг: частку "
        "вартості послуг у межах соціальних норм понад обов'язкову плату домогосподарства "
        "сплачують надавачам послуг. Громада проводить попередню перевірку, консультацію і "
        "місцеву програму доплати; субсидії державної програми призначає ПФУ.",
        "Calculation and assignment of the subsidy for housing and utility services: the "
        "part of the cost within the social norms above the household's mandatory payment "
        "is paid to the utility providers. The hromada pre-screens, advises and runs a "
        "local top-up programme; the state subsidy itself is assigned by the Pension Fund.",
    ),
    who_may_apply=T(
        "Власник або наймач житла, зареєстрований (задекларований) у ньому, від імені "
        "домогосподарства.",
        "The owner or tenant of the dwelling registered in it, on behalf of the household.",
    ),
    documents=(
        RequiredDocument(
            name=T("Заява про призначення субсидії", "Application for a subsidy"), form="original"
        ),
        RequiredDocument(
            name=T("Декларація про доходи і майно", "Declaration of incomes and property"),
            form="original",
        ),
        RequiredDocument(
            name=T("Договір найму (для наймачів)", "Lease contract (tenants)"),
            form="copy",
        ),
        RequiredDocument(
            name=T(
                "Довідка про доходи, не враховані в реєстрах",
                "Certificate of incomes not held in state registers",
            ),
            form="original_or_copy",
            note=T(
                "лише якщо таких відомостей немає в державних реєстрах",
                "only when state registers do not hold them",
            ),
        ),
    ),
    term_days=10,
    term_kind="working",
    fee=None,
    refusal_grounds=REFUSALS,
    appeal=T(
        "Рішення можна оскаржити керівникові органу соціального захисту або до "
        "адміністративного суду.",
        "The decision may be appealed to the head of the social protection body or to an "
        "administrative court.",
    ),
    legal_basis=(
        T(
            "Постанова КМУ від 21.10.1995 № 848 (Положення про порядок призначення субсидій)",
            "CMU Resolution No. 848 of 21.10.1995 (Regulation on assigning subsidies)",
        ),
        T(
            "Постанова КМУ від 06.08.2014 № 409 (соціальні нормативи)",
            "CMU Resolution No. 409 of 06.08.2014 (social norms)",
        ),
        T(
            "Постанова КМУ від 27.07.1998 № 1156 (обов'язкова частка плати)",
            "CMU Resolution No. 1156 of 27.07.1998 (mandatory share)",
        ),
        T(
            "Програма місцевої доплати громади (рішення ради)",
            "The hromada's local top-up programme (council decision)",
        ),
    ),
    outcome=T(
        "Рішення про призначення субсидії на період (опалювальний або неопалювальний "
        "сезон) з розрахунком і щомісячними сумами за кожною послугою.",
        "A decision assigning the subsidy for a period (heating or non-heating season) with "
        "the calculation and monthly amounts for each utility.",
    ),
    submission_methods=(
        T("Особисто в ЦНАП", "In person at a service centre"),
        T("Онлайн (Дія, портал ПФУ)", "Online (Diia, the PFU portal)"),
        T("Поштою", "By post"),
    ),
    keywords=("субсидія", "комуналка", "опалення", "subsidy", "utilities", "heating"),
)
