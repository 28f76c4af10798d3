"""Requests: submit (one window), list, read with history, decide, withdraw."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery, JSONBody, QueryParameter

from core.api.access import roles
from core.api.deps import After, PathId, QueryId, actor_of, platform_of
from core.api.reads import personal_data
from core.schemas import (
    CommentIn,
    DecisionIn,
    Page,
    RequestDetail,
    RequestIn,
    RequestOut,
    RequestStatus,
)
from core.workflow import requests

SUBMIT = roles("admin", "intake", "caseworker", "citizen")
READ = roles("admin", "intake", "caseworker", "accountant", "auditor", "citizen")


class RequestController(Controller):
    path = "/api/requests"
    tags = ["requests"]

    @post("/", opt=SUBMIT, summary="Submit an application (validated, screened, journaled)")
    async def submit_request(
        self, request: Request[Any, Any, Any], data: JSONBody[RequestIn]
    ) -> RequestDetail:
        return await requests.submit(platform_of(request), actor_of(request), data)

    @get("/", opt=READ | personal_data("request", action="request.list"))
    async def list_requests(
        self,
        request: Request[Any, Any, Any],
        status: FromQuery[RequestStatus | None] = None,
        service: FromQuery[str | None] = None,
        overdue: FromQuery[bool | None] = None,
        office_id: QueryId = None,
        citizen_id: QueryId = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        after: After = None,
    ) -> Page[RequestOut]:
        return await requests.listing(
            actor_of(request),
            status=status,
            service=service,
            overdue=overdue,
            office_id=office_id,
            citizen_id=citizen_id,
            page=page,
            page_size=page_size,
            after=after,
        )

    @get("/{request_id:int}", opt=READ | personal_data("request"))
    async def read_request(
        self, request: Request[Any, Any, Any], request_id: PathId
    ) -> RequestDetail:
        return await requests.read(platform_of(request), actor_of(request), request_id)

    @post("/{request_id:int}/decision", opt=roles("admin", "caseworker"), status_code=200)
    async def decide_request(
        self, request: Request[Any, Any, Any], request_id: PathId, data: JSONBody[DecisionIn]
    ) -> RequestDetail:
        return await requests.decide(platform_of(request), actor_of(request), request_id, data)

    @post(
        "/{request_id:int}/withdraw",
        opt=roles("admin", "intake", "caseworker", "citizen"),
        status_code=200,
    )
    async def withdraw_request(
        self, request: Request[Any, Any, Any], request_id: PathId, data: JSONBody[CommentIn]
    ) -> RequestDetail:
        return await requests.withdraw(platform_of(request), actor_of(request), request_id, data)
