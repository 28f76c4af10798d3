"""The pages' part of notifications: the consent form (the citizen's "My data", the front
office's card) and the messages sent about a request (the back office's request page,
the citizen's request page)."""

from __future__ import annotations

from typing import Any

from litestar import Response, post
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.api.access import roles
from core.api.deps import PathId
from core.clock import KYIV
from core.errors import DomainError, NotFound
from core.notify import consent, deliveries, templates
from core.web.layout import page_lang, signed_in
from core.web.notify_texts import notify_texts
from core.workflow import citizens

FRONT = roles("admin", "intake", "caseworker")
CITIZEN = roles("citizen")


async def consent_panel(
    citizen_id: int,
    lang: str,
    *,
    action: str,
    staff: bool,
    fallback_address: str = "",
    fallback_phone: str = "",
    typed: dict[str, str] | None = None,
    error: dict[str, str] | None = None,
    saved: bool = False,
) -> dict[str, Any]:
    """The context of ``desk/_notify_consent.html``."""
    given = await consent.current(citizen_id)
    channel = given.channel if given else "email"
    email = given.address if given and channel == "email" else fallback_address
    phone = given.address if given and channel == "sms" else fallback_phone
    if typed is not None:
        channel = typed.get("channel", channel)
        email = typed.get("email", email)
        phone = typed.get("phone", phone)
    return {
        "t": notify_texts(lang),
        "consent": given,
        "channel": channel,
        "email": email,
        "phone": phone,
        "action": action,
        "staff": staff,
        "errors": error or {},
        "saved": saved,
    }


def _what(t: dict[str, str], event: str, lang: str) -> str:
    """What a message was: the pages' own words, else the title of its registered kind
    (a plugin's), else the event's name."""
    if f"event_{event}" in t:
        return t[f"event_{event}"]
    try:
        return templates.kind_of(event).title.get(lang)
    except NotFound:
        return event


async def deliveries_panel(
    municipality_id: int, request_id: int, lang: str, *, staff: bool
) -> dict[str, Any]:
    """The context of ``desk/_deliveries.html``."""
    t = notify_texts(lang)
    rows = []
    for d in await deliveries.of_request(municipality_id, request_id):
        state = t.get(f"msg_{d.status}", d.status)
        if d.status in ("pending", "failed") and d.attempts:
            state += f" ({t['msg_attempts'].format(n=d.attempts)})"
        moment = d.sent_at or d.created_at
        rows.append(
            {
                "when": moment.astimezone(KYIV).strftime("%d.%m.%Y %H:%M"),
                "what": _what(t, d.event, lang),
                "to": d.recipient,
                "state": state,
                "error": d.last_error,
            }
        )
    return {"t": t, "rows": rows, "staff": staff}


def _typed(form: Any) -> dict[str, str]:
    def text(name: str) -> str:
        value = form.get(name, "")
        return value[:64] if isinstance(value, str) else ""

    channel = text("notify_channel")
    return {
        "channel": channel if channel in consent.CHANNELS else "email",
        "email": text("notify_email"),
        "phone": text("notify_phone"),
    }


async def _record(request: HTMXRequest, citizen_id: int) -> tuple[dict[str, str], dict[str, str]]:
    """Save what the form says; what was typed, and the errors by field (none: saved)."""
    actor = signed_in(request)
    form = await request.form()
    typed = _typed(form)
    agree = form.get("notify_agree") == "on"
    channel = typed["channel"]
    address = typed["phone"] if channel == "sms" else typed["email"]
    try:
        await consent.record(actor, citizen_id, agree=agree, address=address, channel=channel)
    except DomainError:
        t = notify_texts(page_lang(request))
        if channel == "sms":
            return typed, {"notify_phone": t["notify_bad_phone"]}
        return typed, {"notify_email": t["notify_bad_email"]}
    return typed, {}


@post("/desk/citizen/data/notifications", opt=CITIZEN, include_in_schema=False, status_code=303)
async def my_consent(request: HTMXRequest) -> Response[Any]:
    from core.web.cabinet import data_page

    actor = signed_in(request)
    assert actor.citizen_id is not None
    typed, errors = await _record(request, actor.citizen_id)
    if errors:
        return await data_page(request, notify_error=errors, notify_typed=typed, status_code=400)
    return Redirect("/desk/citizen/data?notify=saved#notify-title", status_code=303)


@post(
    "/desk/front-office/citizens/{citizen_id:int}/notifications",
    opt=FRONT,
    include_in_schema=False,
    status_code=303,
)
async def paper_consent(request: HTMXRequest, citizen_id: PathId) -> Response[Any] | Template:
    from core.web.front_office import card_page

    actor = signed_in(request)
    await citizens.read(actor, citizen_id, audited=False)  # the municipality's own only
    typed, errors = await _record(request, citizen_id)
    if errors:
        return await card_page(
            request, citizen_id, notify_error=errors, notify_typed=typed, status=400
        )
    return Redirect(
        f"/desk/front-office/citizens/{citizen_id}?notify=saved#notify-title", status_code=303
    )


HANDLERS = [my_consent, paper_consent]
