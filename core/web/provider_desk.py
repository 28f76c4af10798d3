"""The provider's desk: its contracts with the people assigned, recording deliveries on a
month grid (or a form generated from the service's delivery Struct), the month's sheet
with void, and its invoices (run, review, submit, the act and invoice PDFs).

Every read and write goes through the market use cases, which limit a provider to its
own records: another provider's contract is the 404 page. The page makes the idempotency
keys itself, so a form sent twice records once: ``desk:<request>:<day>`` for a cell of
the grid (with ``:<n>`` once ``n`` deliveries of that day were voided, so the day can be
recorded again), ``desk:<nonce>`` for the form, the nonce drawn when the form is shown.
Names of the people served are personal data: each page that shows them is an audited
read naming them.
"""

from __future__ import annotations

import calendar
import re
import secrets
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Response, get, post
from litestar.params import QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core import clock
from core.actor import Actor
from core.api.access import roles
from core.api.deps import PathId
from core.errors import DomainError
from core.form_fields import FormField, describe
from core.jobs import queue as job_queue
from core.jobs.builtin import INVOICE_RUN, InvoiceRunArgs, invoice_run_key
from core.service import Service, Text
from core.web import forms
from core.web.formats import day, money
from core.web.job_pages import TEXTS as JOB_TEXTS
from core.web.job_pages import job_view, visible_job
from core.web.layout import actor_of, page, page_lang
from core.web.texts import CONTRACT_STATUS, INVOICE_STATUS, Lang, label, texts
from core.workflow import audit
from core.workflow.market import assignments, contracts, deliveries, invoices
from core.workflow.market.assignments import AssignedPerson
from core.workflow.market.contracts import ContractOut
from core.workflow.market.deliveries import DeliveryIn, DeliveryRefused, VoidIn
from core.workflow.requests import FormInvalid

PROVIDER = roles("provider")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MonthParam = Annotated[str, QueryParameter(max_length=7)]
#: How many deliveries of a contract's month a page reads at most.
MONTH_LIMIT = 5000


def _actor(request: HTMXRequest) -> Actor:
    actor = actor_of(request)
    if actor is None:  # the access guard lets no anonymous request reach a desk page
        raise RuntimeError("desk page reached without a user")
    return actor


def _month(value: str | None) -> str:
    """``YYYY-MM`` as given, or this month."""
    if value and MONTH.match(value):
        return value
    return f"{clock.today():%Y-%m}"


def _days(month: str) -> list[date]:
    year, mon = int(month[:4]), int(month[5:])
    return [date(year, mon, d) for d in range(1, calendar.monthrange(year, mon)[1] + 1)]


def _months_around(month: str) -> tuple[str, str | None]:
    """The month before and (unless it is in the future) the month after ``month``."""
    first = date(int(month[:4]), int(month[5:]), 1)
    before = (first - timedelta(days=1)).replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    return f"{before:%Y-%m}", (f"{after:%Y-%m}" if after <= clock.today() else None)


async def _form(request: HTMXRequest) -> dict[str, list[str]]:
    data = await request.form()
    out: dict[str, list[str]] = {}
    for key, value in data.multi_items():
        if isinstance(value, str):
            out.setdefault(key, []).append(value)
    return out


def _first(posted: Mapping[str, list[str]], key: str) -> str:
    values = posted.get(key) or [""]
    return values[-1].strip()


def _title(service: Service | None, code: str, lang: Lang) -> str:
    return service.card.title.get(lang) if service else code


async def _audit_names(
    request: HTMXRequest, actor: Actor, subject_id: int | None, people: list[AssignedPerson]
) -> None:
    """Audit a page that names people served (a page naming nobody is not a read of
    personal data)."""
    if not people:
        return
    await audit.read(
        actor,
        "assignment.list",
        "contract",
        subject_id,
        {
            "route": f"{request.method} {request.url.path}",
            "citizen_ids": sorted({p.citizen_id for p in people if p.citizen_id is not None}),
        },
    )


def _contract_view(c: ContractOut, service: Service | None, lang: Lang) -> dict[str, Any]:
    t = texts(lang)
    unit = service.unit.get(lang) if service and service.unit else ""
    places = (
        t["places_of"].format(busy=c.active_assignments, capacity=c.capacity)
        if c.capacity
        else t["places_busy_free"].format(busy=c.active_assignments)
    )
    return {
        "id": c.id,
        "number": c.number,
        "service": _title(service, c.service_code, lang),
        "period": f"{day(c.period_start, lang)} – {day(c.period_end, lang)}",
        "status": label(CONTRACT_STATUS, lang, c.status),
        "active": c.status == "active",
        "volume_cap": f"{c.volume_cap.normalize():f} {unit}".strip(),
        "volume_left": f"{(c.volume_cap - c.used_volume).normalize():f} {unit}".strip(),
        "money_cap": money(c.money_cap, lang),
        "money_left": money(c.remaining_money, lang),
        "places": places,
    }


def _person_view(p: AssignedPerson, lang: Lang) -> dict[str, Any]:
    return {
        "request_id": p.request_id,
        "name": p.name or "—",
        "address": (
            p.address
            if p.settlement and p.settlement in p.address
            else ", ".join(x for x in (p.settlement, p.address) if x)
        )
        or "—",
        "since": day(p.assigned_on, lang),
        "journal": p.journal_number,
    }


# ---- contracts and the people served ----


@get("/desk/provider/contracts", opt=PROVIDER, include_in_schema=False)
async def contract_list(request: HTMXRequest) -> Template:
    actor = _actor(request)
    lang = page_lang(request)
    services = request.app.state.platform.host.services
    cards = []
    everyone: list[AssignedPerson] = []
    for c in await contracts.listing(actor, None, None):
        people = await assignments.of_contract(actor, c.id)
        everyone += people
        cards.append(
            {
                **_contract_view(c, services.get(c.service_code), lang),
                "people": [_person_view(p, lang) for p in people],
            }
        )
    await _audit_names(request, actor, None, everyone)
    return await page(
        request,
        "desk/provider_contracts.html",
        title=texts(lang)["provider_contracts"],
        context={"cards": cards},
    )


# ---- recording deliveries ----


def _delivery_fields(service: Service) -> list[FormField]:
    """The delivery Struct's fields; one without a label is shown by its name."""
    assert service.delivery is not None
    fields = describe(service.delivery, service.delivery_labels)
    return [_named(f) for f in fields]


def _named(field: FormField) -> FormField:
    changes: dict[str, Any] = {}
    if not field.label.uk and not field.label.en:
        changes["label"] = Text(field.name, field.name)
    if field.choices and any(not words.uk for _, words in field.choices):
        changes["choices"] = tuple((v, w if w.uk else Text(v, v)) for v, w in field.choices)
    if field.children:
        changes["children"] = tuple(_named(c) for c in field.children)
    return msgspec.structs.replace(field, **changes) if changes else field


def grid_fields(fields: list[FormField]) -> list[str] | None:
    """The names of the date fields a grid cell fills with its day, when every other field
    has a default (one delivery per person per day); None when a form is needed."""
    if any(f.required and f.kind != "date" for f in fields):
        return None
    return [f.name for f in fields if f.required]


def _offered(person: AssignedPerson, contract: ContractOut, days: list[date]) -> list[date]:
    first = deliveries.earliest_day(person.received_on, person.assigned_on, contract.period_start)
    last = min(clock.today(), contract.period_end)
    return [d for d in days if first <= d <= last]


def _grid_key(request_id: int, on: date, voided: int) -> str:
    return f"desk:{request_id}:{on.isoformat()}" + (f":{voided}" if voided else "")


async def _month_deliveries(
    actor: Actor, contract_id: int | None, month: str
) -> list[deliveries.DeliveryOut]:
    found = await deliveries.listing(
        actor,
        contract_id=contract_id,
        period=month,
        status=None,
        page=1,
        page_size=MONTH_LIMIT,
    )
    return found.items


def _refusal(exc: Exception, lang: Lang) -> str:
    if isinstance(exc, DeliveryRefused):
        return " ".join(f.message.get(lang) for f in exc.findings)
    if isinstance(exc, FormInvalid):
        return "; ".join(f"{e.key}: {forms.humane(str(e.message), lang)}" for e in exc.errors)
    return forms.humane(str(exc), lang)


async def _record_page(
    request: HTMXRequest,
    contract_id: int,
    month: str | None,
    *,
    refused: dict[str, str] | None = None,
    ticked: set[str] | None = None,
    form_errors: dict[str, str] | None = None,
    form_values: dict[str, Any] | None = None,
    notice: str = "",
    code: int = 200,
) -> Template:
    actor = _actor(request)
    lang = page_lang(request)
    t = texts(lang)
    platform = request.app.state.platform
    contract = await contracts.read(actor, contract_id)
    service = await platform.service(actor.municipality_id, contract.service_code)
    chosen = _month(month)
    days = _days(chosen)
    people = await assignments.of_contract(actor, contract_id)
    await _audit_names(request, actor, contract_id, people)
    fields = _delivery_fields(service)
    on_grid = grid_fields(fields)
    recorded: dict[str, int] = {}
    for done in await _month_deliveries(actor, contract_id, chosen):
        if done.status == "recorded":
            cell = f"{done.request_id}:{done.delivered_on.isoformat()}"
            recorded[cell] = recorded.get(cell, 0) + 1
    refused = refused or {}
    ticked = ticked or set()
    rows = []
    for p in people:
        offered = set(_offered(p, contract, days))
        cells = []
        for d in days:
            cell = f"{p.request_id}:{d.isoformat()}"
            cells.append(
                {
                    "value": cell,
                    "id": f"cell-{p.request_id}-{d.day}",
                    "day": d.day,
                    "date": day(d, lang),
                    "state": "done" if recorded.get(cell) else ("open" if d in offered else "off"),
                    "ticked": cell in ticked,
                    "error": refused.get(cell, ""),
                }
            )
        rows.append({**_person_view(p, lang), "cells": cells, "offered": bool(offered)})
    before, after = _months_around(chosen)
    today = clock.today()
    return await page(
        request,
        "desk/provider_record.html",
        title=f"{t['record_deliveries']}: {contract.number}",
        context={
            "contract": _contract_view(contract, service, lang),
            "month": chosen,
            "before": before,
            "after": after,
            "grid": on_grid is not None,
            "rows": rows,
            "any_open": any(c["state"] == "open" for r in rows for c in r["cells"]),
            "refused_count": len(refused),
            "notice": notice,
            "fields": fields,
            "form_errors": form_errors or {},
            "form_values": form_values or {"nonce": secrets.token_hex(16)},
            "people_options": [
                (r["request_id"], f"{r['name']} · {r['journal']}") for r in rows if r["offered"]
            ],
            "today_iso": today.isoformat(),
        },
        status_code=code,
        keep={"month": chosen},
    )


@get("/desk/provider/contracts/{contract_id:int}/deliveries", opt=PROVIDER, include_in_schema=False)
async def record_page(
    request: HTMXRequest, contract_id: PathId, month: MonthParam = ""
) -> Template:
    t = texts(page_lang(request))
    made = request.query_params.get("made")
    again = request.query_params.get("again")
    notice = ""
    if made is not None and again is not None and made.isdigit() and again.isdigit():
        notice = t["grid_done"].format(made=made, again=again)
    elif request.query_params.get("done") == "1":
        notice = t["delivery_done"]
    elif request.query_params.get("done") == "again":
        notice = t["delivery_again"]
    return await _record_page(request, contract_id, month, notice=notice)


@post(
    "/desk/provider/contracts/{contract_id:int}/deliveries", opt=PROVIDER, include_in_schema=False
)
async def record_grid(request: HTMXRequest, contract_id: PathId) -> Response[Any]:
    """Record every ticked cell of the grid; each refusal is shown beside its day."""
    actor = _actor(request)
    lang = page_lang(request)
    t = texts(lang)
    platform = request.app.state.platform
    posted = await _form(request)
    month = _month(_first(posted, "month"))
    contract = await contracts.read(actor, contract_id)
    service = await platform.service(actor.municipality_id, contract.service_code)
    dated = grid_fields(_delivery_fields(service))
    if dated is None:
        return Redirect(
            f"/desk/provider/contracts/{contract_id}/deliveries?month={month}", status_code=303
        )
    people = {p.request_id: p for p in await assignments.of_contract(actor, contract_id)}
    voided: dict[str, int] = {}
    for d in await _month_deliveries(actor, contract_id, month):
        if d.status == "voided":
            cell = f"{d.request_id}:{d.delivered_on.isoformat()}"
            voided[cell] = voided.get(cell, 0) + 1
    days = _days(month)
    refused: dict[str, str] = {}
    made = again = 0
    ticked = set(dict.fromkeys(posted.get("cell", [])))
    for cell in sorted(ticked):
        head, _, tail = cell.partition(":")
        person = people.get(int(head)) if head.isdigit() else None
        try:
            on = date.fromisoformat(tail)
        except ValueError:
            continue
        if person is None or on not in _offered(person, contract, days):
            refused[cell] = t["grid_day_closed"]
            continue
        body = DeliveryIn(
            request_id=person.request_id,
            delivered_on=on,
            idempotency_key=_grid_key(person.request_id, on, voided.get(cell, 0)),
            data={name: on.isoformat() for name in dated},
            contract_id=contract_id,
        )
        try:
            _, created = await deliveries.record(platform, actor, body)
        except (DeliveryRefused, FormInvalid, DomainError) as exc:
            refused[cell] = _refusal(exc, lang)
            continue
        made += int(created)
        again += int(not created)
    if refused:
        notice = t["grid_done"].format(made=made, again=again)
        return await _record_page(
            request,
            contract_id,
            month,
            refused=refused,
            ticked=set(refused),
            notice=notice,
            code=400,
        )
    return Redirect(
        f"/desk/provider/contracts/{contract_id}/deliveries?month={month}&made={made}"
        f"&again={again}",
        status_code=303,
    )


@post(
    "/desk/provider/contracts/{contract_id:int}/deliveries/one",
    opt=PROVIDER,
    include_in_schema=False,
)
async def record_one(request: HTMXRequest, contract_id: PathId) -> Response[Any]:
    """One delivery from the form generated from the service's delivery Struct."""
    actor = _actor(request)
    lang = page_lang(request)
    t = texts(lang)
    platform = request.app.state.platform
    posted = await _form(request)
    month = _month(_first(posted, "month"))
    contract = await contracts.read(actor, contract_id)
    service = await platform.service(actor.municipality_id, contract.service_code)
    assert service.delivery is not None
    fields = _delivery_fields(service)
    nonce = _first(posted, "nonce")
    if not re.fullmatch(r"[0-9a-f]{32}", nonce):
        nonce = secrets.token_hex(16)
    values = {**forms.values_of(posted), "nonce": nonce}
    errors: dict[str, str] = {}
    people = {p.request_id: p for p in await assignments.of_contract(actor, contract_id)}
    chosen = _first(posted, "request_id")
    person = people.get(int(chosen)) if chosen.isdigit() else None
    if person is None:
        errors["request_id"] = t["choose_person"]
    on: date | None = None
    try:
        on = date.fromisoformat(_first(posted, "delivered_on"))
    except ValueError:
        errors["delivered_on"] = t["field_date"]
    raw = forms.parse(fields, {k[5:]: v for k, v in posted.items() if k.startswith("data.")})
    delivery, problems = forms.convert(service.delivery, raw, lang)
    errors.update({f"data.{k}": v for k, v in problems.items()})
    if not errors and person is not None and on is not None:
        body = DeliveryIn(
            request_id=person.request_id,
            delivered_on=on,
            idempotency_key=f"desk:{nonce}",
            data=msgspec.to_builtins(delivery),
            contract_id=contract_id,
        )
        try:
            _, created = await deliveries.record(platform, actor, body)
        except FormInvalid as exc:
            errors.update({e.key: forms.humane(str(e.message), lang) for e in exc.errors})
        except (DeliveryRefused, DomainError) as exc:
            errors["form"] = _refusal(exc, lang)
        else:
            done = "1" if created else "again"
            return Redirect(
                f"/desk/provider/contracts/{contract_id}/deliveries?month={month}&done={done}",
                status_code=303,
            )
    return await _record_page(
        request, contract_id, month, form_errors=errors, form_values=values, code=400
    )


# ---- the month's sheet ----


async def _sheet_page(
    request: HTMXRequest,
    month: str | None,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    code: int = 200,
) -> Template:
    actor = _actor(request)
    lang = page_lang(request)
    t = texts(lang)
    services = request.app.state.platform.host.services
    chosen = _month(month)
    sheets = []
    everyone: list[AssignedPerson] = []
    for c in await contracts.listing(actor, None, None):
        rows = await _month_deliveries(actor, c.id, chosen)
        if not rows:
            continue
        people = await assignments.of_contract(actor, c.id, ended=True)
        everyone += people
        names = {p.request_id: p.name or p.journal_number for p in people}
        sheets.append(
            {
                "number": c.number,
                "service": _title(services.get(c.service_code), c.service_code, lang),
                "total": money(
                    sum((d.amount for d in rows if d.status == "recorded"), Decimal(0)), lang
                ),
                "rows": [
                    {
                        "id": d.id,
                        "key": f"delivery-{d.id}",
                        "date": day(d.delivered_on, lang),
                        "name": names.get(d.request_id, str(d.request_id)),
                        "quantity": f"{d.quantity.normalize():f}",
                        "amount": money(d.amount, lang),
                        "status": t[f"delivery_status_{d.status}"],
                        "void_reason": d.void_reason,
                        "invoiced": d.invoiced,
                        "voidable": d.status == "recorded" and not d.invoiced,
                    }
                    for d in sorted(rows, key=lambda d: (d.delivered_on, d.id))
                ],
            }
        )
    await _audit_names(request, actor, None, everyone)
    before, after = _months_around(chosen)
    return await page(
        request,
        "desk/provider_sheet.html",
        title=t["provider_deliveries"],
        context={
            "month": chosen,
            "before": before,
            "after": after,
            "sheets": sheets,
            "errors": errors or {},
            "values": values or {},
            "done": request.query_params.get("done", ""),
        },
        status_code=code,
        keep={"month": chosen},
    )


@get("/desk/provider/deliveries", opt=PROVIDER, include_in_schema=False)
async def sheet(request: HTMXRequest, month: MonthParam = "") -> Template:
    return await _sheet_page(request, month)


@post("/desk/provider/deliveries/{delivery_id:int}/void", opt=PROVIDER, include_in_schema=False)
async def void(request: HTMXRequest, delivery_id: PathId) -> Response[Any]:
    actor = _actor(request)
    lang = page_lang(request)
    posted = await _form(request)
    month = _month(_first(posted, "month"))
    key = f"delivery-{delivery_id}"
    reason = _first(posted, "reason")
    error = ""
    if len(reason) < 3:
        error = texts(lang)["reason_needed"]
    else:
        try:
            await deliveries.void(actor, delivery_id, VoidIn(reason=reason[:2000]))
        except DomainError as exc:
            error = forms.humane(str(exc), lang)
    if error:
        return await _sheet_page(
            request,
            month,
            errors={key: error},
            values={"for": key, "reason": reason},
            code=400,
        )
    return Redirect(f"/desk/provider/deliveries?month={month}&done={key}", status_code=303)


# ---- invoices ----


async def _invoices_page(
    request: HTMXRequest,
    month: str | None,
    *,
    errors: dict[str, str] | None = None,
    code: int = 200,
) -> Template:
    actor = _actor(request)
    lang = page_lang(request)
    t = texts(lang)
    listed = await invoices.listing(actor, status=None, period=None, contract_id=None)
    rows = [
        {
            "id": i.id,
            "key": f"invoice-{i.id}",
            "number": i.number,
            "contract": i.contract_number,
            "period": i.period,
            "total": money(i.total, lang),
            "deliveries": i.deliveries,
            "status": label(INVOICE_STATUS, lang, i.status),
            "raw_status": i.status,
            "rejected_reason": i.rejected_reason,
            "paid_on": day(i.paid_on, lang) if i.paid_on else "",
            "reference": i.payment_reference,
            "lines": [
                {
                    "service": line.service_en if lang == "en" else line.service_uk,
                    "unit": line.unit_en if lang == "en" else line.unit_uk,
                    "quantity": f"{line.quantity.normalize():f}",
                    "unit_price": money(line.unit_price, lang) if line.unit_price else "",
                    "amount": money(line.amount, lang),
                    "deliveries": line.deliveries,
                }
                for line in i.lines
            ],
        }
        for i in sorted(listed, key=lambda i: i.id, reverse=True)
    ]
    job = None
    job_id = request.query_params.get("job", "")
    if job_id.isdigit():
        try:
            found = await visible_job(actor, int(job_id))
        except DomainError:
            found = None
        if found is not None:
            job = job_view(request, found, f"/desk/provider/invoices?month={_month(month)}")
    ran = request.query_params.get("ran", "")
    done = request.query_params.get("done", "")
    notice = ""
    if ran.isdigit():
        notice = t["run_done"].format(n=ran) if int(ran) else t["run_none"]
    elif done == "submitted":
        notice = t["submit_done"]
    return await page(
        request,
        "desk/provider_invoices.html",
        title=t["provider_invoices"],
        context={
            "month": _month(month),
            "rows": rows,
            "errors": errors or {},
            "notice": notice,
            "job": job,
            "jt": JOB_TEXTS[lang],
        },
        status_code=code,
    )


@get("/desk/provider/invoices", opt=PROVIDER, include_in_schema=False)
async def invoice_list(request: HTMXRequest, month: MonthParam = "") -> Template:
    return await _invoices_page(request, month)


@post("/desk/provider/invoices/run", opt=PROVIDER, include_in_schema=False)
async def run(request: HTMXRequest) -> Response[Any]:
    actor = _actor(request)
    lang = page_lang(request)
    posted = await _form(request)
    month = _first(posted, "month")
    if not MONTH.match(month):
        return await _invoices_page(
            request, month, errors={"month": texts(lang)["field_format"]}, code=400
        )
    # A job: the page shows its progress (docs/jobs.md); a second click while it runs
    # shows the same job.
    job_id, _ = await job_queue.enqueue(
        request.app.state.platform,
        INVOICE_RUN,
        InvoiceRunArgs(period=month),
        key=invoice_run_key(actor.municipality_id, actor.provider_id, month),
        municipality_id=actor.municipality_id,
        user_id=actor.id,
    )
    return Redirect(f"/desk/provider/invoices?month={month}&job={job_id}", status_code=303)


@post("/desk/provider/invoices/{invoice_id:int}/submit", opt=PROVIDER, include_in_schema=False)
async def submit(request: HTMXRequest, invoice_id: PathId) -> Response[Any]:
    actor = _actor(request)
    lang = page_lang(request)
    try:
        await invoices.submit(request.app.state.platform, actor, invoice_id)
    except DomainError as exc:
        return await _invoices_page(
            request, None, errors={f"invoice-{invoice_id}": forms.humane(str(exc), lang)}, code=400
        )
    return Redirect("/desk/provider/invoices?done=submitted", status_code=303)


HANDLERS = [
    contract_list,
    record_page,
    record_grid,
    record_one,
    sheet,
    void,
    invoice_list,
    run,
    submit,
]
