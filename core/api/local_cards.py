"""A municipality's local cards: its admin reads and sets the local parts of a service's
information card (contacts, extra documents, the term where the law allows it, the fee,
the council's decision), each save a new version (:mod:`core.workflow.local_cards`)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, put
from litestar.params import FromPath, JSONBody

from core.api.access import roles
from core.api.deps import actor_of, platform_of
from core.api.reads import not_personal
from core.local_card import LocalPart
from core.workflow import local_cards
from core.workflow.local_cards import LocalCardOut

ADMIN = roles("admin")


class LocalCardController(Controller):
    path = "/api/local-cards"
    tags = ["administration"]

    @get(
        "/{code:str}",
        opt=ADMIN | not_personal(),
        summary="A service's local card here: the part in force and its versions",
    )
    async def read_local_card(
        self, request: Request[Any, Any, Any], code: FromPath[str]
    ) -> LocalCardOut:
        return await local_cards.view(platform_of(request), actor_of(request), code[:128])

    @put("/{code:str}", opt=ADMIN, summary="Set the local parts of a service's card")
    async def set_local_card(
        self, request: Request[Any, Any, Any], code: FromPath[str], data: JSONBody[LocalPart]
    ) -> LocalCardOut:
        """A new version: empty parts keep the plugin's card (an empty body restores it);
        ``fee`` ``"0"`` makes the service free here; ``term_days`` only where the card's
        ``local_term`` allows it."""
        return await local_cards.save(platform_of(request), actor_of(request), code[:128], data)
