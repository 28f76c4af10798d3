"""A background job's progress on the page that started it: a small fragment that htmx
polls every second while the job runs (done/total, message, a cancel button), and the
cancel itself. Only the user who started the job, or an admin of its municipality, sees
it."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from litestar import Response, get, post
from litestar.params import QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.actor import Actor
from core.api.access import roles
from core.api.deps import PathId
from core.errors import NotFound
from core.jobs import store
from core.jobs.registry import spec
from core.jobs.store import JobOut
from core.web.layout import page, page_lang, signed_in

ANYONE = roles("admin", "intake", "caseworker", "accountant", "auditor", "provider")
Next = Annotated[str, QueryParameter(name="next", max_length=300)]

TEXTS: dict[str, dict[str, str]] = {
    "uk": {
        "queued": "У черзі",
        "running": "Виконується",
        "done": "Готово",
        "failed": "Не вдалося",
        "cancelled": "Скасовано",
        "cancelling": "скасовується…",
        "progress": "Виконано",
        "of": "з",
        "cancel": "Скасувати",
        "see_result": "Переглянути результат",
        "invoices_made": "Складено рахунків: {n}",
        "lines_paid": "Записано виплат: {n}; записаних раніше: {before}; пропущено: {skipped}",
        "retry_note": "Спроба {n}: попередню перервано, зроблене не повторюється.",
        "download": "Завантажити",
        "kb": "{n} КБ",
    },
    "en": {
        "queued": "Queued",
        "running": "Running",
        "done": "Done",
        "failed": "Failed",
        "cancelled": "Cancelled",
        "cancelling": "cancelling…",
        "progress": "Done",
        "of": "of",
        "cancel": "Cancel",
        "see_result": "See the result",
        "invoices_made": "Invoices drafted: {n}",
        "lines_paid": "Payments recorded: {n}; recorded before: {before}; skipped: {skipped}",
        "retry_note": "Attempt {n}: the previous one was interrupted; what it did is not redone.",
        "download": "Download",
        "kb": "{n} KB",
    },
}


def _safe_next(value: str) -> str:
    """Only a path of the desk (never another site)."""
    return value if value.startswith("/desk/") and "//" not in value else "/desk"


async def visible_job(actor: Actor, job_id: int) -> JobOut:
    job = await store.read(job_id)
    if job.municipality_id != actor.municipality_id or (
        job.created_by != actor.id and actor.role != "admin"
    ):
        raise NotFound(f"задачу {job_id} не знайдено / job not found", "job_id")
    return job


def job_view(request: HTMXRequest, job: JobOut, next_url: str) -> dict[str, Any]:
    lang = page_lang(request)
    t = TEXTS[lang]
    found = spec(request.app.state.platform, job.name)
    title = (found.title.en if lang == "en" else found.title.uk) if found else job.name
    summary = ""
    if job.state == "done" and "invoices" in job.result:
        summary = t["invoices_made"].format(n=job.result["invoices"])
    elif job.state == "done" and {"recorded", "already_recorded", "skipped"} <= set(job.result):
        summary = t["lines_paid"].format(
            n=job.result["recorded"],
            before=job.result["already_recorded"],
            skipped=job.result["skipped"],
        )
    download = None
    if job.state == "done" and isinstance(job.result.get("export_id"), int):
        # An export job's file (core.exports): downloaded from its own route.
        size = int(job.result.get("size", 0))
        download = {
            "url": f"/desk/exports/files/{job.result['export_id']}",
            "name": str(job.result.get("filename", "")),
            "size": t["kb"].format(n=max(1, round(size / 1024))),
        }
    return {
        "id": job.id,
        "title": title,
        "download": download,
        "state": job.state,
        "state_label": t.get(job.state, job.state),
        "active": job.active,
        "cancelling": job.cancel_requested and job.active,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "summary": summary,
        "retry_note": t["retry_note"].format(n=job.attempts) if job.attempts > 1 else "",
        "next": _safe_next(next_url),
        "poll": f"/desk/jobs/{job.id}?next={quote(_safe_next(next_url), safe='')}",
    }


async def _fragment(request: HTMXRequest, job: JobOut, next_url: str) -> Template:
    return await page(
        request,
        "desk/_job.html",
        title=TEXTS[page_lang(request)]["progress"],
        context={"job": job_view(request, job, next_url), "jt": TEXTS[page_lang(request)]},
    )


@get("/desk/jobs/{job_id:int}", opt=ANYONE, include_in_schema=False)
async def job_fragment(request: HTMXRequest, job_id: PathId, next_url: Next = "/desk") -> Template:
    """The job's progress (htmx polls it until the job ends)."""
    return await _fragment(request, await visible_job(signed_in(request), job_id), next_url)


@post("/desk/jobs/{job_id:int}/cancel", opt=ANYONE, include_in_schema=False)
async def job_cancel(
    request: HTMXRequest, job_id: PathId, next_url: Next = "/desk"
) -> Response[Any]:
    await visible_job(signed_in(request), job_id)
    job = await store.cancel(job_id)
    if request.htmx:
        return await _fragment(request, job, next_url)
    return Redirect(_safe_next(next_url), status_code=303)


HANDLERS = [job_fragment, job_cancel]
