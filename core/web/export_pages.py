"""Exports from the desk as jobs: the report pages' and the payment register's XLSX and
CSV buttons start an ``exports.build`` job (:mod:`core.exports`) and lead to a page that
shows its progress (the job fragment htmx polls, :mod:`core.web.job_pages`) and, when it
is done, the download link. Starting the same export again while it runs shows the same
job.

A file is downloaded only by a user of its municipality with the access its kind
requires (a report: admin, auditor, accountant; the register: the same, and each download
of a register is audited as a read of the payees' data), before it expires.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.actor import Actor
from core.api.access import roles
from core.api.deps import PathId
from core.config import Settings
from core.errors import Invalid, NotFound
from core.exports import (
    READERS,
    ExportArgs,
    ExportFormat,
    RegisterExport,
    ReportExport,
    export_key,
)
from core.exports import store as export_store
from core.exports.jobs import EXPORT
from core.jobs import queue
from core.web.export_texts import export_texts
from core.web.job_pages import TEXTS as JOB_TEXTS
from core.web.job_pages import job_view, visible_job
from core.web.layout import page, page_lang, signed_in
from core.web.report_pages import grouping, read_filters
from core.web.report_tables import NAMES
from core.web.report_texts import report_texts
from core.workflow import audit
from core.workflow.market.units import period_bounds

EXPORTERS = roles(*sorted(set(READERS["report"]) | set(READERS["register"])))
FORMATS: dict[str, ExportFormat] = {"xlsx": "xlsx", "csv": "csv"}
FILTER_FIELDS = ("start", "end", "by", "service", "office", "channel", "settlement", "provider")
BAD_FORMAT = "формат файлу має бути XLSX або CSV / the file format must be XLSX or CSV"
BAD_PERIOD = "період звіту вказано неправильно / the period of the report is not valid"
NOT_EXPORT = "такої підготовки файлу немає / no such export"


async def _form(request: HTMXRequest) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


def _format(posted: dict[str, str]) -> ExportFormat:
    chosen = FORMATS.get(posted.get("format", ""))
    if chosen is None:
        raise Invalid(BAD_FORMAT, "format")
    return chosen


async def _start(request: HTMXRequest, actor: Actor, args: ExportArgs) -> Response[Any]:
    """Queue the export (or find the same one running) and go to its page."""
    job_id, _ = await queue.enqueue(
        request.app.state.platform,
        EXPORT,
        args,
        key=export_key(actor.municipality_id, actor.id, args),
        municipality_id=actor.municipality_id,
        user_id=actor.id,
    )
    return Redirect(f"/desk/exports/{job_id}", status_code=303)


@post("/desk/reports/{name:str}/export", opt=roles(*READERS["report"]), include_in_schema=False)
async def export_report(request: HTMXRequest, name: FromPath[str]) -> Response[Any]:
    """The report's tables as a file, by a job; the fields are the page's filters."""
    if name not in NAMES:
        raise NotFoundException()
    actor = signed_in(request)
    lang = page_lang(request)
    posted = await _form(request)
    chosen = _format(posted)
    filters, errors = read_filters(posted, lang)
    if errors:
        raise Invalid(BAD_PERIOD, next(iter(errors)))
    filters.check()
    what = ReportExport(name=name, by=grouping(name, posted.get("by", "")), filters=filters)
    return await _start(
        request,
        actor,
        ExportArgs(what=what, format=chosen, lang=lang),
    )


@post("/desk/accounts/register/export", opt=roles(*READERS["register"]), include_in_schema=False)
async def export_register(request: HTMXRequest) -> Response[Any]:
    """A month's payment register as a file, by a job."""
    actor = signed_in(request)
    lang = page_lang(request)
    posted = await _form(request)
    chosen = _format(posted)
    period = posted.get("period", "")
    period_bounds(period)
    what = RegisterExport(period=period)
    return await _start(
        request,
        actor,
        ExportArgs(what=what, format=chosen, lang=lang),
    )


def _back(args: ExportArgs) -> str:
    """The page the export was started from."""
    what = args.what
    if isinstance(what, RegisterExport):
        return "/desk/accounts/reports"
    fields = {
        "start": what.filters.start.isoformat(),
        "end": what.filters.end.isoformat(),
        "by": what.by,
        "service": what.filters.service_code or "",
        "office": str(what.filters.office_id or ""),
        "channel": what.filters.channel or "",
        "settlement": what.filters.settlement or "",
        "provider": str(what.filters.provider_id or ""),
    }
    return f"/desk/reports/{what.name}?" + urlencode({k: v for k, v in fields.items() if v})


def _describe(args: ExportArgs, lang: str) -> str:
    e = export_texts(lang)
    what = args.what
    if isinstance(what, RegisterExport):
        return e["register_file"].format(period=what.period, format=args.format.upper())
    return e["report_file"].format(
        title=report_texts(lang).get(f"report_{what.name}", what.name),
        start=what.filters.start.isoformat(),
        end=what.filters.end.isoformat(),
        format=args.format.upper(),
    )


@get("/desk/exports/{job_id:int}", opt=EXPORTERS, include_in_schema=False)
async def export_page(request: HTMXRequest, job_id: PathId) -> Template:
    """The export's progress and, once done, its download link."""
    actor = signed_in(request)
    lang = page_lang(request)
    job = await visible_job(actor, job_id)
    if job.name != EXPORT:
        raise NotFound(NOT_EXPORT, "job_id")
    args = msgspec.convert(job.args, ExportArgs)
    back = _back(args)
    settings: Settings = request.app.state.platform.settings
    e = export_texts(lang)
    return await page(
        request,
        "desk/export.html",
        title=e["preparing"],
        context={
            "e": e,
            "about": e["about"].format(days=settings.export_keep_days),
            "what": _describe(args, lang),
            "back": back,
            "job": job_view(request, job, back),
            "jt": JOB_TEXTS[lang],
        },
    )


@get("/desk/exports/files/{export_id:int}", opt=EXPORTERS, include_in_schema=False)
async def export_file(request: HTMXRequest, export_id: PathId) -> Response[bytes]:
    """The file, to a user of its municipality who may read what it holds."""
    actor = signed_in(request)
    found = await export_store.readable(actor, export_id)
    if found.kind == "register":
        await audit.read(
            actor,
            "register.read",
            "register",
            None,
            {
                "route": f"GET {request.url.path}",
                "export_id": found.id,
                "citizen_ids": found.citizen_ids,
            },
        )
    return Response(
        await export_store.content(found.id),
        media_type=found.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{found.filename}"',
            "Cache-Control": "private, no-store",
        },
    )


HANDLERS = [export_report, export_register, export_page, export_file]
