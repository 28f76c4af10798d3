"""The information card of the assistant registration (DOMAIN §6 and §8), from
``card.toml`` beside this module, and the assistant's powers the certificate states."""

from __future__ import annotations

from pathlib import Path

from core.sdk import InfoCard, Text, load_card

T = Text

#: The assistant's powers as the certificate states them: an ASSUMPTION based on the
#: usual wording of art. 78 of the Civil Code (DOMAIN §6, §10 item 6).
POWERS = (
    T(
        "одержувати належні особі пенсію, аліменти, заробітну плату, інші виплати та "
        "поштову кореспонденцію",
        "receive the person's pension, alimony, salary, other payments and mail",
    ),
    T("вчиняти дрібні побутові правочини", "make petty household transactions"),
    T(
        "представляти інтереси особи в органах державної влади, органах місцевого "
        "самоврядування та організаціях у межах наданих повноважень",
        "represent the person before state bodies, local self-government bodies and "
        "organisations within the powers granted",
    ),
)

FILE = Path(__file__).with_name("card.toml")


def card(term_days: int) -> InfoCard:
    """The card with the term the plugin's parameter gives (the file leaves it out)."""
    return load_card(FILE, computed={"term_days": term_days})
