"""The provider's organisation profile, its offers, and the calls for proposals with its
bids: pages for the ``provider`` role over the same use cases the API calls
(:mod:`core.workflow.providers`, :mod:`core.workflow.market.offers`,
:mod:`core.workflow.market.calls`), so the checks and the audit rows are the API's.

A refused value comes back beside its field in the page's language, with what was typed
kept; a success returns to the page with a notice. The profile sends only the fields that
changed, so saving an unchanged IBAN does not clear the admin's verification. None of
these pages names a person, so showing them is not an audited read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from litestar import Response, get, post
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core import clock
from core.actor import Actor
from core.api.access import roles
from core.api.deps import PathId
from core.errors import DomainError, NotFound
from core.schemas import ProviderOut, ProviderPatch
from core.service import Service
from core.web import forms
from core.web.formats import day, money
from core.web.layout import page, page_lang, signed_in
from core.web.texts import Lang, texts
from core.workflow import providers
from core.workflow.market import calls, offers
from core.workflow.market.calls import BidIn, BidOut, CallOut
from core.workflow.market.offers import OfferIn, OfferOut, OfferPatch

PROVIDER = roles("provider")
#: The profile's fields, in the order the form asks for them (the Provider table's own).
PROFILE_FIELDS = ("name", "kind", "edrpou", "tax_number", "iban", "address", "phone", "email")
KINDS = ("ngo", "communal", "private", "individual", "utility")
#: Fields whose change clears the admin's verification (core.workflow.providers.update).
REVERIFIED = ("edrpou", "tax_number", "iban")
OFFER_FIELDS = ("unit_price", "capacity", "description")
#: The inputs of an offer's and a bid's form: an error of any other field (the provider,
#: the call, the body) is said above the form.
OFFER_INPUTS = ("service_code", *OFFER_FIELDS, "area")
BID_INPUTS = ("unit_price", "volume", "note")


def _provider_id(actor: Actor) -> int:
    if actor.provider_id is None:
        raise NotFound("обліковий запис не прив'язано до надавача / no provider linked", "provider")
    return actor.provider_id


async def _posted(request: HTMXRequest) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in (await request.form()).multi_items():
        if isinstance(value, str):
            out.setdefault(key, []).append(value)
    return out


def _one(posted: Mapping[str, list[str]], key: str) -> str:
    return (posted.get(key) or [""])[-1].strip()


def _title(service: Service | None, code: str, lang: Lang) -> str:
    return service.card.title.get(lang) if service else code


def _unit(service: Service | None, lang: Lang) -> str:
    return service.unit.get(lang) if service and service.unit else ""


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _moment(value: datetime, lang: Lang) -> str:
    """An instant on the municipality's wall clock: ``31.12.2026 18:00``."""
    local = value.astimezone(clock.KYIV)
    return f"{day(local.date(), lang)} {local:%H:%M}"


def _others(errors: Mapping[str, str], inputs: tuple[str, ...]) -> list[str]:
    """Messages of errors that belong to no input of the form."""
    return [
        message
        for name, message in errors.items()
        if name not in inputs and not name.startswith(("answers-", "prices.", "volumes."))
    ]


def _decimal(typed: str) -> str:
    """A typed amount as the API takes it: no spaces, a decimal point."""
    return typed.replace("\u00a0", "").replace(" ", "").replace(",", ".")


def _parts(service: Service | None, lang: Lang) -> list[dict[str, str]]:
    """The parts of a multi-part tariff as the forms ask for them."""
    if service is None:
        return []
    t = texts(lang)
    return [
        {
            "key": p.key,
            "label": p.label.get(lang),
            "unit": p.unit.get(lang),
            "price_words": t["part_price"].format(part=p.label.get(lang), unit=p.unit.get(lang)),
            "volume_words": t["part_volume"].format(part=p.label.get(lang), unit=p.unit.get(lang)),
        }
        for p in service.tariff_parts
    ]


def _part_prices(service: Service | None, prices: Mapping[str, Decimal], lang: Lang) -> list[str]:
    """``Пробіг: 18,50 грн за км`` for each part priced."""
    t = texts(lang)
    return [
        t["part_max_price"].format(
            part=p["label"], price=money(prices[p["key"]], lang), unit=p["unit"]
        )
        for p in _parts(service, lang)
        if p["key"] in prices
    ]


def _posted_parts(
    posted: Mapping[str, list[str]], service: Service | None, prefix: str
) -> dict[str, str]:
    """The typed value of each part, from the inputs ``<prefix><key>``; empty ones left
    out (the use case names a missing part)."""
    out: dict[str, str] = {}
    for p in service.tariff_parts if service else ():
        value = _decimal(_one(posted, f"{prefix}{p.key}"))
        if value:
            out[p.key] = value
    return out


# ---------------------------------------------------------------- profile


def _profile_values(p: ProviderOut) -> dict[str, str]:
    return {k: (getattr(p, k) or "") for k in PROFILE_FIELDS}


def _changes(current: ProviderOut, values: dict[str, str]) -> dict[str, Any]:
    """What the form changes: only those fields go to the use case."""
    out: dict[str, Any] = {}
    for name, typed in values.items():
        old = getattr(current, name) or ""
        same = (
            typed.replace(" ", "").upper() == old
            if name == "iban"
            else typed.replace(" ", "") == old
            if name in ("edrpou", "tax_number")
            else typed == old
        )
        if not same:
            out[name] = (typed or None) if name in ("edrpou", "tax_number") else typed
    return out


async def _profile_page(
    request: HTMXRequest,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    profile = await providers.read(actor, _provider_id(actor))
    saved = request.query_params.get("saved", "")
    notice = {"1": t["profile_saved"], "none": t["profile_unchanged"]}.get(saved, "")
    return await page(
        request,
        "desk/provider_profile.html",
        title=t["provider_profile"],
        context={
            "profile": profile,
            "verified_on": (
                day(profile.verified_at.astimezone(clock.KYIV).date(), lang)
                if profile.verified_at
                else ""
            ),
            "values": values or _profile_values(profile),
            "errors": errors or {},
            "errors_other": _others(errors or {}, PROFILE_FIELDS),
            "kinds": [(k, t[f"kind_{k}"]) for k in KINDS],
            "notice": notice,
        },
        status_code=status,
    )


@get("/desk/provider/profile", opt=PROVIDER, include_in_schema=False)
async def profile(request: HTMXRequest) -> Template:
    return await _profile_page(request)


@post("/desk/provider/profile", opt=PROVIDER, include_in_schema=False)
async def save_profile(request: HTMXRequest) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    provider_id = _provider_id(actor)
    posted = await _posted(request)
    values = {k: _one(posted, k) for k in PROFILE_FIELDS}
    current = await providers.read(actor, provider_id)
    changed = _changes(current, values)
    if not changed:
        return Redirect("/desk/provider/profile?saved=none", status_code=303)
    patch, errors = forms.convert(ProviderPatch, changed, lang)
    if not errors:
        try:
            await providers.update(actor, provider_id, patch)
        except DomainError as exc:
            errors = forms.domain_error(exc, lang)
    if errors:
        return await _profile_page(request, errors=errors, values=values, status=400)
    return Redirect("/desk/provider/profile?saved=1", status_code=303)


# ----------------------------------------------------------------- offers


def _offer_view(
    o: OfferOut, service: Service | None, lang: Lang, settlements: tuple[str, ...]
) -> dict[str, Any]:
    t = texts(lang)
    unit = _unit(service, lang)
    price = (
        "; ".join(_part_prices(service, o.prices, lang))
        if o.unit_price is None
        else f"{money(o.unit_price, lang)}" + (f" / {unit}" if unit else "")
    )
    return {
        "id": o.id,
        "key": f"offer-{o.id}",
        "service": _title(service, o.service_code, lang),
        "price": price,
        "parts": _parts(service, lang) if o.unit_price is None else [],
        "capacity": str(o.capacity) if o.capacity else t["capacity_unlimited"],
        "area": ", ".join(o.area) if o.area else t["offer_area_all"],
        "description": o.description,
        "active": o.active,
        "status": t["offer_active"] if o.active else t["offer_withdrawn"],
        "values": {
            "unit_price": "" if o.unit_price is None else f"{o.unit_price:.2f}",
            **{f"prices.{k}": f"{v:.2f}" for k, v in o.prices.items()},
            "capacity": str(o.capacity),
            "description": o.description,
            "area": list(o.area),
        },
        "settlements": sorted({*settlements, *o.area}),
    }


async def _offers_page(
    request: HTMXRequest,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
    status: int = 200,
) -> Template:
    """``errors`` and ``values`` are by form: ``new`` or ``offer-<id>``."""
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    platform = request.app.state.platform
    services = {
        s.code: s for s in await platform.services(actor.municipality_id) if s.payee == "provider"
    }
    settlements = (await platform.municipality(id=actor.municipality_id)).settlements
    mine = await offers.listing(actor, None, None)
    rows = [_offer_view(o, services.get(o.service_code), lang, settlements) for o in mine]
    taken = {o.service_code for o in mine}
    errors = errors or {}
    values = values or {}
    for row in rows:
        row["errors"] = errors.get(row["key"], {})
        row["other_errors"] = _others(row["errors"], OFFER_INPUTS)
        row["values"] = values.get(row["key"], row["values"])
    done = request.query_params.get("done", "")
    notice = {
        "created": t["offer_created"],
        "saved": t["offer_saved"],
        "withdrawn": t["offer_withdrawn_done"],
        "restored": t["offer_restored"],
    }.get(request.query_params.get("notice", ""), "")
    return await page(
        request,
        "desk/provider_offers.html",
        title=t["provider_offers"],
        context={
            "offers": rows,
            "choices": [
                (code, _title(s, code, lang)) for code, s in services.items() if code not in taken
            ],
            "settlements": list(settlements),
            "new_errors": errors.get("new", {}),
            "new_other_errors": _others(errors.get("new", {}), OFFER_INPUTS),
            "new_values": values.get("new", {"capacity": "0", "area": []}),
            "part_services": [
                {"code": code, "title": _title(s, code, lang), "parts": _parts(s, lang)}
                for code, s in services.items()
                if code not in taken and s.tariff_parts
            ],
            "notice": notice,
            "done": done,
        },
        status_code=status,
    )


def _offer_raw(
    posted: Mapping[str, list[str]], service: Service | None, *, with_service: bool
) -> dict[str, Any]:
    """The posted offer as OfferIn's / OfferPatch's dict: empty inputs left out. The
    prices of a multi-part tariff's parts come from ``prices.<key>`` (an offer's own
    form) or ``prices.<service>.<key>`` (the new offer's, which lists every service)."""
    raw: dict[str, Any] = {}
    names = ("service_code", *OFFER_FIELDS) if with_service else OFFER_FIELDS
    for name in names:
        value = _one(posted, name)
        if name == "unit_price":
            value = _decimal(value)
        if value or name == "description":
            raw[name] = value
    if service is not None and service.tariff_parts:
        prefix = f"prices.{service.code}." if with_service else "prices."
        raw["prices"] = _posted_parts(posted, service, prefix)
    raw["area"] = [a.strip() for a in posted.get("area", []) if a.strip()]
    return raw


def _typed(posted: Mapping[str, list[str]], *, with_service: bool) -> dict[str, Any]:
    names = ("service_code", *OFFER_FIELDS) if with_service else OFFER_FIELDS
    parts = {k: v[-1] for k, v in posted.items() if k.startswith("prices.")}
    return {**{k: _one(posted, k) for k in names}, **parts, "area": posted.get("area", [])}


@get("/desk/provider/offers", opt=PROVIDER, include_in_schema=False)
async def offer_list(request: HTMXRequest) -> Template:
    return await _offers_page(request)


@post("/desk/provider/offers", opt=PROVIDER, include_in_schema=False)
async def create_offer(request: HTMXRequest) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    posted = await _posted(request)
    service = request.app.state.platform.host.services.get(_one(posted, "service_code"))
    body, errors = forms.convert(OfferIn, _offer_raw(posted, service, with_service=True), lang)
    if not errors:
        try:
            made = await offers.create(request.app.state.platform, actor, body)
        except DomainError as exc:
            errors = forms.domain_error(exc, lang)
        else:
            return Redirect(
                f"/desk/provider/offers?notice=created&done=offer-{made.id}#offer-{made.id}",
                status_code=303,
            )
    return await _offers_page(
        request,
        errors={"new": errors},
        values={"new": _typed(posted, with_service=True)},
        status=400,
    )


@post("/desk/provider/offers/{offer_id:int}", opt=PROVIDER, include_in_schema=False)
async def update_offer(request: HTMXRequest, offer_id: PathId) -> Response[Any]:
    """Save the offer's price, places, settlements and description, or (``action``)
    withdraw or restore it."""
    actor = signed_in(request)
    lang = page_lang(request)
    posted = await _posted(request)
    action = _one(posted, "action")
    key = f"offer-{offer_id}"
    errors: dict[str, str] = {}
    if action in ("withdraw", "restore"):
        patch: Any = OfferPatch(active=action == "restore")
        notice = "withdrawn" if action == "withdraw" else "restored"
    else:
        offer = await offers.read(actor, offer_id)
        service = request.app.state.platform.host.services.get(offer.service_code)
        raw = _offer_raw(posted, service, with_service=False)
        patch, errors = forms.convert(OfferPatch, raw, lang)
        notice = "saved"
    if not errors:
        try:
            await offers.update(request.app.state.platform, actor, offer_id, patch)
        except NotFound:
            raise
        except DomainError as exc:
            errors = forms.domain_error(exc, lang)
        else:
            return Redirect(
                f"/desk/provider/offers?notice={notice}&done={key}#{key}", status_code=303
            )
    return await _offers_page(
        request,
        errors={key: errors},
        values={key: _typed(posted, with_service=False)}
        if action not in ("withdraw", "restore")
        else None,
        status=400,
    )


# ---------------------------------------------------------- calls and bids


def _call_state(c: CallOut) -> str:
    if c.status == "open":
        return "open" if c.accepting_bids else "closed"
    return c.status


def _bid_view(b: BidOut, lang: Lang, unit: str, service: Service | None) -> dict[str, Any]:
    t = texts(lang)
    score = f"{b.score}" if b.score is not None and b.status in ("won", "lost") else ""
    parts = _parts(service, lang) if b.unit_price is None else []
    return {
        "id": b.id,
        "status": t.get(f"bid_status_{b.status}", b.status),
        "raw_status": b.status,
        "price": "" if b.unit_price is None else money(b.unit_price, lang),
        "prices": _part_prices(service, b.prices, lang),
        "volumes": [
            f"{p['label']}: {_number(b.volumes[p['key']])} {p['unit']}"
            for p in parts
            if p["key"] in b.volumes
        ],
        "cost": money(b.cost, lang),
        "volume": f"{_number(b.volume)} {unit}".strip(),
        "submitted_at": _moment(b.submitted_at, lang),
        "answers": b.answers,
        "note": b.note,
        "score": score.replace(".", ",") if lang == "uk" else score,
    }


async def _calls_page(
    request: HTMXRequest,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, str]] | None = None,
    status: int = 200,
) -> Template:
    """``errors`` and ``values`` are by call: ``call-<id>``."""
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    services = request.app.state.platform.host.services
    errors = errors or {}
    values = values or {}
    opened, closed = [], []
    for c in await calls.list_calls(actor, None):
        service = services.get(c.service_code)
        unit = _unit(service, lang)
        bids = await calls.list_bids(actor, c.id)
        bid = _bid_view(bids[-1], lang, unit, service) if bids else None
        key = f"call-{c.id}"
        state = _call_state(c)
        typed = values.get(key)
        if typed is None:
            last = bids[-1] if bids else None
            typed = (
                {
                    "unit_price": "" if last.unit_price is None else f"{last.unit_price:.2f}",
                    "volume": "" if last.unit_price is None else _number(last.volume),
                    **{f"prices.{k}": f"{v:.2f}" for k, v in last.prices.items()},
                    **{f"volumes.{k}": _number(v) for k, v in last.volumes.items()},
                    "note": last.note,
                    **{f"answers.{k}": v for k, v in last.answers.items()},
                }
                if last
                else {}
            )
        view = {
            "id": c.id,
            "key": key,
            "number": c.number,
            "title": c.title,
            "service": _title(service, c.service_code, lang),
            "volume": f"{_number(c.volume)} {unit}".strip(),
            "max_price": ""
            if c.max_unit_price is None
            else money(c.max_unit_price, lang) + (f" / {unit}" if unit else ""),
            "max_prices": _part_prices(service, c.max_prices, lang),
            "parts": _parts(service, lang) if c.max_prices else [],
            "budget": "" if c.max_unit_price is None else money(c.max_unit_price * c.volume, lang),
            "period": f"{day(c.period_start, lang)} – {day(c.period_end, lang)}",
            "deadline": _moment(c.deadline, lang),
            "criteria": c.criteria,
            "description": c.description,
            "state": t[f"call_status_{state}"],
            "accepting": c.accepting_bids,
            "bid": bid,
            "errors": errors.get(key, {}),
            "other_errors": _others(errors.get(key, {}), BID_INPUTS),
            "values": typed,
        }
        if c.accepting_bids:
            opened.append(view)
        elif bid is not None:
            closed.append(view)
    notice = {"submitted": t["bid_submitted"], "withdrawn": t["bid_withdrawn_done"]}.get(
        request.query_params.get("notice", ""), ""
    )
    return await page(
        request,
        "desk/provider_calls.html",
        title=t["provider_calls"],
        context={
            "opened": opened,
            "closed": closed,
            "notice": notice,
            "done": request.query_params.get("done", ""),
        },
        status_code=status,
    )


@get("/desk/provider/calls", opt=PROVIDER, include_in_schema=False)
async def call_list(request: HTMXRequest) -> Template:
    return await _calls_page(request)


@post("/desk/provider/calls/{call_id:int}/bid", opt=PROVIDER, include_in_schema=False)
async def submit_bid(request: HTMXRequest, call_id: PathId) -> Response[Any]:
    """Submit the bid, or replace it (the use case replaces a bid sent before the
    deadline)."""
    actor = signed_in(request)
    lang = page_lang(request)
    posted = await _posted(request)
    call = await calls.read_call(actor, call_id)
    codes = [c.code for c in call.criteria]
    service = request.app.state.platform.host.services.get(call.service_code)
    raw: dict[str, Any] = {}
    if call.max_prices:  # a multi-part tariff: a price and a quantity of every part
        raw["prices"] = _posted_parts(posted, service, "prices.")
        raw["volumes"] = _posted_parts(posted, service, "volumes.")
    else:
        for name in ("unit_price", "volume"):
            value = _decimal(_one(posted, name))
            if value:
                raw[name] = value
    answers = {c: _one(posted, f"answers.{c}") for c in codes}
    raw["answers"] = {c: text for c, text in answers.items() if text}
    raw["note"] = _one(posted, "note")
    body, errors = forms.convert(BidIn, raw, lang)
    if not call.max_prices:  # the unit price and the volume are this form's required inputs
        for name in ("unit_price", "volume"):
            if name not in raw:
                errors.setdefault(name, texts(lang)["field_required"])
    if not errors:
        try:
            await calls.submit_bid(request.app.state.platform, actor, call_id, body)
        except NotFound:
            raise
        except DomainError as exc:
            errors = forms.domain_error(exc, lang)
        else:
            key = f"call-{call_id}"
            return Redirect(
                f"/desk/provider/calls?notice=submitted&done={key}#{key}", status_code=303
            )
    typed = {
        "unit_price": _one(posted, "unit_price"),
        "volume": _one(posted, "volume"),
        **{k: v[-1] for k, v in posted.items() if k.startswith(("prices.", "volumes."))},
        "note": _one(posted, "note"),
        **{f"answers.{c}": text for c, text in answers.items()},
    }
    beside = {k.replace("answers.", "answers-"): v for k, v in errors.items()}
    return await _calls_page(
        request,
        errors={f"call-{call_id}": beside},
        values={f"call-{call_id}": typed},
        status=400,
    )


@post("/desk/provider/bids/{bid_id:int}/withdraw", opt=PROVIDER, include_in_schema=False)
async def withdraw_bid(request: HTMXRequest, bid_id: PathId) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    bid = await calls.read_bid(actor, bid_id)
    key = f"call-{bid.call_id}"
    try:
        await calls.withdraw_bid(actor, bid_id)
    except NotFound:
        raise
    except DomainError as exc:
        return await _calls_page(
            request, errors={key: {"withdraw": forms.humane(str(exc), lang)}}, status=400
        )
    return Redirect(f"/desk/provider/calls?notice=withdrawn&done={key}#{key}", status_code=303)


HANDLERS = [
    profile,
    save_profile,
    offer_list,
    create_offer,
    update_offer,
    call_list,
    submit_bid,
    withdraw_bid,
]
