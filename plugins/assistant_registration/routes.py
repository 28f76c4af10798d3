"""HTTP routes of the register, mounted by the host at ``/api/ext/assistant_registration/``."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.openapi import ResponseSpec
from litestar.params import FromQuery, JSONBody, QueryParameter

from core.sdk import (
    Page,
    PathId,
    PersonalResponse,
    QueryId,
    actor_of,
    personal_data,
    platform_of,
    roles,
)
from plugins.assistant_registration import entries, register
from plugins.assistant_registration.certificate import certificate_pdf
from plugins.assistant_registration.entries import SUBJECT
from plugins.assistant_registration.schemas import EntryOut, EntrySummary, Status, TerminateIn

PLUGIN = "assistant_registration"
WRITE = roles("admin", "intake", "caseworker")
READ = roles("admin", "intake", "caseworker", "auditor", "citizen")
Search = Annotated[str | None, QueryParameter(max_length=128)]


class AssistantRegisterController(Controller):
    path = "/register"
    tags = [PLUGIN]

    @get(
        "/",
        opt=READ | personal_data(SUBJECT, action=f"{PLUGIN}.search", citizens="person_id"),
        summary="List or search the register of assistants (audited)",
    )
    async def list_register(
        self,
        request: Request[Any, Any, Any],
        person: Search = None,
        assistant: Search = None,
        person_id: QueryId = None,
        request_id: QueryId = None,
        number: Annotated[str | None, QueryParameter(max_length=32)] = None,
        status: FromQuery[Status | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
    ) -> Page[EntrySummary]:
        return await entries.search(
            actor_of(request),
            person=person,
            assistant=assistant,
            person_id=person_id,
            request_id=request_id,
            number=number,
            status=status,
            page=page,
            page_size=page_size,
        )

    @get(
        "/{entry_id:int}",
        opt=READ | personal_data(SUBJECT, action=f"{PLUGIN}.read", citizens="person_id"),
        summary="Read an entry (audited)",
    )
    async def read_entry(self, request: Request[Any, Any, Any], entry_id: PathId) -> EntryOut:
        return await entries.read(actor_of(request), entry_id)

    @get(
        "/{entry_id:int}/certificate.pdf",
        produces=("application/pdf",),
        opt=READ | personal_data(SUBJECT, action=f"{PLUGIN}.certificate"),
        summary="The assistant's certificate, PDF in Ukrainian (audited)",
    )
    async def certificate(
        self, request: Request[Any, Any, Any], entry_id: PathId
    ) -> Response[bytes]:
        _, content, person = await certificate_pdf(
            platform_of(request), actor_of(request), entry_id
        )
        return PersonalResponse(
            content,
            citizen_ids=[person],
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="assistant-{entry_id}.pdf"'},
        )

    @post(
        "/{entry_id:int}/terminate",
        opt=WRITE,
        status_code=200,
        summary="Terminate a registration (the entry stays in the history)",
    )
    async def terminate_entry(
        self, request: Request[Any, Any, Any], entry_id: PathId, data: JSONBody[TerminateIn]
    ) -> EntryOut:
        return await register.terminate(actor_of(request), entry_id, data)

    @post(
        "/from-request/{request_id:int}",
        opt=WRITE,
        summary="Make the entry of an approved request (idempotent: 201 made, 200 existed)",
        responses={200: ResponseSpec(EntryOut, description="The entry already existed")},
    )
    async def from_request(
        self, request: Request[Any, Any, Any], request_id: PathId
    ) -> Response[EntryOut]:
        actor = actor_of(request)
        entry_id, created = await register.from_request(actor, actor.municipality_id, request_id)
        entry = await entries.read(actor, entry_id)
        return Response(entry, status_code=201 if created else 200)


ROUTES = [AssistantRegisterController]
