"""Administration: plugins of the municipality, its parameters, the audit log."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.params import FromQuery, JSONBody, QueryParameter

from core.api.access import roles
from core.api.deps import After, QueryId, actor_of, platform_of
from core.api.reads import not_personal, personal_data
from core.db import paging
from core.db.tables import AuditLog
from core.platform import decode
from core.plugins import PluginSummary, summarize
from core.schemas import Page
from core.validators import Checked
from core.workflow import municipality_plugins
from core.workflow import parameters as parameter_flow
from core.workflow.parameters import ParameterOut

STAFF = roles("admin", "intake", "caseworker", "accountant", "auditor")
#: The audit log newest first.
AUDIT_ORDER = paging.Order("audit", (AuditLog.id,), descending=True)


class MunicipalityPlugins(msgspec.Struct):
    municipality: str
    enabled_here: list[str]
    plugins: list[PluginSummary]


class EnabledPluginsIn(msgspec.Struct, forbid_unknown_fields=True):
    plugins: list[Annotated[str, msgspec.Meta(max_length=64)]]


class ParameterIn(Checked, forbid_unknown_fields=True, kw_only=True):
    key: Annotated[str, msgspec.Meta(min_length=3, max_length=128)]
    valid_from: date
    value: Any
    note: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class AuditOut(msgspec.Struct, kw_only=True):
    id: int
    at: Any
    actor_id: int | None
    actor_role: str
    action: str
    subject: str
    subject_id: int | None
    details: dict[str, Any]


async def plugins_view(request: Request[Any, Any, Any]) -> MunicipalityPlugins:
    platform = platform_of(request)
    actor = actor_of(request)
    return MunicipalityPlugins(
        municipality=actor.municipality_slug,
        enabled_here=await platform.enabled_plugins(actor.municipality_id),
        plugins=summarize(platform.host),
    )


class AdministrationController(Controller):
    path = "/api"
    tags = ["administration"]

    @get("/plugins", opt=STAFF | not_personal(), summary="Installed plugins and those enabled here")
    async def list_plugins(self, request: Request[Any, Any, Any]) -> MunicipalityPlugins:
        return await plugins_view(request)

    @put("/plugins/enabled", opt=roles("admin"), summary="Choose the plugins enabled here")
    async def enable_plugins(
        self, request: Request[Any, Any, Any], data: JSONBody[EnabledPluginsIn]
    ) -> MunicipalityPlugins:
        await municipality_plugins.set_enabled(
            platform_of(request), actor_of(request), list(data.plugins)
        )
        return await plugins_view(request)

    @get(
        "/parameters",
        opt=STAFF | not_personal(),
        summary="Dated parameters of the services enabled here",
    )
    async def list_parameters(self, request: Request[Any, Any, Any]) -> list[ParameterOut]:
        return await parameter_flow.listing(platform_of(request), actor_of(request))

    @post("/parameters", opt=roles("admin"), summary="Set the municipality's value from a date")
    async def set_parameter(
        self, request: Request[Any, Any, Any], data: JSONBody[ParameterIn]
    ) -> ParameterOut:
        return await parameter_flow.set_value(
            platform_of(request),
            actor_of(request),
            data.key,
            data.valid_from,
            data.value,
            data.note,
        )

    @get(
        "/audit",
        opt=roles("admin", "auditor")
        | personal_data(
            "audit", action="audit.read", citizens="details.citizen_ids", row_ids="audit_ids"
        ),
        summary="The audit log, newest first",
    )
    async def audit_log(
        self,
        request: Request[Any, Any, Any],
        action: FromQuery[str | None] = None,
        subject: FromQuery[str | None] = None,
        subject_id: QueryId = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
        after: After = None,
    ) -> Page[AuditOut]:
        actor = actor_of(request)
        where: Any = AuditLog.municipality == actor.municipality_id
        if action:
            where = where & (AuditLog.action == action)
        if subject:
            where = where & (AuditLog.subject == subject)
        if subject_id is not None:
            where = where & (AuditLog.subject_id == subject_id)
        found = await paging.read(
            AuditLog, where, AUDIT_ORDER, page=page, page_size=page_size, after=after
        )
        items = [
            AuditOut(
                id=r["id"],
                at=r["at"],
                actor_id=r["actor"],
                actor_role=r["actor_role"],
                action=r["action"],
                subject=r["subject"],
                subject_id=r["subject_id"],
                details=decode(r["details"], {}),
            )
            for r in found.rows
        ]
        return found.page(items, page=page, page_size=page_size)
