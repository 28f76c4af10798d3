"""Screening: one applicant profile and one set of answers against every enabled service."""

from __future__ import annotations

import msgspec

from core import clock
from core.platform import Platform
from core.schemas import ScreeningIn, ScreeningOut, ScreeningResult
from core.service import PriorRequest, Service
from core.workflow.eligibility import evaluate
from core.workflow.forms import partial_answers
from core.workflow.requests import prior_requests


def _complete(service: Service, form: object) -> bool:
    """Whether every required field of the form is answered."""
    return all(
        getattr(form, f.name) is not msgspec.UNSET
        for f in msgspec.structs.fields(service.form)
        if f.required
    )


async def screen(
    platform: Platform, municipality_id: int, body: ScreeningIn, *, history: bool = False
) -> ScreeningOut:
    """``history``: run the rules that read earlier requests (staff of the municipality
    only); otherwise they are reported ``not_checked`` and no earlier request is looked up,
    so the answer depends only on what the caller typed."""
    on = body.on or clock.today()
    municipality = await platform.municipality(id=municipality_id)
    results: list[ScreeningResult] = []
    plugins = await platform.enabled_plugins(municipality_id)
    for service in await platform.services(municipality_id):
        form, invalid = partial_answers(service.form, body.answers)
        params = await platform.parameters(municipality_id, service)
        prior: tuple[PriorRequest, ...] = ()
        if history and service.subject_key is not None and _complete(service, form):
            prior = await prior_requests(municipality_id, service, service.subject_key(form), None)
        result = evaluate(
            platform.host,
            service,
            applicant=body.applicant,
            form=form,
            on=on,
            params=params,
            municipality=municipality,
            prior=prior,
            plugins=plugins,
            history=history,
        )
        results.append(
            ScreeningResult(
                service=service.code,
                title=service.card.title,
                verdict=result.verdict,
                findings=list(result.findings),
                missing=list(result.missing),
                invalid=invalid,
            )
        )
    return ScreeningOut(on=on, results=results)
