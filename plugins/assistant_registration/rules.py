"""Eligibility rules of the assistant registration (Civil Code art. 78, DOMAIN §6).

Rules are pure functions of the context. This module holds the rules about the person
and the application; :mod:`plugins.assistant_registration.assistant_rules` those about
the chosen assistant and the pair.
"""

from __future__ import annotations

from core.sdk import Finding, RuleContext, Text, rule
from plugins.assistant_registration.assistant_rules import (
    assistant_adult,
    assistant_capable,
    assistant_consent,
    assistant_not_person,
    one_registration_per_pair,
    persons_per_assistant,
)

P = "assistant_registration"
APPLICANT_IS_PERSON = f"{P}.applicant_is_person"
PERSON_CAPABLE = f"{P}.person_capable"
PERSON_RESIDENT = f"{P}.person_resident"
HEALTH_REASON = f"{P}.health_reason"
DOCUMENTS = f"{P}.documents"


@rule(
    APPLICANT_IS_PERSON,
    needs=("person_citizen_id",),
    title=Text("Заяву подає сама особа", "The person applies themself"),
)
def applicant_is_person(ctx: RuleContext) -> Finding:
    if ctx.applicant.citizen_id == ctx.form.person_citizen_id:
        return ctx.passed(
            APPLICANT_IS_PERSON,
            "Заяву подала сама особа, яка обирає помічника.",
            "The person choosing the assistant applied themself.",
        )
    return ctx.failed(
        APPLICANT_IS_PERSON,
        "Помічника призначають лише за заявою самої особи (ст. 78 ЦК України): заявник "
        "не є особою, для якої обирають помічника.",
        "An assistant is appointed only at the person's own request (Civil Code art. 78): "
        "the applicant is not the person the assistant is chosen for.",
    )


@rule(
    PERSON_CAPABLE,
    needs=("person_under_guardianship",),
    title=Text("Особа дієздатна", "The person is capable"),
)
def person_capable(ctx: RuleContext) -> Finding:
    if not ctx.form.person_under_guardianship:
        return ctx.passed(
            PERSON_CAPABLE,
            "Особа дієздатна: опіку чи піклування над нею не встановлено.",
            "The person is capable: no guardianship or custody is established.",
        )
    return ctx.failed(
        PERSON_CAPABLE,
        "Над особою встановлено опіку або піклування: помічника реєструють лише для "
        "дієздатної особи.",
        "The person is under guardianship or custody: an assistant is registered only "
        "for a capable person.",
    )


@rule(PERSON_RESIDENT, title=Text("Особа проживає в громаді", "The person lives in the hromada"))
def person_resident(ctx: RuleContext) -> Finding:
    place = (ctx.applicant.settlement or "").strip()
    name = ctx.municipality.name
    if not place:
        return ctx.unknown(
            PERSON_RESIDENT,
            "Невідомо, де проживає особа: уточніть населений пункт у картці громадянина.",
            "Where the person lives is unknown: fill in the settlement on the citizen's record.",
        )
    if place.casefold() in {s.casefold() for s in ctx.municipality.settlements}:
        return ctx.passed(
            PERSON_RESIDENT,
            f"Особа проживає в населеному пункті {place} ({name.uk}).",
            f"The person lives in {place} ({name.en}).",
        )
    return ctx.failed(
        PERSON_RESIDENT,
        f"Населений пункт «{place}» не належить до громади {name.uk}: помічника реєструє "
        "орган опіки та піклування за місцем проживання особи.",
        f"'{place}' is not in {name.en}: the guardianship body of the person's place of "
        "residence registers the assistant.",
    )


@rule(
    HEALTH_REASON,
    needs=("health_reason",),
    title=Text("Причина за станом здоров'я", "Health reason"),
)
def health_reason(ctx: RuleContext) -> Finding:
    reason = ctx.form.health_reason.strip()
    if len(reason) >= 3:
        return ctx.passed(
            HEALTH_REASON,
            f"Причина за станом здоров'я: {reason}.",
            f"Health reason: {reason}.",
        )
    return ctx.failed(
        HEALTH_REASON,
        "Не зазначено, чому за станом здоров'я особа не може самостійно здійснювати свої права.",
        "The health reason why the person cannot exercise their rights alone is missing.",
    )


@rule(
    DOCUMENTS,
    needs=("documents_acknowledged",),
    title=Text("Документи", "Documents"),
)
def documents(ctx: RuleContext) -> Finding:
    if ctx.form.documents_acknowledged:
        return ctx.passed(
            DOCUMENTS,
            "Заявник ознайомився з переліком документів.",
            "The applicant has read the list of documents.",
        )
    return ctx.failed(
        DOCUMENTS,
        "Заявник не підтвердив подання документів за переліком з інформаційної картки.",
        "The applicant did not confirm bringing the documents listed on the card.",
    )


RULES = (
    applicant_is_person,
    person_capable,
    person_resident,
    health_reason,
    assistant_adult,
    assistant_capable,
    assistant_not_person,
    assistant_consent,
    one_registration_per_pair,
    persons_per_assistant,
    documents,
)
