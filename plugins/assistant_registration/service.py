"""The assistant-registration service: card, form, rules and dated parameters.

Free of charge and paid to nobody (``Payee.nobody``). The pair (person, assistant) is
the subject key, so the core passes earlier requests about the same pair to the rules.
"""

from __future__ import annotations

from pathlib import Path

from core.sdk import Payee, Service, load_parameters
from plugins.assistant_registration import cards, forms, labels, rules

PLUGIN = "assistant_registration"
CODE = f"{PLUGIN}.register_assistant"
PARAMETERS = load_parameters(Path(__file__).with_name("parameters.toml"), PLUGIN)


def default_term_days() -> int:
    """The newest default of ``decision_term_days`` (the card shows it)."""
    points = sorted(PARAMETERS[f"{PLUGIN}.decision_term_days"])
    return int(points[-1][1])


SERVICE = Service(
    code=CODE,
    card=cards.card(default_term_days()),
    form=forms.AssistantForm,
    labels=labels.FORM,
    rules=rules.RULES,
    payee=Payee.nobody,
    parameters=PARAMETERS,
    subject_key=forms.subject_key,
    example_form=forms.example_form,
)
