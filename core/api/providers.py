"""Providers: registered by staff, verified by an admin; a provider user sees its own."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post
from litestar.params import FromQuery, JSONBody, QueryParameter

from core.api.access import roles
from core.api.deps import After, PathId, actor_of
from core.api.reads import not_personal
from core.schemas import Page, ProviderIn, ProviderOut, ProviderPatch, VerifyIn
from core.workflow import providers

READ = roles("admin", "caseworker", "accountant", "auditor", "provider")


class ProviderController(Controller):
    path = "/api/providers"
    tags = ["providers"]

    @post("/", opt=roles("admin", "caseworker"))
    async def register_provider(
        self, request: Request[Any, Any, Any], data: JSONBody[ProviderIn]
    ) -> ProviderOut:
        return await providers.create(actor_of(request), data)

    @get("/", opt=READ | not_personal())
    async def list_providers(
        self,
        request: Request[Any, Any, Any],
        verified: FromQuery[bool | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        after: After = None,
    ) -> Page[ProviderOut]:
        return await providers.listing(
            actor_of(request), verified=verified, page=page, page_size=page_size, after=after
        )

    @get("/{provider_id:int}", opt=READ | not_personal())
    async def read_provider(
        self, request: Request[Any, Any, Any], provider_id: PathId
    ) -> ProviderOut:
        return await providers.read(actor_of(request), provider_id)

    @patch("/{provider_id:int}", opt=roles("admin", "provider"))
    async def update_provider(
        self,
        request: Request[Any, Any, Any],
        provider_id: PathId,
        data: JSONBody[ProviderPatch],
    ) -> ProviderOut:
        return await providers.update(actor_of(request), provider_id, data)

    @post("/{provider_id:int}/verify", opt=roles("admin"), status_code=200)
    async def verify_provider(
        self, request: Request[Any, Any, Any], provider_id: PathId, data: JSONBody[VerifyIn]
    ) -> ProviderOut:
        return await providers.verify(actor_of(request), provider_id, data)
