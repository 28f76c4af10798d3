"""Eligibility: run a service's rules (and the plugins' extra checks) over a context.

Rules whose form fields (``needs``) are not answered yield an ``unknown`` finding instead
of being called, and a rule that reaches an answer or a household fact nobody has given
(``RuleContext.answer``, ``ctx.household.need``) stops there with the same finding, so the
same rules serve both the full application and a partial screening, and ``missing`` names
exactly what the paths taken lack.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any, Literal

import msgspec

from core.parameters import ParameterMissing, Parameters, UsedParameter
from core.plugins import PluginHost
from core.service import (
    AnswerMissing,
    Applicant,
    Finding,
    Municipality,
    PriorRequest,
    Rule,
    RuleContext,
    Service,
    Text,
)
from core.validators import Checked

log = logging.getLogger("hromada.eligibility")

Verdict = Literal["eligible", "not_eligible", "needs_data"]


class Evaluation(msgspec.Struct, frozen=True, kw_only=True):
    service: str
    verdict: Verdict
    findings: tuple[Finding, ...]
    parameters: tuple[UsedParameter, ...]
    missing: tuple[str, ...] = ()


_partial_forms: dict[type[msgspec.Struct], type[msgspec.Struct]] = {}


def partial_form(form: type[msgspec.Struct]) -> type[msgspec.Struct]:
    """The same form with every field optional (``UNSET`` when not answered)."""
    if form not in _partial_forms:
        hints = msgspec.structs.fields(form)
        _partial_forms[form] = msgspec.defstruct(
            f"{form.__name__}Partial",
            [(f.name, f.type | msgspec.UnsetType, msgspec.UNSET) for f in hints],
            forbid_unknown_fields=False,
            kw_only=True,
            # Checks the answered dates and amounts (core.validators.Checked).
            bases=(Checked,),
        )
    return _partial_forms[form]


def verdict_of(findings: tuple[Finding, ...]) -> Verdict:
    """``not_checked`` findings count for nothing: the verdict is that of what was checked."""
    if any(f.outcome == "failed" for f in findings):
        return "not_eligible"
    if any(f.outcome == "unknown" for f in findings):
        return "needs_data"
    return "eligible"


def _lacking(r: Rule, absent: list[str]) -> Finding:
    return Finding(
        r.id,
        "unknown",
        Text(
            f"{r.title.uk}: бракує даних ({', '.join(absent)})",
            f"{r.title.en}: missing data ({', '.join(absent)})",
        ),
    )


def evaluate(
    host: PluginHost,
    service: Service,
    *,
    applicant: Applicant,
    form: Any,
    on: date,
    params: Parameters,
    municipality: Municipality,
    prior: tuple[PriorRequest, ...] = (),
    plugins: list[str] | None = None,
    history: bool = True,
) -> Evaluation:
    """Run the service's rules, then the ``extra_checks`` of ``plugins`` (those enabled in
    the municipality; all enabled in the deployment when ``None``).

    ``history=False`` (public screening) does not call the rules that read history
    (``Rule.reads_history``): they answer ``not_checked``, which does not change the
    verdict, and ``prior`` should be empty."""
    ctx = RuleContext(
        applicant=applicant,
        form=form,
        on=on,
        params=params,
        municipality=municipality,
        prior=prior,
    )
    findings: list[Finding] = []
    missing: list[str] = []
    for r in service.rules:
        absent = [f for f in r.needs if getattr(form, f, msgspec.UNSET) is msgspec.UNSET]
        if absent:
            missing.extend(a for a in absent if a not in missing)
            findings.append(_lacking(r, absent))
            continue
        if r.reads_history and not history:
            findings.append(
                Finding(
                    r.id,
                    "not_checked",
                    Text(
                        f"{r.title.uk}: не перевірено — це звіряють із поданими раніше "
                        "заявами лише працівник і подання заяви",
                        f"{r.title.en}: not checked — it is compared with earlier requests "
                        "only by staff and on submission",
                    ),
                )
            )
            continue
        try:
            findings.append(r.check(ctx))
        except AnswerMissing as exc:
            if exc.field not in missing:
                missing.append(exc.field)
            findings.append(_lacking(r, [exc.field]))
        except ParameterMissing as exc:
            findings.append(
                Finding(r.id, "unknown", Text(f"{r.title.uk}: {exc}", f"{r.title.en}: {exc}"))
            )
        except Exception:  # a broken rule or parameter must not take the service down
            log.exception("rule %s failed", r.id)
            findings.append(
                Finding(
                    r.id,
                    "unknown",
                    Text(
                        f"{r.title.uk}: правило не вдалося перевірити, "
                        "зверніться до адміністратора",
                        f"{r.title.en}: the rule could not be checked; tell the administrator",
                    ),
                )
            )
    findings.extend(host.extra_checks(service, ctx, plugins))
    result = tuple(findings)
    return Evaluation(
        service=service.code,
        verdict=verdict_of(result),
        findings=result,
        parameters=tuple(params.used.values()),
        missing=tuple(missing),
    )
