"""Small helpers the controllers share: the platform, the actor, language, municipality."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Request
from litestar.exceptions import NotAuthorizedException
from litestar.params import PathParameter, QueryParameter

from core.actor import Actor
from core.db.paging import CURSOR_MAX
from core.platform import Platform
from core.service import Municipality

Lang = Literal["uk", "en"]

_MAX_ID = 2_147_483_647
#: A row id in a path or a query: checked at the edge so the database never sees garbage.
PathId = Annotated[int, PathParameter(ge=1, le=_MAX_ID)]
QueryId = Annotated[int | None, QueryParameter(ge=1, le=_MAX_ID)]
#: A list's cursor: the ``next_after`` of the page before (docs/api.md, "Pagination").
After = Annotated[
    str | None,
    QueryParameter(
        min_length=1,
        max_length=CURSOR_MAX,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The previous page's next_after: the page after it (instead of page).",
    ),
]


def platform_of(request: Request[Any, Any, Any]) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


def actor_of(request: Request[Any, Any, Any]) -> Actor:
    user = request.scope.get("user")
    if user is None:
        raise NotAuthorizedException("потрібен вхід / login required")
    actor: Actor = user
    return actor


def lang_of(request: Request[Any, Any, Any], lang: str | None) -> Lang:
    """``?lang=`` wins; then the first of uk/en in Accept-Language; Ukrainian by default."""
    if lang in ("uk", "en"):
        return lang  # type: ignore[return-value]
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in ("uk", "en"):
            return code  # type: ignore[return-value]
    return "uk"


async def municipality_of(request: Request[Any, Any, Any], slug: str | None) -> Municipality:
    """``?municipality=<slug>``; else the logged-in user's; else the deployment's first."""
    platform = platform_of(request)
    user = request.scope.get("user")
    if slug:
        return await platform.municipality(slug)
    if user is not None:
        return await platform.municipality(id=user.municipality_id)
    return await platform.municipality()
