"""The single application: screen one profile against every enabled service."""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.params import FromQuery, JSONBody

from core.api.access import public
from core.api.deps import municipality_of, platform_of
from core.schemas import ScreeningIn, ScreeningOut
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
    return await screen(platform_of(request), muni.id, data)
