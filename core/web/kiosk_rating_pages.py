"""Rating a visit at the office's kiosk (:mod:`core.workflow.visit_rating`), public like
the kiosk itself:

- ``GET /queue/{office}/rate`` — the code from the ticket;
- ``POST /queue/{office}/rate`` — the code checked, then the visit's questions (1–5) and a
  comment;
- ``POST /queue/{office}/rate/answer`` — the anonymous answer, once per ticket, then
  ``/queue/{office}/rate/thanks``.

An unknown code, a visit not over yet or already rated is said on the code's page, in the
visitor's language, with the status of the error.
"""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.api.access import public
from core.api.deps import PathId
from core.errors import DomainError
from core.web.forms import humane
from core.web.layout import page, page_lang
from core.web.quality_texts import quality_texts
from core.web.queue_texts import queue_texts
from core.web.texts import texts
from core.workflow import quality, visit_rating
from core.workflow import visit_queue as vq

RATINGS = (1, 2, 3, 4, 5)


def _t(lang: str) -> dict[str, str]:
    """The layout's words (skip link, language switch, sign-out) and the queue's."""
    return {**texts(lang), **queue_texts(lang)}


async def _page(
    request: HTMXRequest,
    office_id: int,
    *,
    code: str = "",
    invitation: quality.Invitation | None = None,
    errors: dict[str, str] | None = None,
    chosen: dict[int, int] | None = None,
    comment: str = "",
    status: int = 200,
) -> Template:
    place = await vq.office(office_id)
    lang = page_lang(request)
    t = _t(lang)
    q = quality_texts(lang)
    asked = [] if invitation is None else await quality.questions(place["municipality"], "visit")
    return await page(
        request,
        "desk/queue_rate.html",
        title=f"{t['rate_title']} · {place['name']}",
        context={
            "t": t,
            "q": q,
            "office": place,
            "code": code,
            "questions": [(x.id, x.text.get(lang)) for x in asked],
            "ratings": [(n, q[f"rating_{n}"]) for n in RATINGS],
            "chosen": chosen or {},
            "comment": comment,
            "errors": errors or {},
        },
        status_code=status,
    )


async def _code(request: HTMXRequest) -> tuple[dict[str, Any], str]:
    posted = dict(await request.form())
    raw = posted.get("code")
    return posted, (raw if isinstance(raw, str) else "")[:20]


async def _refused(request: HTMXRequest, office_id: int, code: str, exc: DomainError) -> Template:
    if exc.field == "office_id":
        raise exc
    message = humane(exc.message, page_lang(request))
    return await _page(
        request, office_id, code=code, errors={"code": message}, status=exc.status_code
    )


@get("/queue/{office_id:int}/rate", opt=public(), include_in_schema=False)
async def rate_page(request: HTMXRequest, office_id: PathId) -> Template:
    return await _page(request, office_id)


@post("/queue/{office_id:int}/rate", opt=public(), include_in_schema=False)
async def rate_code(request: HTMXRequest, office_id: PathId) -> Template:
    """The code checked: the visit's questions."""
    _, code = await _code(request)
    if not code.strip():
        required = queue_texts(page_lang(request))["field_required"]
        return await _page(request, office_id, errors={"code": required}, status=400)
    try:
        invitation = await visit_rating.invitation_of(office_id, code)
    except DomainError as exc:
        return await _refused(request, office_id, code, exc)
    return await _page(request, office_id, code=visit_rating.clean(code), invitation=invitation)


@post("/queue/{office_id:int}/rate/answer", opt=public(), include_in_schema=False)
async def rate_answer(request: HTMXRequest, office_id: PathId) -> Response[Any]:
    posted, code = await _code(request)
    try:
        invitation = await visit_rating.invitation_of(office_id, code)
    except DomainError as exc:
        return await _refused(request, office_id, code, exc)
    q = quality_texts(page_lang(request))
    asked = await quality.questions(invitation.municipality_id, "visit")
    chosen: dict[int, int] = {}
    errors: dict[str, str] = {}
    for x in asked:
        raw = posted.get(f"q{x.id}")
        if isinstance(raw, str) and raw.isdigit() and int(raw) in RATINGS:
            chosen[x.id] = int(raw)
        else:
            errors[f"q{x.id}"] = q["rate_every"]
    raw_comment = posted.get("comment")
    comment = raw_comment[:2000] if isinstance(raw_comment, str) else ""
    if errors:
        return await _page(
            request,
            office_id,
            code=visit_rating.clean(code),
            invitation=invitation,
            errors=errors,
            chosen=chosen,
            comment=comment,
            status=400,
        )
    try:
        await visit_rating.rate(office_id, code, chosen, comment)
    except DomainError as exc:
        return await _refused(request, office_id, code, exc)
    return Redirect(f"/queue/{office_id}/rate/thanks", status_code=303)


@get("/queue/{office_id:int}/rate/thanks", opt=public(), include_in_schema=False)
async def rate_thanks(request: HTMXRequest, office_id: PathId) -> Template:
    place = await vq.office(office_id)
    t = _t(page_lang(request))
    return await page(
        request,
        "desk/queue_rated.html",
        title=t["rate_thanks_title"],
        context={"t": t, "office": place},
    )


HANDLERS = [rate_page, rate_code, rate_answer, rate_thanks]
