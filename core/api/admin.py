"""Administration: plugins, the municipality's parameters, the audit log."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromQuery, JSONBody, QueryParameter

from core.api.access import roles
from core.api.deps import QueryId, actor_of, platform_of
from core.db.tables import AuditLog, ParameterValue
from core.errors import Invalid
from core.platform import decode
from core.plugins import PluginSummary, summarize
from core.schemas import Page
from core.workflow import audit

STAFF = roles("admin", "intake", "caseworker", "accountant", "auditor")


class MunicipalityPlugins(msgspec.Struct):
    municipality: str
    enabled_here: list[str]
    plugins: list[PluginSummary]


class ParameterPoint(msgspec.Struct):
    valid_from: date
    value: Any
    source: str  # "default" | "municipality"


class ParameterOut(msgspec.Struct):
    key: str
    service: str
    in_force_today: Any
    series: list[ParameterPoint]


class ParameterIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
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


class AdminController(Controller):
    path = "/api"
    tags = ["administration"]

    @get("/plugins", opt=STAFF, summary="Installed and enabled plugins with versions and services")
    async def list_plugins(self, request: Request[Any, Any, Any]) -> MunicipalityPlugins:
        platform = platform_of(request)
        actor = actor_of(request)
        return MunicipalityPlugins(
            municipality=actor.municipality_slug,
            enabled_here=await platform.enabled_plugins(actor.municipality_id),
            plugins=summarize(platform.host),
        )

    @get("/parameters", opt=STAFF, summary="Dated parameters of the enabled services")
    async def list_parameters(self, request: Request[Any, Any, Any]) -> list[ParameterOut]:
        platform = platform_of(request)
        actor = actor_of(request)
        today = date.today()
        out: list[ParameterOut] = []
        for service in await platform.services(actor.municipality_id):
            params = await platform.parameters(actor.municipality_id, service)
            rows = await ParameterValue.select().where(
                ParameterValue.municipality == actor.municipality_id
            )
            own = {(r["key"], r["valid_from"]) for r in rows}
            for key in params.names():
                series = [
                    ParameterPoint(d, v, "municipality" if (key, d) in own else "default")
                    for d, v in params.series(key)
                ]
                try:
                    current = params.at(key, today)
                except LookupError:
                    current = None
                out.append(ParameterOut(key, service.code, current, series))
        return out

    @post("/parameters", opt=roles("admin"), summary="Set a municipal value of a parameter")
    async def set_parameter(
        self, request: Request[Any, Any, Any], data: JSONBody[ParameterIn]
    ) -> ParameterOut:
        platform = platform_of(request)
        actor = actor_of(request)
        for service in await platform.services(actor.municipality_id):
            if data.key in service.parameters:
                break
        else:
            raise Invalid(f"невідомий параметр / unknown parameter {data.key!r}", "key")
        await ParameterValue.delete().where(
            (ParameterValue.municipality == actor.municipality_id)
            & (ParameterValue.key == data.key)
            & (ParameterValue.valid_from == data.valid_from)
        )
        await ParameterValue(
            municipality=actor.municipality_id,
            key=data.key,
            valid_from=data.valid_from,
            value=msgspec.json.encode(data.value).decode(),
            note=data.note,
            set_by=actor.id,
        ).save()
        await audit.record(
            actor,
            "parameter.set",
            "parameter",
            None,
            {"key": data.key, "valid_from": str(data.valid_from), "value": data.value},
        )
        params = await platform.parameters(actor.municipality_id, service)
        series = [
            ParameterPoint(d, v, "municipality")
            if d == data.valid_from
            else ParameterPoint(d, v, "default")
            for d, v in params.series(data.key)
        ]
        return ParameterOut(data.key, service.code, None, series)

    @get("/audit", opt=roles("admin", "auditor"), summary="The audit log, newest first")
    async def audit_log(
        self,
        request: Request[Any, Any, Any],
        action: FromQuery[str | None] = None,
        subject: FromQuery[str | None] = None,
        subject_id: QueryId = None,
        page: Annotated[int, QueryParameter(ge=1)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
    ) -> Page[AuditOut]:
        actor = actor_of(request)
        where: Any = AuditLog.municipality == actor.municipality_id
        if action:
            where = where & (AuditLog.action == action)
        if subject:
            where = where & (AuditLog.subject == subject)
        if subject_id is not None:
            where = where & (AuditLog.subject_id == subject_id)
        total = await AuditLog.count().where(where)
        rows = (
            await AuditLog.select()
            .where(where)
            .order_by(AuditLog.id, ascending=False)
            .limit(page_size)
            .offset((page - 1) * page_size)
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
            for r in rows
        ]
        return Page(items=items, total=total, page=page, page_size=page_size)
