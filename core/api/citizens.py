"""Citizens: staff register and search them; a citizen user reads and updates only itself."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post
from litestar.params import FromQuery, JSONBody, QueryParameter

from core.api.access import roles
from core.api.deps import After, PathId, actor_of
from core.api.reads import personal_data
from core.schemas import CitizenIn, CitizenOut, CitizenPatch, Page
from core.workflow import citizens

WRITE = roles("admin", "intake", "caseworker")
READ = roles("admin", "intake", "caseworker", "auditor", "citizen")
SEARCH = roles("admin", "intake", "caseworker", "auditor")


class CitizenController(Controller):
    path = "/api/citizens"
    tags = ["citizens"]

    @post("/", opt=WRITE)
    async def create_citizen(
        self, request: Request[Any, Any, Any], data: JSONBody[CitizenIn]
    ) -> CitizenOut:
        return await citizens.create(actor_of(request), data)

    @get(
        "/",
        opt=SEARCH | personal_data("citizen", action="citizen.search", citizens="id"),
        summary="Search citizens by name, tax number, birth date",
    )
    async def search_citizens(
        self,
        request: Request[Any, Any, Any],
        q: Annotated[str | None, QueryParameter(max_length=200)] = None,
        tax_number: Annotated[str | None, QueryParameter(max_length=10)] = None,
        birth_date: FromQuery[date | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        after: After = None,
    ) -> Page[CitizenOut]:
        return await citizens.search(
            actor_of(request),
            q=q,
            tax_number=tax_number,
            birth_date=birth_date,
            page=page,
            page_size=page_size,
            after=after,
        )

    @get("/{citizen_id:int}", opt=READ | personal_data("citizen", citizens="id"))
    async def read_citizen(self, request: Request[Any, Any, Any], citizen_id: PathId) -> CitizenOut:
        return await citizens.read(actor_of(request), citizen_id)

    @patch("/{citizen_id:int}", opt=roles("admin", "intake", "caseworker", "citizen"))
    async def update_citizen(
        self,
        request: Request[Any, Any, Any],
        citizen_id: PathId,
        data: JSONBody[CitizenPatch],
    ) -> CitizenOut:
        return await citizens.update(actor_of(request), citizen_id, data)
