"""Offices, households, documents and user accounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery, JSONBody

from core.api.access import public, roles
from core.api.deps import PathId, actor_of, municipality_of, platform_of
from core.api.reads import PersonalResponse, not_personal, personal_data
from core.workflow import accounts, documents, households, offices
from core.workflow.accounts import UserIn, UserOut, UserPatch
from core.workflow.documents import DocumentOut
from core.workflow.households import HouseholdIn, HouseholdOut
from core.workflow.offices import OfficeIn, OfficeOut

STAFF_WRITE = roles("admin", "intake", "caseworker")
READ = roles("admin", "intake", "caseworker", "accountant", "auditor", "citizen")


@dataclass
class DocumentUpload:
    file: UploadFile
    kind: str = ""


class RegistryController(Controller):
    path = "/api"

    @get("/offices", opt=public() | not_personal(), tags=["catalogue"], summary="Where to apply")
    async def list_offices(
        self, request: Request[Any, Any, Any], municipality: FromQuery[str | None] = None
    ) -> list[OfficeOut]:
        muni = await municipality_of(request, municipality)
        user = request.scope.get("user")
        staff = user is not None and user.is_staff and user.municipality_id == muni.id
        return await offices.listing(muni.id, public_only=not staff)

    @post("/offices", opt=roles("admin"), tags=["administration"])
    async def create_office(
        self, request: Request[Any, Any, Any], data: JSONBody[OfficeIn]
    ) -> OfficeOut:
        return await offices.create(platform_of(request), actor_of(request), data)

    @post("/households", opt=STAFF_WRITE, tags=["citizens"])
    async def create_household(
        self, request: Request[Any, Any, Any], data: JSONBody[HouseholdIn]
    ) -> HouseholdOut:
        return await households.create(actor_of(request), data)

    @get(
        "/households/{household_id:int}",
        opt=roles("admin", "intake", "caseworker", "auditor", "citizen")
        | personal_data("household", citizens="members.id"),
        tags=["citizens"],
    )
    async def read_household(
        self, request: Request[Any, Any, Any], household_id: PathId
    ) -> HouseholdOut:
        return await households.read(actor_of(request), household_id)

    @post(
        "/requests/{request_id:int}/documents",
        opt=roles("admin", "intake", "caseworker", "citizen"),
        tags=["requests"],
        summary="Attach a PDF, JPEG or PNG to a request",
    )
    async def attach_document(
        self,
        request: Request[Any, Any, Any],
        request_id: PathId,
        data: Annotated[DocumentUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> DocumentOut:
        content = await data.file.read()
        return await documents.attach(
            actor_of(request), request_id, data.file.filename, data.kind[:64], content
        )

    @get(
        "/requests/{request_id:int}/documents",
        opt=READ | personal_data("request", action="document.list"),
        tags=["requests"],
    )
    async def list_documents(
        self, request: Request[Any, Any, Any], request_id: PathId
    ) -> list[DocumentOut]:
        return await documents.listing(actor_of(request), request_id)

    @get(
        "/documents/{document_id:int}",
        produces=("application/pdf", "image/jpeg", "image/png"),
        opt=READ | personal_data("document"),
        tags=["requests"],
        summary="Download a document (audited)",
    )
    async def download_document(
        self, request: Request[Any, Any, Any], document_id: PathId
    ) -> Response[bytes]:
        meta, content = await documents.content(actor_of(request), document_id)
        return PersonalResponse(
            content,
            citizen_ids=[] if meta.citizen_id is None else [meta.citizen_id],
            media_type=meta.content_type,
            headers={
                "Content-Disposition": documents.content_disposition(meta.filename),
                "X-Content-Type-Options": "nosniff",
            },
        )

    @get(
        "/users",
        opt=roles("admin") | personal_data("user", action="user.list"),
        tags=["administration"],
    )
    async def list_users(self, request: Request[Any, Any, Any]) -> list[UserOut]:
        return await accounts.listing(actor_of(request))

    @post("/users", opt=roles("admin"), tags=["administration"])
    async def create_user(self, request: Request[Any, Any, Any], data: JSONBody[UserIn]) -> UserOut:
        return await accounts.create(actor_of(request), data)

    @patch("/users/{user_id:int}", opt=roles("admin"), tags=["administration"])
    async def update_user(
        self, request: Request[Any, Any, Any], user_id: PathId, data: JSONBody[UserPatch]
    ) -> UserOut:
        return await accounts.update(actor_of(request), user_id, data)

    @post(
        "/users/{user_id:int}/unlock",
        opt=roles("admin"),
        tags=["administration"],
        status_code=200,
        summary="Unlock an account locked after failed sign-ins",
    )
    async def unlock_user(self, request: Request[Any, Any, Any], user_id: PathId) -> UserOut:
        return await accounts.unlock(actor_of(request), user_id)
