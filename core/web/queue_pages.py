"""The electronic queue's pages (rules: :mod:`core.workflow.visit_queue`).

Public, for the office's devices and its visitors:

- ``/queue/{office}/kiosk`` — big buttons, one per service group, and the check-in of a
  booking by its code; the ticket page prints on an 80 mm receipt printer;
- ``/queue/{office}/screen`` — the hall screen: the tickets called and their desks, a
  fragment reloaded by htmx every 3 seconds;
- ``/queue/{office}/book`` and ``/queue/bookings/cancel`` — booking a visit online and
  cancelling it by the e-mailed link.

For staff: ``/desk/queue`` (a desk: call next, recall, no-show, start serving, done) and
``/desk/queue/stats`` (waiting and service times). "Start serving" remembers the ticket
in a cookie and opens the front office's search; requests submitted from there are
linked to the ticket (:func:`link_from_cookie`) until it is done.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core import clock
from core.actor import Actor
from core.api.access import public, roles
from core.api.deps import PathId
from core.config import Settings
from core.errors import Conflict, DomainError, NotFound
from core.notify import outbox
from core.web.forms import humane
from core.web.layout import page, page_lang, signed_in
from core.web.queue_texts import queue_texts
from core.web.texts import Lang, texts
from core.workflow import visit_queue as vq

DESK_ROLES = roles("admin", "intake", "caseworker")
STATS_ROLES = roles("admin", "intake", "caseworker", "auditor")
#: The ticket a staff member is serving: requests submitted meanwhile are linked to it.
SERVING_COOKIE = "hromada_queue_ticket"
Small = Annotated[str, QueryParameter(max_length=40)]


def _t(request: Request[Any, Any, Any]) -> dict[str, str]:
    lang = page_lang(request)
    return {**texts(lang), **queue_texts(lang)}


def _message(exc: DomainError, lang: Lang) -> str:
    return humane(exc.message, lang)


def _clock(moment: datetime) -> str:
    return moment.astimezone(clock.KYIV).strftime("%H:%M")


def _when(moment: datetime) -> str:
    return moment.astimezone(clock.KYIV).strftime("%d.%m.%Y %H:%M")


async def _form(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


def _int(raw: str) -> int | None:
    raw = raw.strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


# ---- kiosk ------------------------------------------------------------------------------


async def _kiosk(
    request: HTMXRequest,
    office_id: int,
    *,
    errors: dict[str, str] | None = None,
    code: str = "",
    status: int = 200,
) -> Template:
    place = await vq.office(office_id)
    lang = page_lang(request)
    t = _t(request)
    groups = await vq.groups(place["municipality"])
    return await page(
        request,
        "desk/queue_kiosk.html",
        title=f"{t['kiosk_title']} · {place['name']}",
        context={
            "t": t,
            "office": place,
            "groups": [(g.letter, g.name(lang)) for g in groups],
            "errors": errors or {},
            "code": code,
        },
        status_code=status,
    )


@get("/queue/{office_id:int}/kiosk", opt=public(), include_in_schema=False)
async def kiosk(request: HTMXRequest, office_id: PathId) -> Template:
    return await _kiosk(request, office_id)


@post("/queue/{office_id:int}/kiosk", opt=public(), include_in_schema=False)
async def take_ticket(request: HTMXRequest, office_id: PathId) -> Response[Any]:
    form = await _form(request)
    try:
        ticket = await vq.issue_ticket(office_id, form.get("group", ""))
    except DomainError as exc:
        if exc.field == "office_id":
            raise
        lang = page_lang(request)
        errors = {"group": _message(exc, lang)}
        return await _kiosk(request, office_id, errors=errors, status=exc.status_code)
    return Redirect(f"/queue/{office_id}/tickets/{ticket.id}", status_code=303)


@post("/queue/{office_id:int}/kiosk/check-in", opt=public(), include_in_schema=False)
async def check_in(request: HTMXRequest, office_id: PathId) -> Response[Any]:
    form = await _form(request)
    code = form.get("code", "")[:20]
    lang = page_lang(request)
    if not code.strip():
        return await _kiosk(
            request, office_id, errors={"code": _t(request)["field_required"]}, status=400
        )
    try:
        ticket = await vq.check_in(office_id, code)
    except DomainError as exc:
        if exc.field == "office_id":
            raise
        errors = {"code": _message(exc, lang)}
        return await _kiosk(request, office_id, errors=errors, code=code, status=exc.status_code)
    return Redirect(f"/queue/{office_id}/tickets/{ticket.id}", status_code=303)


@get("/queue/{office_id:int}/tickets/{ticket_id:int}", opt=public(), include_in_schema=False)
async def ticket_page(request: HTMXRequest, office_id: PathId, ticket_id: PathId) -> Template:
    """The ticket to print: number, place in the line, expected wait (80 mm wide)."""
    place = await vq.office(office_id)
    ticket = await vq.read_ticket(ticket_id, place["municipality"])
    if ticket.office_id != office_id:
        raise NotFound("талон не знайдено / ticket not found", "ticket_id")
    lang = page_lang(request)
    t = _t(request)
    groups = await vq.groups(place["municipality"])
    group = next((g for g in groups if g.letter == ticket.group), None)
    return await page(
        request,
        "desk/queue_ticket.html",
        title=f"{t['ticket_title']} {ticket.number}",
        context={
            "t": t,
            "office": place,
            "ticket": ticket,
            "group": group.name(lang) if group else ticket.group,
            "issued": _when(ticket.issued_at),
        },
    )


# ---- hall screen ------------------------------------------------------------------------


async def _screen_context(office_id: int) -> dict[str, Any]:
    return {
        "office_id": office_id,
        "calls": await vq.screen(office_id),
        "waiting": sum((await vq.waiting_counts(office_id)).values()),
    }


@get("/queue/{office_id:int}/screen", opt=public(), include_in_schema=False)
async def hall_screen(request: HTMXRequest, office_id: PathId) -> Template:
    place = await vq.office(office_id)
    t = _t(request)
    return await page(
        request,
        "desk/queue_screen.html",
        title=f"{t['screen_title']} · {place['name']}",
        context={"t": t, "office": place, **await _screen_context(office_id)},
    )


@get("/queue/{office_id:int}/screen/now", opt=public(), include_in_schema=False)
async def hall_screen_now(request: HTMXRequest, office_id: PathId) -> Template:
    """The screen's list alone (htmx polls it)."""
    await vq.office(office_id)
    return Template(
        "desk/_queue_calls.html",
        context={"t": _t(request), **await _screen_context(office_id)},
        headers={"Vary": "HX-Request, Cookie"},
    )


# ---- the desk ---------------------------------------------------------------------------


def _desk_href(office_id: int, desk: int) -> str:
    return f"/desk/queue?office={office_id}&desk={desk}"


async def _desk_page(
    request: HTMXRequest,
    actor: Actor,
    office_id: int | None,
    desk: int | None,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    lang = page_lang(request)
    t = _t(request)
    errors = dict(errors or {})
    choices = await vq.offices(actor.municipality_id)
    current = None
    counts: list[tuple[str, str, int]] = []
    linked: list[dict[str, Any]] = []
    ready = office_id is not None and desk is not None
    if office_id is not None and office_id not in {o["id"] for o in choices}:
        errors.setdefault("office", t["field_required"])
        ready = False
    if desk is not None and not 1 <= desk <= 99:
        errors.setdefault("desk", t["desk_help"])
        ready = False
    if ready and office_id is not None and desk is not None:
        current = await vq.at_desk(actor, office_id, desk)
        waiting = await vq.waiting_counts(office_id)
        counts = [
            (g.letter, g.name(lang), waiting.get(g.letter, 0))
            for g in await vq.groups(actor.municipality_id)
        ]
        if current is not None:
            linked = await vq.linked_requests(current.id)
    return await page(
        request,
        "desk/queue_desk.html",
        title=t["desk_title"],
        context={
            "t": t,
            "offices": choices,
            "office_id": office_id,
            "desk": desk,
            "ready": ready,
            "current": current,
            "counts": counts,
            "waiting_total": sum(c[2] for c in counts),
            "linked": linked,
            "errors": errors,
        },
        status_code=status if not errors or status != 200 else 400,
    )


@get("/desk/queue", opt=DESK_ROLES, include_in_schema=False)
async def desk_page(request: HTMXRequest, office: Small = "", desk: Small = "") -> Template:
    actor = signed_in(request)
    office_id = _int(office) if office else None
    number = _int(desk) if desk else None
    if office and office_id is None:
        office_id = -1
    if desk and number is None:
        number = 0
    if office_id is None and number is None:
        choices = await vq.offices(actor.municipality_id)
        if len(choices) == 1:
            office_id = choices[0]["id"]
    return await _desk_page(request, actor, office_id, number)


async def _desk_action(
    request: HTMXRequest, action: str, ticket_id: int | None = None
) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    form = await _form(request)
    office_id = _int(form.get("office", ""))
    desk = _int(form.get("desk", ""))
    if office_id is None or desk is None:
        t = _t(request)
        errors = {}
        if office_id is None:
            errors["office"] = t["field_required"]
        if desk is None:
            errors["desk"] = t["field_required"]
        return await _desk_page(request, actor, office_id, desk, errors=errors, status=400)
    cookies: list[Cookie] = []
    try:
        if action == "call":
            await vq.call_next(actor, office_id, desk)
        elif ticket_id is not None:
            if action == "recall":
                await vq.recall(actor, ticket_id)
            elif action == "no-show":
                await vq.no_show(actor, ticket_id)
            elif action == "start":
                await vq.start_serving(actor, ticket_id)
                secure = bool(request.app.state.platform.settings.secure_cookies)
                cookie = Cookie(
                    key=SERVING_COOKIE,
                    value=str(ticket_id),
                    httponly=True,
                    samesite="strict",
                    secure=secure,
                    path="/desk",
                )
                return Redirect("/desk/front-office/citizens", status_code=303, cookies=[cookie])
            elif action == "done":
                await vq.done(actor, ticket_id)
                cookies.append(Cookie(key=SERVING_COOKIE, value="", max_age=0, path="/desk"))
    except DomainError as exc:
        field = exc.field or "form"
        return await _desk_page(
            request,
            actor,
            office_id,
            desk,
            errors={field: _message(exc, lang)},
            status=exc.status_code,
        )
    return Redirect(_desk_href(office_id, desk), status_code=303, cookies=cookies)


@post("/desk/queue/call", opt=DESK_ROLES, include_in_schema=False)
async def call_next(request: HTMXRequest) -> Response[Any]:
    return await _desk_action(request, "call")


@post("/desk/queue/tickets/{ticket_id:int}/recall", opt=DESK_ROLES, include_in_schema=False)
async def recall(request: HTMXRequest, ticket_id: PathId) -> Response[Any]:
    return await _desk_action(request, "recall", ticket_id)


@post("/desk/queue/tickets/{ticket_id:int}/no-show", opt=DESK_ROLES, include_in_schema=False)
async def no_show(request: HTMXRequest, ticket_id: PathId) -> Response[Any]:
    return await _desk_action(request, "no-show", ticket_id)


@post("/desk/queue/tickets/{ticket_id:int}/start", opt=DESK_ROLES, include_in_schema=False)
async def start_serving(request: HTMXRequest, ticket_id: PathId) -> Response[Any]:
    return await _desk_action(request, "start", ticket_id)


@post("/desk/queue/tickets/{ticket_id:int}/done", opt=DESK_ROLES, include_in_schema=False)
async def done(request: HTMXRequest, ticket_id: PathId) -> Response[Any]:
    return await _desk_action(request, "done", ticket_id)


async def link_from_cookie(
    request: Request[Any, Any, Any], actor: Actor, request_ids: list[int], citizen_id: int
) -> int:
    """Link the requests just submitted to the ticket being served (if any)."""
    ticket_id = _int(request.cookies.get(SERVING_COOKIE, "") or "")
    if ticket_id is None or not request_ids:
        return 0
    return await vq.link_requests(actor, ticket_id, request_ids, citizen_id)


# ---- booking ----------------------------------------------------------------------------


def _day_label(day: date, lang: str) -> str:
    names = (
        ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        if lang == "en"
        else ("пн", "вт", "ср", "чт", "пт", "сб", "нд")
    )
    return f"{names[day.weekday()]} {day:%d.%m.%Y}"


async def _book_page(
    request: HTMXRequest,
    office_id: int,
    values: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    place = await vq.office(office_id)
    lang = page_lang(request)
    t = _t(request)
    errors = dict(errors or {})
    groups = await vq.groups(place["municipality"])
    rules = await vq.slot_rules(place["municipality"])
    days = vq.booking_days(rules)
    letter = values.get("group", "")
    chosen_day: date | None = None
    if values.get("day"):
        try:
            chosen_day = date.fromisoformat(values["day"])
        except ValueError:
            errors.setdefault("day", t["field_date"])
    slots: list[dict[str, Any]] = []
    if letter and chosen_day is not None and "group" not in errors and "day" not in errors:
        try:
            found = await vq.slots(office_id, letter, chosen_day)
        except DomainError as exc:
            errors.setdefault(exc.field or "form", _message(exc, lang))
        else:
            slots = [
                {
                    "value": s.start.isoformat(),
                    "label": _clock(s.start),
                    "left": s.left,
                    "note": t["slot_left"].format(left=s.left) if s.left else t["slot_full"],
                }
                for s in found
            ]
    if errors and status == 200:
        status = 400
    return await page(
        request,
        "desk/queue_book.html",
        title=f"{t['book_title']} · {place['name']}",
        context={
            "t": t,
            "office": place,
            "groups": [(g.letter, g.name(lang)) for g in groups],
            "days": [(d.isoformat(), _day_label(d, lang)) for d in days],
            "values": values,
            "slots": slots,
            "shown": bool(letter and chosen_day),
            "errors": errors,
        },
        status_code=status,
    )


@get("/queue/{office_id:int}/book", opt=public(), include_in_schema=False)
async def book_page(
    request: HTMXRequest, office_id: PathId, group: Small = "", day: Small = ""
) -> Template:
    return await _book_page(request, office_id, {"group": group, "day": day})


@post("/queue/{office_id:int}/book", opt=public(), include_in_schema=False)
async def book(request: HTMXRequest, office_id: PathId) -> Response[Any]:
    lang = page_lang(request)
    t = _t(request)
    form = await _form(request)
    values = {k: form.get(k, "")[:300] for k in ("group", "day", "slot", "name", "email", "phone")}
    errors: dict[str, str] = {}
    for name in ("group", "day", "slot", "name", "email"):
        if not values[name].strip():
            errors[name] = t["field_required"]
    slot_start: datetime | None = None
    if values["slot"]:
        try:
            slot_start = datetime.fromisoformat(values["slot"])
        except ValueError:
            errors["slot"] = t["field_required"]
        if slot_start is not None and slot_start.tzinfo is None:
            slot_start = None
            errors["slot"] = t["field_required"]
    if errors or slot_start is None:
        return await _book_page(request, office_id, values, errors=errors, status=400)
    settings: Settings = request.app.state.platform.settings
    try:
        booking = await vq.book(
            settings,
            office_id=office_id,
            letter=values["group"],
            slot_start=slot_start,
            name=values["name"],
            email=values["email"],
            phone=values["phone"],
            lang=lang,
        )
    except DomainError as exc:
        errors = {exc.field or "form": _message(exc, lang)}
        return await _book_page(request, office_id, values, errors=errors, status=exc.status_code)
    outbox.kick(settings)
    place = await vq.office(office_id)
    group = next(g for g in await vq.groups(place["municipality"]) if g.letter == booking.group)
    return await page(
        request,
        "desk/queue_booked.html",
        title=t["booked_title"],
        context={
            "t": t,
            "office": place,
            "booking": booking,
            "group": group.name(lang),
            "when": _when(booking.slot_start),
            "intro": t["booked_intro"].format(email=booking.email),
        },
        status_code=201,
    )


@get("/queue/bookings/cancel", opt=public(), include_in_schema=False)
async def cancel_page(
    request: HTMXRequest, token: Annotated[str, QueryParameter(max_length=100)] = ""
) -> Template:
    t = _t(request)
    booking = await vq.booking_by_token(token) if token else None
    if booking is None:
        raise NotFound("запис не знайдено / booking not found", "token")
    return await page(
        request,
        "desk/queue_cancel.html",
        title=t["cancel_title"],
        context={
            "t": t,
            "token": token,
            "live": booking.status == "booked",
            "intro": t["cancel_intro"].format(when=_when(booking.slot_start)),
        },
    )


@post("/queue/bookings/cancel", opt=public(), include_in_schema=False)
async def cancel(request: HTMXRequest) -> Template:
    t = _t(request)
    token = (await _form(request)).get("token", "")[:100]
    if not token:
        raise NotFound("запис не знайдено / booking not found", "token")
    try:
        booking = await vq.cancel(token)
    except Conflict:
        booking = await vq.booking_by_token(token)
        return await page(
            request,
            "desk/queue_cancel.html",
            title=t["cancel_title"],
            context={"t": t, "token": token, "live": False, "intro": ""},
            status_code=409,
        )
    return await page(
        request,
        "desk/queue_cancel.html",
        title=t["cancelled_title"],
        context={"t": t, "token": "", "live": False, "done": True, "booking": booking},
    )


# ---- figures ----------------------------------------------------------------------------


def _minutes(seconds: int) -> str:
    return f"{seconds / 60:.1f}"


@get("/desk/queue/stats", opt=STATS_ROLES, include_in_schema=False)
async def stats_page(request: HTMXRequest, start: Small = "", end: Small = "") -> Template:
    """Waiting and service times per office, desk and group for a period (the last 30
    days by default)."""
    actor = signed_in(request)
    t = _t(request)
    errors: dict[str, str] = {}
    today = clock.today()
    first, last = today - timedelta(days=29), today
    for name, raw in (("start", start), ("end", end)):
        if raw:
            try:
                value = date.fromisoformat(raw)
            except ValueError:
                errors[name] = t["field_date"]
                continue
            if name == "start":
                first = value
            else:
                last = value
    tables: list[dict[str, Any]] = []
    if not errors:
        try:
            figures = await vq.stats(actor, first, last)
        except DomainError as exc:
            errors["end"] = _message(exc, page_lang(request))
        else:
            names = {o["id"]: o["name"] for o in await vq.offices(actor.municipality_id)}
            for key in ("office", "desk", "group"):
                rows = [
                    {
                        "office": names.get(f.office_id, str(f.office_id)),
                        "desk": f.desk or "",
                        "group": f.group,
                        "measure": t[f"measure_{f.measure}"],
                        "count": f.count,
                        "average": _minutes(f.average_seconds),
                        "p90": _minutes(f.p90_seconds),
                    }
                    for f in figures[key]
                ]
                tables.append({"key": key, "caption": t[f"by_{key}"], "rows": rows})
    return await page(
        request,
        "desk/queue_stats.html",
        title=t["stats_title"],
        context={
            "t": t,
            "start": start or first.isoformat(),
            "end": end or last.isoformat(),
            "tables": tables,
            "errors": errors,
        },
        status_code=400 if errors else 200,
    )


HANDLERS = [
    kiosk,
    take_ticket,
    check_in,
    ticket_page,
    hall_screen,
    hall_screen_now,
    desk_page,
    call_next,
    recall,
    no_show,
    start_serving,
    done,
    book_page,
    book,
    cancel_page,
    cancel,
    stats_page,
]
