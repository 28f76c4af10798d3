"""How the subsidy application form is shown: each field's label, help and choices.

Paths are dotted: ``members.incomes.amount`` is a field of each income row of each member.
"""

from __future__ import annotations

from core.sdk import FieldLabel, label

_GOOD_REASON = (
    "Поважна причина відсутності доходу в працездатної особи.",
    "A good reason for an able-bodied adult to have no income.",
)
_EXEMPT = {
    "": ("Немає: купівля враховується", "None: the purchase counts"),
    "medical": ("Лікування", "Medical treatment"),
    "education": ("Навчання", "Education"),
    "utilities": ("Житлово-комунальні послуги в межах норм", "Utilities within the norms"),
    "replacement_dwelling": (
        "Нове житло замість проданого",
        "A new dwelling after selling another",
    ),
    "solar_on_credit": (
        "Сонячна або вітрова електроустановка в кредит",
        "Solar or wind generation bought on credit",
    ),
}

MEMBERS: dict[str, FieldLabel] = {
    "members": label(
        "Члени домогосподарства",
        "Household members",
        help=(
            "Усі особи, зареєстровані (задекларовані) в житлі, разом із заявником.",
            "Everyone registered at the dwelling, the applicant included.",
        ),
    ),
    "members.name": label("Прізвище, ім'я, по батькові", "Full name"),
    "members.birth_date": label("Дата народження", "Date of birth"),
    "members.citizen_id": label(
        "Номер картки громадянина",
        "Citizen record number",
        help=(
            "Якщо особа вже є в системі; можна не заповнювати.",
            "If the person is already in the system; may be left empty.",
        ),
    ),
    "members.category": label(
        "Категорія для прожиткового мінімуму",
        "Subsistence-minimum category",
        help=(
            "Якщо не вибрано, визначається за віком і працездатністю.",
            "When not chosen, derived from the age and the ability to work.",
        ),
        choices={
            "child_lt6": ("Дитина віком до 6 років", "Child under 6"),
            "child_6_18": ("Дитина віком від 6 до 18 років", "Child aged 6 to 18"),
            "able_bodied": ("Працездатна особа", "Able-bodied person"),
            "lost_ability": ("Особа, яка втратила працездатність", "Person unable to work"),
        },
    ),
    "members.able_bodied": label(
        "Працездатна особа",
        "Able to work",
        help=(
            "Якщо не зазначено: повнолітня особа, яка не є пенсіонером.",
            "When not given: an adult who is not a pensioner.",
        ),
    ),
    "members.student": label("Навчається (учень, студент)", "Student"),
    "members.pensioner": label("Пенсіонер", "Pensioner"),
    "members.working": label("Працює", "Working"),
    "members.contributions_paid": label(
        "Сплачено єдиний соціальний внесок (ЄСВ)",
        "Social contribution (ЄСВ) paid",
        help=(
            "ЄСВ за особу сплачено в періоді, за який враховують доходи.",
            "The single social contribution was paid for the person in the income period.",
        ),
    ),
    "members.social_pension": label("Отримує соціальну пенсію", "Receives a social pension"),
    "members.registered_unemployed": label(
        "Перебуває на обліку в центрі зайнятості як безробітна особа",
        "Registered as unemployed",
        help=_GOOD_REASON,
    ),
    "members.ill": label("Хворіє", "Ill", help=_GOOD_REASON),
    "members.caring_for_child": label(
        "Доглядає за дитиною", "Caring for a child", help=_GOOD_REASON
    ),
    "members.abroad_days": label(
        "Днів перебування за кордоном",
        "Days abroad",
        help=(
            "За період, за який враховують доходи; перебування повнолітньої особи за "
            "кордоном понад установлену межу — підстава для відмови.",
            "In the income period; an adult abroad longer than the set limit is a ground "
            "for refusal.",
        ),
    ),
    "members.incomes": label(
        "Доходи",
        "Incomes",
        help=(
            "Окремий рядок на кожен вид доходу за кожен квартал.",
            "One row per kind of income and quarter.",
        ),
    ),
    "members.incomes.kind": label(
        "Вид доходу",
        "Kind of income",
        choices={
            "salary": ("Заробітна плата", "Salary"),
            "pension": ("Пенсія", "Pension"),
            "entrepreneur": ("Дохід від підприємницької діяльності", "Business income"),
            "social_benefit": ("Соціальна допомога", "Social benefit"),
            "scholarship": ("Стипендія", "Scholarship"),
            "alimony": ("Аліменти", "Alimony"),
            "other": ("Інший дохід", "Other income"),
            "idp_allowance": (
                "Допомога на проживання ВПО (не враховується)",
                "IDP living allowance (not counted)",
            ),
            "prykhystok": (
                "Компенсація за програмою «Прихисток» (не враховується)",
                "'Prykhystok' compensation (not counted)",
            ),
        },
    ),
    "members.incomes.year": label("Рік", "Year"),
    "members.incomes.quarter": label("Квартал", "Quarter", help=("Від 1 до 4.", "From 1 to 4.")),
    "members.incomes.amount": label(
        "Сума доходу за квартал, грн",
        "Income for the quarter, UAH",
        help=(
            "Уся сума за три місяці кварталу.",
            "The whole amount for the quarter's three months.",
        ),
    ),
}

DWELLING: dict[str, FieldLabel] = {
    "dwelling": label("Житло", "Dwelling"),
    "dwelling.kind": label(
        "Тип житла",
        "Kind of dwelling",
        choices={
            "flat": ("Квартира", "Flat"),
            "house": ("Приватний будинок", "House"),
        },
    ),
    "dwelling.total_area": label(
        "Загальна площа, м²",
        "Total area, m²",
        help=("У квадратних метрах, до двох знаків після коми.", "In m², up to two decimals."),
    ),
    "dwelling.heated_area": label(
        "Опалювана площа, м²",
        "Heated area, m²",
        help=(
            "Якщо не зазначено, береться загальна площа.",
            "When not given, the total area is used.",
        ),
    ),
    "dwelling.tenure": label(
        "Підстава проживання",
        "Tenure",
        choices={
            "owner": ("Власник", "Owner"),
            "tenant": ("Наймач за договором найму", "Tenant under a lease"),
        },
    ),
    "dwelling.lease_end": label(
        "Дата закінчення договору найму",
        "Lease end date",
        help=(
            "Лише для наймачів: субсидію призначають не довше ніж до кінця місяця, в якому "
            "закінчується договір.",
            "Tenants only: the subsidy runs at most to the end of the month the lease ends.",
        ),
    ),
}

UTILITIES: dict[str, FieldLabel] = {
    "utilities": label(
        "Житлово-комунальні послуги",
        "Utilities",
        help=(
            "Окремий рядок на кожну послугу, за яку платить домогосподарство.",
            "One row per service the household pays for.",
        ),
    ),
    "utilities.kind": label(
        "Послуга",
        "Service",
        choices={
            "heating": ("Постачання теплової енергії (опалення)", "Heating"),
            "gas": ("Постачання природного газу", "Gas"),
            "electricity": ("Постачання електричної енергії", "Electricity"),
            "water": ("Водопостачання та водовідведення", "Water supply and sewerage"),
            "housing_maintenance": (
                "Управління багатоквартирним будинком (утримання будинку)",
                "Building management (housing maintenance)",
            ),
        },
    ),
    "utilities.provider_id": label(
        "Надавач послуги",
        "Service provider",
        help=(
            "Номер надавача житлово-комунальних послуг у системі, якому перераховують субсидію.",
            "The utility provider's number in the system; the subsidy is paid to it.",
        ),
    ),
    "utilities.monthly_charge": label(
        "Нарахування за місяць, грн",
        "Monthly charge, UAH",
        help=(
            "Плата за послугу за місяць за чинними тарифами, без урахування пільг.",
            "The month's charge for the service at current tariffs, without benefits.",
        ),
    ),
    "utilities.metered": label(
        "Облік за лічильником",
        "Metered",
        help=(
            "Якщо так, нарахування зіставляють із нормою за обсягом споживання; без "
            "лічильника нарахування вже нормативне.",
            "If so, the charge is compared with the norm by the volume consumed; an "
            "unmetered charge is already normative.",
        ),
    ),
    "utilities.monthly_volume": label(
        "Обсяг споживання за місяць",
        "Monthly consumption",
        help=(
            "За лічильником: м³ газу чи води, кВт·год електроенергії.",
            "By the meter: m³ of gas or water, kWh of electricity.",
        ),
    ),
    "utilities.heating_type": label(
        "Вид опалення",
        "Heating type",
        help=(
            "Для газу й електроенергії: чи опалюється житло індивідуально цим джерелом.",
            "For gas and electricity: whether the dwelling is heated individually by it.",
        ),
        choices={
            "central": ("Централізоване", "Central"),
            "individual_gas": ("Індивідуальне газове", "Individual gas"),
            "individual_electric": ("Індивідуальне електричне", "Individual electric"),
        },
    ),
    "utilities.cooking": label(
        "Використання газу для приготування їжі та підігріву води",
        "Gas for cooking and hot water",
        help=(
            "Для газопостачання: від цього залежить норма споживання газу.",
            "For gas: the gas norm depends on it.",
        ),
        choices={
            "none": ("Газова плита відсутня", "No gas stove"),
            "stove": (
                "Газова плита за наявності централізованого гарячого водопостачання",
                "Gas stove, central hot water",
            ),
            "stove_no_hot_water": (
                "Газова плита без гарячого водопостачання",
                "Gas stove, no hot water supply",
            ),
            "stove_water_heater": (
                "Газова плита і газовий водонагрівач",
                "Gas stove and gas water heater",
            ),
        },
    ),
}

DECLARATION: dict[str, FieldLabel] = {
    "purchases": label(
        "Купівлі за останні 12 місяців",
        "Purchases over the last 12 months",
        help=(
            "Разові купівлі товарів, земельних ділянок, житла, транспортних засобів, робіт "
            "і послуг членами домогосподарства.",
            "One-off purchases of goods, land, dwellings, vehicles, works and services by "
            "household members.",
        ),
    ),
    "purchases.on": label("Дата купівлі", "Date of purchase"),
    "purchases.amount": label("Сума купівлі, грн", "Amount, UAH"),
    "purchases.exempt": label(
        "Підстава не враховувати купівлю",
        "Ground for not counting the purchase",
        help=(
            "Сонячна чи вітрова електроустановка в кредит не враховується лише в межах "
            "установленої суми.",
            "Solar or wind generation on credit is not counted only up to its own limit.",
        ),
        choices=_EXEMPT,
    ),
    "currency_purchases": label(
        "Купівля іноземної валюти за останні 12 місяців",
        "Foreign currency bought over the last 12 months",
    ),
    "currency_purchases.on": label("Дата купівлі", "Date of purchase"),
    "currency_purchases.amount": label(
        "Сума в гривнях, грн",
        "Amount in hryvnias, UAH",
        help=("Гривневий еквівалент купленої валюти.", "What the currency cost in UAH."),
    ),
    "currency_purchases.exempt": label(
        "Підстава не враховувати купівлю",
        "Ground for not counting the purchase",
        help=(
            "Для купівлі валюти не застосовується: враховується вся сума.",
            "Not applied to currency: the whole amount counts.",
        ),
        choices=_EXEMPT,
    ),
    "deposits_total": label(
        "Вклади в банках, грн",
        "Bank deposits, UAH",
        help=(
            "Загальна сума вкладів усіх членів домогосподарства на перше число місяця "
            "призначення субсидії.",
            "All members' deposits on the first day of the month of assignment.",
        ),
    ),
    "vehicles": label(
        "Транспортні засоби",
        "Vehicles",
        help=("Усі транспортні засоби членів домогосподарства.", "All members' vehicles."),
    ),
    "vehicles.kind": label(
        "Вид транспортного засобу",
        "Kind of vehicle",
        help=("Мопеди та причепи не враховуються.", "Mopeds and trailers are not counted."),
        choices={
            "car": ("Легковий автомобіль", "Car"),
            "truck": ("Вантажний автомобіль", "Truck"),
            "bus": ("Автобус", "Bus"),
            "motorcycle": ("Мотоцикл", "Motorcycle"),
            "moped": ("Мопед", "Moped"),
            "trailer": ("Причіп", "Trailer"),
        },
    ),
    "vehicles.year_made": label("Рік випуску", "Year made"),
    "other_dwellings": label(
        "Інше житло у власності",
        "Other dwellings owned",
        help=(
            "Квартири й будинки членів домогосподарства, крім житла, на яке просять субсидію.",
            "Flats and houses the members own besides the dwelling the subsidy is for.",
        ),
    ),
    "other_dwellings.rural": label(
        "У сільській місцевості",
        "In a rural area",
        help=(
            "Таке житло не є підставою для відмови.",
            "Such a dwelling is no ground for refusal.",
        ),
    ),
    "other_dwellings.inherited": label(
        "Успадковане",
        "Inherited",
        help=(
            "Таке житло не є підставою для відмови.",
            "Such a dwelling is no ground for refusal.",
        ),
    ),
    "other_dwellings.shared_ownership": label(
        "У спільній власності",
        "In shared ownership",
        help=(
            "Таке житло не є підставою для відмови.",
            "Such a dwelling is no ground for refusal.",
        ),
    ),
    "utility_debts": label(
        "Заборгованість за житлово-комунальні послуги",
        "Utility debts",
    ),
    "utility_debts.months_overdue": label(
        "Тривалість заборгованості, місяців",
        "Months overdue",
    ),
    "utility_debts.amount": label("Сума заборгованості, грн", "Amount owed, UAH"),
    "utility_debts.restructured": label(
        "Заборгованість реструктуризовано",
        "Restructured",
        help=(
            "Укладено договір про реструктуризацію; тоді борг не є підставою для відмови.",
            "A restructuring agreement was signed; the debt is then no ground for refusal.",
        ),
    ),
    "utility_debts.disputed_in_court": label(
        "Заборгованість оскаржується в суді",
        "Disputed in court",
        help=(
            "Тоді борг не є підставою для відмови.",
            "The debt is then no ground for refusal.",
        ),
    ),
    "household_id": label(
        "Збережене домогосподарство",
        "Stored household",
        help=(
            "Номер домогосподарства, збереженого в модулі субсидій, якого стосується заява; "
            "можна не заповнювати.",
            "The number of the household stored by the subsidies module this application is "
            "about; may be left empty.",
        ),
    ),
    "overpaid_unreturned": label(
        "Неповернена переплата субсидії, грн",
        "Unreturned subsidy overpayment, UAH",
        help=(
            "За даними Пенсійного фонду України; будь-яка сума понад нуль — підстава для відмови.",
            "From the Pension Fund's data; any amount above zero is a ground for refusal.",
        ),
    ),
    "payment_channel": label(
        "Спосіб виплати",
        "How the subsidy is paid",
        choices={
            "non_cash": (
                "У безготівковій формі надавачам послуг",
                "Non-cash, to the utility providers",
            ),
            "cash": (
                "У грошовій формі на рахунок отримувача",
                "In cash, to the recipient's account",
            ),
        },
    ),
    "iban": label(
        "Рахунок IBAN отримувача",
        "Recipient's IBAN",
        help=(
            "Обов'язковий для виплати в грошовій формі: український IBAN (UA і 27 цифр), "
            "пробіли допускаються.",
            "Required for cash payment: a Ukrainian IBAN (UA and 27 digits), spaces allowed.",
        ),
    ),
}

FORM: dict[str, FieldLabel] = {**MEMBERS, **DWELLING, **UTILITIES, **DECLARATION}
