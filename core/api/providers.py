"""Providers: registered by staff, verified by an admin; a provider user sees its own."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, patch, post
from litestar.params import Parameter

from core.api.access import roles
from core.api.deps import actor_of
from core.schemas import Page, ProviderIn, ProviderOut, ProviderPatch, VerifyIn
from core.workflow import providers

READ = roles("admin", "caseworker", "accountant", "auditor", "provider")


class ProviderController(Controller):
    path = "/api/providers"
    tags = ["providers"]

    @post("/", opt=roles("admin", "caseworker"))
    async def register_provider(self, request: Request[Any, Any, Any], data: ProviderIn) -> ProviderOut:
        return await providers.create(actor_of(request), data)

    @get("/", opt=READ)
    async def list_providers(
        self,
        request: Request[Any, Any, Any],
        verified: bool | None = None,
        page: int = Parameter(default=1, ge=1),
        page_size: int = Parameter(default=50, ge=1, le=500),
    ) -> Page[ProviderOut]:
        return await providers.listing(actor_of(request), verified=verified, page=page,
                                       page_size=page_size)

    @get("/{provider_id:int}", opt=READ)
    async def read_provider(self, request: Request[Any, Any, Any], provider_id: int) -> ProviderOut:
        return await providers.read(actor_of(request), provider_id)

    @patch("/{provider_id:int}", opt=roles("admin", "provider"))
    async def update_provider(
        self, request: Request[Any, Any, Any], provider_id: int, data: ProviderPatch
    ) -> ProviderOut:
        return await providers.update(actor_of(request), provider_id, data)

    @post("/{provider_id:int}/verify", opt=roles("admin"), status_code=200)
    async def verify_provider(
        self, request: Request[Any, Any, Any], provider_id: int, data: VerifyIn
    ) -> ProviderOut:
        return await providers.verify(actor_of(request), provider_id, data)
