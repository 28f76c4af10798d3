"""Rules tested as a table, without a database: a service's rules run on a form the test
builds, as the core runs them on submission.

    from core.testkit.rules import MUNICIPALITY, check, example

    form = example(SERVICE, ON, deceased_settlement="Луцьк")
    finding = check(SERVICE, form, ON)["funeral_aid.deceased_resident"]
    assert finding.outcome == "failed"
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import msgspec

from core.parameters import Parameters
from core.plugins import PluginHost
from core.service import Applicant, Finding, Municipality, PriorRequest, Service, Text
from core.workflow.eligibility import evaluate

#: The municipality rules see unless a test gives its own.
MUNICIPALITY = Municipality(
    id=1,
    slug="kovel",
    name=Text("Ковельська громада", "Kovel hromada"),
    settlements=("Ковель", "Дубове", "Колодяжне"),
)


def example(service: Service, on: date, seed: int = 1, **changes: Any) -> Any:
    """The plugin's own example form for ``on`` (``Service.example_form``), with fields
    changed by name; a change is converted as the API converts a form (ISO dates)."""
    assert service.example_form is not None, f"{service.code} has no example_form"
    form = service.example_form(random.Random(seed), Applicant(settlement="Ковель"), on)
    data = {**msgspec.to_builtins(form), **changes}
    return msgspec.convert(data, type(form), strict=False)


def check(
    service: Service,
    form: Any,
    on: date,
    *,
    applicant: Applicant | None = None,
    params: Parameters | None = None,
    municipality: Municipality = MUNICIPALITY,
    prior: tuple[PriorRequest, ...] = (),
) -> dict[str, Finding]:
    """Every finding of the service's rules (its plugin's ``extra_checks`` too), by rule
    id; ``params`` default to the service's dated defaults."""
    plugin = service.code.split(".", 1)[0]
    result = evaluate(
        PluginHost([plugin]),
        service,
        applicant=applicant or Applicant(settlement="Ковель"),
        form=form,
        on=on,
        params=params or Parameters(service.parameters),
        municipality=municipality,
        prior=prior,
    )
    return {f.rule: f for f in result.findings}
