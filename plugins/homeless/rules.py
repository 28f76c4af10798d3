"""Eligibility rules of the homeless-support services.

Every service needs the applicant to be on the municipality's register of homeless
persons (the register sets the citizen's category ``homeless``) and to stay in the
hromada. A few services add a rule on their own form.
"""

from __future__ import annotations

from core.sdk import Finding, RuleContext, Text, rule

ON_RECORD = "homeless.on_record"
IN_HROMADA = "homeless.in_hromada"
SHELTER = "homeless.shelter_settlement"
HYGIENE = "homeless.hygiene_choice"
CONSENT = "homeless.consent"


def _in_hromada(ctx: RuleContext, place: str) -> bool:
    known = {s.strip().casefold() for s in ctx.municipality.settlements}
    return place.strip().casefold() in known


@rule(ON_RECORD, title=Text("Особа на обліку бездомних осіб", "Person is on the homeless register"))
def on_record(ctx: RuleContext) -> Finding:
    if "homeless" in ctx.applicant.categories:
        return ctx.passed(
            ON_RECORD,
            "Особу взято на облік бездомних осіб громади.",
            "The person is on the hromada's register of homeless persons.",
        )
    return ctx.failed(
        ON_RECORD,
        "Особу не взято на облік бездомних осіб: спершу зверніться до центру обліку "
        "бездомних осіб громади (ст. 6 Закону № 2623-IV).",
        "The person is not on the register of homeless persons: first apply to the "
        "hromada's accounting centre for homeless persons (art. 6 of Law No. 2623-IV).",
    )


@rule(IN_HROMADA, title=Text("Перебування в громаді", "Staying in the hromada"))
def in_hromada(ctx: RuleContext) -> Finding:
    place = (ctx.applicant.settlement or "").strip()
    name = ctx.municipality.name
    if not place:
        return ctx.unknown(
            IN_HROMADA,
            "Невідомо, в якому населеному пункті перебуває особа: зазначте його в картці "
            "громадянина.",
            "It is not known in which settlement the person stays: enter it in the "
            "citizen's record.",
        )
    if _in_hromada(ctx, place):
        return ctx.passed(
            IN_HROMADA,
            f"Особа перебуває в населеному пункті {place}, {name.uk}.",
            f"The person stays in {place}, {name.en}.",
        )
    return ctx.failed(
        IN_HROMADA,
        f"Населений пункт «{place}» не належить до громади {name.uk}: послуги надають "
        "за місцем перебування особи.",
        f"'{place}' is not in {name.en}: the services are provided where the person stays.",
    )


@rule(
    SHELTER,
    needs=("shelter_settlement",),
    title=Text("Притулок у громаді", "Shelter in the hromada"),
)
def shelter_settlement(ctx: RuleContext) -> Finding:
    place = ctx.form.shelter_settlement.strip()
    if not place:
        return ctx.passed(
            SHELTER,
            "Підійде будь-який будинок нічного перебування громади.",
            "Any night-stay house of the hromada will do.",
        )
    if _in_hromada(ctx, place):
        return ctx.passed(
            SHELTER,
            f"Бажаний притулок — у населеному пункті {place}.",
            f"Preferred shelter in {place}.",
        )
    return ctx.failed(
        SHELTER,
        f"Населений пункт «{place}» не належить до громади {ctx.municipality.name.uk}: "
        "оберіть притулок громади або залиште поле порожнім.",
        f"'{place}' is not in {ctx.municipality.name.en}: choose a shelter of the hromada "
        "or leave the field empty.",
    )


def _hygiene_choices(ctx: RuleContext) -> list[tuple[str, str, bool]]:
    return [("душ", "shower", ctx.form.wants_shower), ("прання", "laundry", ctx.form.wants_laundry)]


@rule(
    HYGIENE,
    needs=("wants_shower", "wants_laundry"),
    title=Text("Обрано гігієнічну послугу", "A hygiene service is chosen"),
)
def hygiene_choice(ctx: RuleContext) -> Finding:
    picks = [(uk, en) for uk, en, on in _hygiene_choices(ctx) if on]
    if picks:
        return ctx.passed(
            HYGIENE,
            "Обрано: " + ", ".join(uk for uk, _ in picks) + ".",
            "Chosen: " + ", ".join(en for _, en in picks) + ".",
        )
    return ctx.failed(
        HYGIENE,
        "Не обрано ні душу, ні прання: позначте хоча б одну послугу.",
        "Neither shower nor laundry is chosen: tick at least one.",
    )


@rule(CONSENT, needs=("consent",), title=Text("Згода особи", "The person's consent"))
def consent(ctx: RuleContext) -> Finding:
    if ctx.form.consent:
        return ctx.passed(
            CONSENT,
            "Особа дала згоду на отримання послуги.",
            "The person consented to the service.",
        )
    return ctx.failed(
        CONSENT,
        "Без згоди особи цю послугу не надають.",
        "This service is not provided without the person's consent.",
    )


#: Rules every service of the plugin applies.
COMMON = (on_record, in_hromada)
