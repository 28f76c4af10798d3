"""The single application: screen one profile against every enabled service.

Anyone may screen; only staff of the municipality screen against its history (rules with
``reads_history``), for everyone else those rules are ``not_checked``.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.params import FromQuery, JSONBody

from core.api.access import public
from core.api.deps import municipality_of, platform_of
from core.schemas import STAFF, ScreeningIn, ScreeningOut
from core.workflow.screening import screen


@post(
    "/api/screening",
    opt=public(),
    status_code=200,
    tags=["catalogue"],
    summary="Screen one applicant against every enabled service",
)
async def screening(
    request: Request[Any, Any, Any],
    data: JSONBody[ScreeningIn],
    municipality: FromQuery[str | None] = None,
) -> ScreeningOut:
    muni = await municipality_of(request, municipality)
    user = request.scope.get("user")
    history = user is not None and user.role in STAFF and user.municipality_id == muni.id
    return await screen(platform_of(request), muni.id, data, history=history)
