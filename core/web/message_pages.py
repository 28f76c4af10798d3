"""The admin's pages for the wording of messages: every kind with its state, and one
kind's wording to edit, preview, save or restore, with its history
(:mod:`core.notify.templates`)."""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.api.access import roles
from core.clock import KYIV
from core.errors import DomainError
from core.notify import templates
from core.notify.templates import FIELDS, Wording
from core.web.layout import page, page_lang, signed_in
from core.web.message_texts import message_texts
from core.web.texts import texts

ADMIN = roles("admin")
BASE = "/desk/admin/messages"


def _t(lang: str) -> dict[str, str]:
    return {**texts(lang), **message_texts(lang)}


def _when(value: Any) -> str:
    return value.astimezone(KYIV).strftime("%d.%m.%Y %H:%M")


@get(BASE, opt=ADMIN, include_in_schema=False)
async def message_list(request: HTMXRequest) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    t = _t(lang)
    rows = []
    for kind in templates.kinds():
        versions = await templates.history(actor.municipality_id, kind.event, limit=1)
        rows.append(
            {
                "title": kind.title.get(lang),
                "event": kind.event,
                "href": f"{BASE}/{kind.event}",
                "state": t["msg_changed"].format(at=_when(versions[0].set_at))
                if versions
                else t["msg_default"],
            }
        )
    return await page(
        request,
        "desk/admin_messages.html",
        title=t["messages_admin"],
        context={"t": t, "rows": rows},
    )


async def _edit(
    request: HTMXRequest,
    event: str,
    *,
    wording: Wording | None = None,
    shown: Wording | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    t = _t(lang)
    kind = templates.kind_of(event)
    current = wording or await templates.in_force(actor.municipality_id, event)
    versions = await templates.history(actor.municipality_id, event)
    return await page(
        request,
        "desk/admin_message.html",
        title=f"{t['messages_admin']}: {kind.title.get(lang)}",
        context={
            "t": t,
            "action": f"{BASE}/{event}",
            "back": BASE,
            "fields": [(f, t[f], getattr(current, f)) for f in FIELDS],
            "variables": sorted(kind.variables.items()),
            "preview": [(t[f], getattr(shown, f)) for f in FIELDS] if shown else [],
            "errors": errors or {},
            "saved": request.query_params.get("saved") == "1",
            "history": [
                {"at": _when(v.set_at), "by": v.set_by, "subject": v.wording.subject_uk}
                for v in versions
            ],
        },
        status_code=status_code,
    )


@get(f"{BASE}/{{event:str}}", opt=ADMIN, include_in_schema=False)
async def message_edit(request: HTMXRequest, event: FromPath[str]) -> Template:
    return await _edit(request, event[:64])


@post(f"{BASE}/{{event:str}}", opt=ADMIN, include_in_schema=False, status_code=200)
async def message_save(request: HTMXRequest, event: FromPath[str]) -> Response[Any] | Template:
    """``action``: ``preview`` renders with the sample values, ``save`` keeps a new
    version, ``default`` keeps the default wording as a new version."""
    actor = signed_in(request)
    event = event[:64]
    kind = templates.kind_of(event)
    form = await request.form()
    action = form.get("action", "preview")
    if action == "default":
        wording = kind.default
    else:
        wording = Wording(**{f: str(form.get(f, "")).replace("\r\n", "\n") for f in FIELDS})
    try:
        shown = templates.preview(event, wording)
        if action in ("save", "default"):
            await templates.save(actor, event, wording)
            return Redirect(f"{BASE}/{event}?saved=1", status_code=303)
    except DomainError as exc:
        uk, _, en = exc.message.partition(" / ")
        words = (en or uk) if page_lang(request) == "en" else uk
        return await _edit(
            request, event, wording=wording, errors={exc.field or "body_uk": words}, status_code=400
        )
    return await _edit(request, event, wording=wording, shown=shown)


HANDLERS = [message_list, message_edit, message_save]
