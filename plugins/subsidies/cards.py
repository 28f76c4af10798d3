"""The information card of the housing and utility subsidy, from ``card.toml`` beside
this module (Ukrainian and English side by side)."""

from __future__ import annotations

from pathlib import Path

from core.sdk import load_card

CARD = load_card(Path(__file__).with_name("card.toml"))
