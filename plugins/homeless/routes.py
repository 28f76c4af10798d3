"""HTTP routes of the register, mounted by the host at ``/api/ext/homeless/``."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery, JSONBody, QueryParameter

from core.sdk import Page, PathId, QueryId, actor_of, personal_data, platform_of, roles
from plugins.homeless import register
from plugins.homeless.schemas import (
    CertificateOut,
    EntryOut,
    EntrySummary,
    RegisterIn,
    RemoveIn,
    Status,
)

WRITE = roles("admin", "intake", "caseworker")
READ = roles("admin", "intake", "caseworker", "auditor")
REMOVE = roles("admin", "caseworker")
CERTIFY = roles("admin", "intake", "caseworker")
#: The audit subject of the register's reads (the host audits them, core.api.reads).
SUBJECT = "homeless_person"


class RegisterController(Controller):
    path = "/register"
    tags = ["homeless"]

    @post("/", opt=WRITE, summary="Take a person on the register of homeless persons")
    async def register_person(
        self, request: Request[Any, Any, Any], data: JSONBody[RegisterIn]
    ) -> EntryOut:
        return await register.register(actor_of(request), data)

    @get(
        "/",
        opt=READ | personal_data(SUBJECT, action="homeless.search"),
        summary="List the register; search by certificate number",
    )
    async def list_register(
        self,
        request: Request[Any, Any, Any],
        certificate: Annotated[str | None, QueryParameter(max_length=32)] = None,
        status: FromQuery[Status | None] = None,
        citizen_id: QueryId = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
    ) -> Page[EntrySummary]:
        return await register.search(
            actor_of(request),
            certificate=certificate,
            status=status,
            citizen_id=citizen_id,
            page=page,
            page_size=page_size,
        )

    @get(
        "/{entry_id:int}",
        opt=READ | personal_data(SUBJECT, action="homeless.read"),
        summary="Read an entry (audited)",
    )
    async def read_entry(self, request: Request[Any, Any, Any], entry_id: PathId) -> EntryOut:
        return await register.read(actor_of(request), entry_id)

    @post("/{entry_id:int}/remove", opt=REMOVE, status_code=200, summary="Remove from the register")
    async def remove_entry(
        self, request: Request[Any, Any, Any], entry_id: PathId, data: JSONBody[RemoveIn]
    ) -> EntryOut:
        return await register.remove(actor_of(request), entry_id, data)

    @get(
        "/{entry_id:int}/certificate",
        opt=CERTIFY | personal_data(SUBJECT, action="homeless.certificate"),
        summary="Certificate of being on record",
    )
    async def entry_certificate(
        self, request: Request[Any, Any, Any], entry_id: PathId
    ) -> CertificateOut:
        return await register.certificate(platform_of(request), actor_of(request), entry_id)


ROUTES = [RegisterController]
