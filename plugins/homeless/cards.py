"""Information cards of the seven services, from ``cards.toml`` beside this module.

All seven serve persons on the register of homeless persons, rest on the same laws, are
free of charge for the person (the municipality pays the provider under the social
order) and share the appeal route and the main refusal grounds: the file's ``[common]``
table, which each card extends.
"""

from __future__ import annotations

from pathlib import Path

from core.sdk import load_cards

CARDS = load_cards(Path(__file__).with_name("cards.toml"))

NIGHT_STAY = CARDS["night_stay"]
HOT_MEAL = CARDS["hot_meal"]
HYGIENE = CARDS["hygiene"]
DOCUMENTS_HELP = CARDS["documents"]
LEGAL_CONSULTATION = CARDS["legal_consultation"]
PATROL_CONTACT = CARDS["patrol_contact"]
REHABILITATION_REFERRAL = CARDS["rehabilitation_referral"]
