"""Screening: one applicant profile and one set of answers against every enabled service."""

from __future__ import annotations

from typing import Any

import msgspec

from core import clock
from core.platform import Platform
from core.schemas import ScreeningIn, ScreeningOut, ScreeningResult
from core.service import PriorRequest, Service
from core.workflow.eligibility import evaluate
from core.workflow.forms import partial_answers
from core.workflow.requests import prior_requests


def _complete(service: Service, form: object) -> Any | None:
    """The form with the defaults filled in, once every required field is answered (else
    ``None``): what ``subject_key`` reads, as at submission."""
    answered = {
        f.name: getattr(form, f.name)
        for f in msgspec.structs.fields(service.form)
        if getattr(form, f.name) is not msgspec.UNSET
    }
    try:
        return msgspec.convert(msgspec.to_builtins(answered), service.form)
    except msgspec.ValidationError:
        return None


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
    overrides = await platform.overrides(municipality_id)  # once, for every service
    for service in await platform.services(municipality_id):
        form, invalid = partial_answers(service.form, body.answers)
        params = await platform.parameters(municipality_id, service, overrides=overrides)
        prior: tuple[PriorRequest, ...] = ()
        full = _complete(service, form) if history and service.subject_key else None
        if full is not None and service.subject_key is not None:
            prior = await prior_requests(municipality_id, service, service.subject_key(full), None)
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
