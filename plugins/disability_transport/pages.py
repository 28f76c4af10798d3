"""Desk pages of the social taxi's dispatch, mounted by the host at
``/desk/ext/disability_transport/`` (the ``register_pages`` hook): the bookings of a day
with each vehicle's schedule, assigning a vehicle, completing a trip, marking a no-show,
cancelling, and the vehicles. They call the same use cases as the API
(:mod:`plugins.disability_transport.bookings`, :mod:`~plugins.disability_transport.dispatch`,
:mod:`~plugins.disability_transport.vehicles`); every read of personal data is audited here,
as the host's declaration audits the API's."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Response, get, post
from litestar.params import QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.sdk import (
    Conflict,
    DomainError,
    MenuEntry,
    PathId,
    PluginPages,
    Text,
    audit,
    day_text,
    forms,
    mount_point,
    page,
    page_lang,
    roles,
    signed_in,
)
from plugins.disability_transport import bookings, dispatch, vehicles
from plugins.disability_transport.common import Refused, today_local
from plugins.disability_transport.routes import ASSIGN, BOOK, CARRIER
from plugins.disability_transport.schemas import AssignVehicleIn, CancelIn, CompleteIn

BASE = mount_point("disability_transport")
#: Who dispatches: the roles the API lets assign a vehicle.
DISPATCH = roles(*ASSIGN["roles"])
#: Who cancels here: the roles the API lets cancel that also dispatch.
CANCEL = roles(*(r for r in BOOK["roles"] if r in ASSIGN["roles"]))
#: Every trip of a day fits one page.
DAY_SIZE = 500

TEXTS: dict[str, dict[str, str]] = {
    "uk": {
        "dispatch": "Диспетчерська соціального таксі",
        "vehicles": "Автомобілі",
        "day": "День поїздок",
        "show": "Показати",
        "day_bad": "Уведіть дату у форматі РРРР-ММ-ДД",
        "found": "Поїздок цього дня: {n}",
        "none": "Цього дня поїздок немає.",
        "unassigned": "Без автомобіля",
        "schedule": "Розклад автомобіля {plate}",
        "trip": "Поїздка № {id}, {start}–{end}",
        "person": "Номер особи",
        "from": "Звідки",
        "to": "Куди",
        "purpose": "Мета",
        "wheelchair": "Крісло колісне",
        "companion": "Із супровідником",
        "return_trip": "Зворотна поїздка",
        "status": "Стан",
        "km": "Пробіг, км",
        "km_help": "До трьох знаків після крапки, напр. 12.5",
        "waiting": "Очікування, хв",
        "vehicle": "Автомобіль",
        "assign": "Призначити автомобіль",
        "complete": "Поїздку виконано",
        "no_show": "Особа не з'явилася",
        "cancel": "Скасувати поїздку",
        "reason": "Причина скасування",
        "assigned": "Автомобіль призначено.",
        "completed_ok": "Поїздку позначено виконаною.",
        "no_show_ok": "Неявку позначено.",
        "cancelled_ok": "Поїздку скасовано.",
        "planned": "Заплановано",
        "completed": "Виконано",
        "cancelled": "Скасовано",
        "late_cancellation": "Скасовано пізно",
        "yes": "так",
        "no": "ні",
        "plate": "Номер",
        "model": "Модель",
        "ramp": "Пандус",
        "lift": "Підйомник",
        "places": "Місць для крісел",
        "seats": "Сидячих місць",
        "active": "Працює",
        "no_vehicles": "Автомобілів не зареєстровано.",
        "to_dispatch": "До диспетчерської",
        "manual": "механічне",
        "electric": "з електроприводом",
    },
    "en": {
        "dispatch": "Social taxi dispatch",
        "vehicles": "Vehicles",
        "day": "Day of trips",
        "show": "Show",
        "day_bad": "Enter the date as YYYY-MM-DD",
        "found": "Trips that day: {n}",
        "none": "No trips that day.",
        "unassigned": "Without a vehicle",
        "schedule": "Schedule of vehicle {plate}",
        "trip": "Trip No. {id}, {start}–{end}",
        "person": "Person's number",
        "from": "From",
        "to": "To",
        "purpose": "Purpose",
        "wheelchair": "Wheelchair",
        "companion": "With a companion",
        "return_trip": "Return trip",
        "status": "Status",
        "km": "Distance, km",
        "km_help": "Up to three decimals, e.g. 12.5",
        "waiting": "Waiting, min",
        "vehicle": "Vehicle",
        "assign": "Assign the vehicle",
        "complete": "Trip completed",
        "no_show": "Passenger did not show up",
        "cancel": "Cancel the trip",
        "reason": "Reason for cancelling",
        "assigned": "The vehicle was assigned.",
        "completed_ok": "The trip was marked completed.",
        "no_show_ok": "The no-show was marked.",
        "cancelled_ok": "The trip was cancelled.",
        "planned": "Planned",
        "completed": "Completed",
        "cancelled": "Cancelled",
        "late_cancellation": "Cancelled late",
        "yes": "yes",
        "no": "no",
        "plate": "Plate",
        "model": "Model",
        "ramp": "Ramp",
        "lift": "Lift",
        "places": "Wheelchair places",
        "seats": "Seats",
        "active": "In service",
        "no_vehicles": "No vehicles registered.",
        "to_dispatch": "To the dispatch",
        "manual": "manual",
        "electric": "electric",
    },
}

PURPOSES = {
    "medical": Text("лікувальний заклад", "medical"),
    "rehabilitation": Text("реабілітація", "rehabilitation"),
    "social_protection": Text("соціальний захист", "social protection"),
    "pension_fund": Text("пенсійний фонд", "pension fund"),
    "msek": Text("МСЕК", "disability assessment"),
    "education": Text("навчання", "education"),
    "culture": Text("культура", "culture"),
    "shops": Text("магазини", "shops"),
    "market": Text("ринок", "market"),
    "other": Text("інше", "other"),
}
DONE = ("assigned", "completed_ok", "no_show_ok", "cancelled_ok")

MENU = [
    MenuEntry(
        label=Text("Соціальне таксі: диспетчерська", "Social taxi dispatch"),
        path="/bookings",
        roles=DISPATCH["roles"],
    )
]


def _route(request: HTMXRequest) -> str:
    return f"GET {request.url.path}"


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else today_local()
    except ValueError:
        return None


def _refusal(exc: DomainError, lang: str) -> str:
    """A refusal in words: each failed booking rule, or the use case's message."""
    if isinstance(exc, Refused):
        return " ".join(f.message.get(lang) for f in exc.findings)
    return next(iter(forms.domain_error(exc, lang).values()))  # type: ignore[arg-type]


async def _dispatch_page(
    request: HTMXRequest,
    day_value: str,
    *,
    booking_id: int | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    h = TEXTS[lang]
    on = _day(day_value)
    fleet = await vehicles.listing(request.app.state.platform, actor, None)
    plates = {v.id: v.plate for v in fleet}
    groups: list[dict[str, Any]] = []
    total = 0
    day_error = ""
    if on is None:
        day_error = h["day_bad"]
        status = 400
    else:
        found = await bookings.listing(
            request.app.state.platform,
            actor,
            day=on,
            citizen_id=None,
            vehicle_id=None,
            request_id=None,
            status=None,
            page=1,
            page_size=DAY_SIZE,
        )
        total = found.total
        await audit.read(
            actor,
            "transport.booking.list",
            "booking",
            None,
            {"route": _route(request), "day": on.isoformat(), "count": total},
        )
        by_vehicle: dict[int | None, list[dict[str, Any]]] = {}
        for b in found.items:
            row = {
                "b": b,
                "title": h["trip"].format(id=b.id, start=b.start_time, end=b.end_time),
                "purpose": PURPOSES[b.purpose].get(lang) if b.purpose in PURPOSES else b.purpose,
                "wheelchair": h.get(b.wheelchair, "—"),
                "status": h.get(b.status, b.status),
                "open": b.status == "planned",
                "kept": (values or {}) if b.id == booking_id else {},
                "errors": (errors or {}) if b.id == booking_id else {},
            }
            by_vehicle.setdefault(b.vehicle_id, []).append(row)
        if None in by_vehicle:
            groups.append({"id": "none", "title": h["unassigned"], "rows": by_vehicle[None]})
        for vehicle_id, rows in by_vehicle.items():
            if vehicle_id is not None:
                plate = plates.get(vehicle_id, str(vehicle_id))
                title = h["schedule"].format(plate=plate)
                groups.append({"id": str(vehicle_id), "title": title, "rows": rows})
    done = request.query_params.get("done", "")
    return await page(
        request,
        "disability_transport/bookings.html",
        title=h["dispatch"],
        context={
            "h": h,
            "base": BASE,
            "day": on.isoformat() if on else day_value,
            "day_label": day_text(on, lang) if on else "",
            "day_error": day_error,
            "groups": groups,
            "total": total,
            "fleet": [v for v in fleet if v.active],
            "notice": h[done] if done in DONE else "",
            "may_assign": actor.role in ASSIGN["roles"],
            "may_close": actor.role in CARRIER["roles"],
            "may_cancel": actor.role in CANCEL["roles"],
        },
        status_code=status,
    )


@get("/bookings", opt=DISPATCH)
async def bookings_page(
    request: HTMXRequest, day: Annotated[str, QueryParameter(max_length=10)] = ""
) -> Template:
    """The trips of a day (today by default), those without a vehicle first, then each
    vehicle's schedule."""
    return await _dispatch_page(request, day)


async def _form(request: HTMXRequest) -> dict[str, str]:
    data = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return {k: v for k, v in data.items() if k != "_csrf"}


def _back(day_value: str, done: str) -> Redirect:
    query = urlencode({"day": day_value, "done": done} if day_value else {"done": done})
    return Redirect(f"{BASE}/bookings?{query}", status_code=303)


async def _refused(
    request: HTMXRequest,
    booking_id: int,
    data: dict[str, str],
    errors: dict[str, str],
    status: int,
) -> Template:
    return await _dispatch_page(
        request,
        data.get("day", ""),
        booking_id=booking_id,
        values=data,
        errors=errors,
        status=status,
    )


def _status(exc: DomainError) -> int:
    return 409 if isinstance(exc, Conflict) else int(getattr(exc, "status_code", 400))


@post("/bookings/{booking_id:int}/assign", opt=ASSIGN)
async def assign(request: HTMXRequest, booking_id: PathId) -> Response[Any]:
    """Assign a vehicle; a refusal (busy, inactive, too small) shows beside the choice."""
    actor = signed_in(request)
    lang = page_lang(request)
    data = await _form(request)
    body, errors = forms.convert(AssignVehicleIn, {"vehicle_id": data.get("vehicle_id")}, lang)
    if errors:
        return await _refused(
            request, booking_id, data, {"vehicle_id": TEXTS[lang]["vehicle"]}, 400
        )
    try:
        await dispatch.assign_vehicle(request.app.state.platform, actor, booking_id, body)
    except DomainError as exc:
        field = "vehicle_id" if exc.field == "vehicle_id" else "booking"
        errors = {field: _refusal(exc, lang)}
        return await _refused(request, booking_id, data, errors, _status(exc))
    return _back(data.get("day", ""), "assigned")


@post("/bookings/{booking_id:int}/complete", opt=CARRIER)
async def complete(request: HTMXRequest, booking_id: PathId) -> Response[Any]:
    """The carrier records the trip's kilometres and waiting minutes."""
    actor = signed_in(request)
    lang = page_lang(request)
    data = await _form(request)
    raw = {"km": data.get("km", "").strip().replace(",", "."), "waiting_minutes": "0"}
    if data.get("waiting_minutes", "").strip():
        raw["waiting_minutes"] = data["waiting_minutes"].strip()
    body, errors = forms.convert(CompleteIn, raw, lang)
    if errors:
        return await _refused(request, booking_id, data, errors, 400)
    try:
        await dispatch.complete(request.app.state.platform, actor, booking_id, body)
    except DomainError as exc:
        field = "km" if exc.field == "km" else "booking"
        return await _refused(request, booking_id, data, {field: _refusal(exc, lang)}, _status(exc))
    return _back(data.get("day", ""), "completed_ok")


@post("/bookings/{booking_id:int}/no-show", opt=CARRIER)
async def no_show(request: HTMXRequest, booking_id: PathId) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    data = await _form(request)
    try:
        await dispatch.no_show(request.app.state.platform, actor, booking_id)
    except DomainError as exc:
        errors = {"booking": _refusal(exc, lang)}
        return await _refused(request, booking_id, data, errors, _status(exc))
    return _back(data.get("day", ""), "no_show_ok")


@post("/bookings/{booking_id:int}/cancel", opt=CANCEL)
async def cancel(request: HTMXRequest, booking_id: PathId) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    data = await _form(request)
    body, errors = forms.convert(CancelIn, {"reason": data.get("reason", "").strip()}, lang)
    if errors:
        return await _refused(request, booking_id, data, errors, 400)
    try:
        await bookings.cancel(request.app.state.platform, actor, booking_id, body)
    except DomainError as exc:
        errors = {"booking": _refusal(exc, lang)}
        return await _refused(request, booking_id, data, errors, _status(exc))
    return _back(data.get("day", ""), "cancelled_ok")


@get("/vehicles", opt=DISPATCH)
async def vehicles_page(request: HTMXRequest) -> Template:
    """The vehicles (a carrier sees its own)."""
    actor = signed_in(request)
    h = TEXTS[page_lang(request)]
    fleet = await vehicles.listing(request.app.state.platform, actor, None)
    return await page(
        request,
        "disability_transport/vehicles.html",
        title=h["vehicles"],
        context={"h": h, "base": BASE, "fleet": fleet},
    )


HANDLERS = [bookings_page, assign, complete, no_show, cancel, vehicles_page]


def pages() -> PluginPages:
    return PluginPages(
        handlers=list(HANDLERS), menu=list(MENU), templates=str(Path(__file__).parent / "templates")
    )
