"""Desk pages of the housing subsidy, mounted by the host at ``/desk/ext/subsidies/`` (the
``register_pages`` hook): stored households with their members and incomes, the
calculation with its full trace, the assignments, and the month's payment run. They call
the same use cases as the API; every read of personal data is audited here, as the
host's declaration audits the API's."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from litestar import Response, get, post
from litestar.params import QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.sdk import (
    JOB_TEXTS,
    DomainError,
    MenuEntry,
    PathId,
    PluginPages,
    Text,
    audit,
    clock,
    forms,
    job_queue,
    job_view,
    mount_point,
    page,
    page_lang,
    signed_in,
    texts,
    visible_job,
)
from core.sdk import day_text as day
from core.sdk import money_text as money
from plugins.subsidies import assign, households, pay_job
from plugins.subsidies.labels import FORM
from plugins.subsidies.routes import ASSIGNMENT, HISTORY, HOUSEHOLD, PAY, READ, _calculate
from plugins.subsidies.schemas import PayIn

BASE = mount_point("subsidies")
PAGE_SIZE = 50
MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")

TEXTS: dict[str, dict[str, str]] = {
    "uk": {
        "households": "Домогосподарства (субсидії)",
        "household": "Домогосподарство № {id}",
        "assignments": "Призначені субсидії",
        "pay": "Виплати за місяць",
        "applicant": "Заявник (номер особи)",
        "members": "Члени домогосподарства",
        "area": "Загальна площа, м²",
        "tenure": "Право на житло",
        "none": "Нічого не знайдено.",
        "found": "Знайдено: {n}",
        "name": "ПІБ",
        "born": "Дата народження",
        "incomes": "Доходи",
        "no_incomes": "доходів немає",
        "quarter": "{year}, {q} квартал",
        "utilities": "Послуги",
        "charge": "Нарахування за місяць",
        "calculation": "Розрахунок субсидії",
        "on": "Дата звернення",
        "on_help": "Порожньо — сьогодні",
        "recalculate": "Розрахувати",
        "step": "Показник",
        "formula": "Як обчислено",
        "value": "Значення",
        "mandatory_percent": "Обов'язкова частка, %",
        "payable": "Субсидія на місяць",
        "period": "Період",
        "months": "Помісячно",
        "request": "Звернення",
        "channel": "Спосіб виплати",
        "status": "Стан",
        "monthly": "На місяць",
        "month": "Місяць (РРРР-ММ)",
        "month_help": "Напр. 2026-11",
        "run": "Записати виплати",
    },
    "en": {
        "households": "Households (subsidies)",
        "household": "Household No. {id}",
        "assignments": "Assigned subsidies",
        "pay": "The month's payments",
        "applicant": "Applicant (record number)",
        "members": "Members of the household",
        "area": "Total area, m²",
        "tenure": "Tenure",
        "none": "Nothing found.",
        "found": "Found: {n}",
        "name": "Name",
        "born": "Date of birth",
        "incomes": "Incomes",
        "no_incomes": "no incomes",
        "quarter": "{year}, quarter {q}",
        "utilities": "Utilities",
        "charge": "Monthly charge",
        "calculation": "Subsidy calculation",
        "on": "Application date",
        "on_help": "Empty — today",
        "recalculate": "Calculate",
        "step": "Figure",
        "formula": "How it was got",
        "value": "Value",
        "mandatory_percent": "Mandatory share, %",
        "payable": "Subsidy a month",
        "period": "Period",
        "months": "By month",
        "request": "Request",
        "channel": "Paid",
        "status": "Status",
        "monthly": "A month",
        "month": "Month (YYYY-MM)",
        "month_help": "E.g. 2026-11",
        "run": "Record the payments",
    },
}

MENU = [
    MenuEntry(
        label=Text("Субсидії: домогосподарства", "Subsidies: households"),
        path="/households",
        roles=READ["roles"],
    ),
    MenuEntry(
        label=Text("Субсидії: призначення", "Subsidies: assignments"),
        path="/assignments",
        roles=HISTORY["roles"],
    ),
    MenuEntry(
        label=Text("Субсидії: виплати", "Subsidies: payments"), path="/pay", roles=PAY["roles"]
    ),
]


def _choice(lang: str) -> Any:
    """A coded value in words, from the application form's labels (the code if none)."""

    def words(field: str, value: Any) -> str:
        known = FORM.get(field)
        text = known.choices.get(str(value)) if known else None
        return text.get(lang) if text else str(value)

    return words


def _route(request: HTMXRequest) -> str:
    return f"GET {request.url.path}"


@get("/households", opt=READ)
async def household_list(
    request: HTMXRequest,
    page_number: Annotated[int, QueryParameter(name="page", ge=1, le=100_000)] = 1,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    h = TEXTS[lang]
    found = await households.listing(actor, citizen_id=None, page=page_number, page_size=PAGE_SIZE)
    await audit.read(
        actor,
        "subsidies.household.list",
        HOUSEHOLD,
        None,
        {"route": _route(request), "citizen_ids": [r.applicant_citizen_id for r in found.items]},
    )
    return await page(
        request,
        "subsidies/households.html",
        title=h["households"],
        context={
            "h": h,
            "base": BASE,
            "rows": found.items,
            "total": found.total,
            "choice": _choice(lang),
        },
    )


@get("/households/{household_id:int}", opt=READ)
async def household_page(
    request: HTMXRequest,
    household_id: PathId,
    on: Annotated[str, QueryParameter(max_length=20)] = "",
) -> Template:
    """The household as stored and its calculation with every step of the trace."""
    actor = signed_in(request)
    lang = page_lang(request)
    h = TEXTS[lang]
    body = await households.read(actor, household_id)
    errors: dict[str, str] = {}
    applied_on = clock.today()
    if on.strip():
        try:
            applied_on = date.fromisoformat(on.strip())
        except ValueError:
            errors = {"on": texts(lang)["field_date"]}
    calculation = None
    if not errors:
        try:
            calculation = await _calculate(request, actor.municipality_id, body, applied_on)
        except DomainError as exc:
            errors = {"on": forms.humane(str(exc), lang)}
    people = [body.applicant_citizen_id, *(m.citizen_id for m in body.members if m.citizen_id)]
    await audit.read(
        actor,
        "subsidies.household.read",
        HOUSEHOLD,
        household_id,
        {"route": _route(request), "citizen_ids": people},
    )
    return await page(
        request,
        "subsidies/household.html",
        title=h["household"].format(id=household_id),
        context={
            "h": h,
            "base": BASE,
            "household": body,
            "c": calculation,
            "on": on,
            "errors": errors,
            "day": lambda d: day(d, lang),
            "money": lambda a: money(a, lang),
            "choice": _choice(lang),
        },
        status_code=400 if errors else 200,
    )


@get("/assignments", opt=HISTORY)
async def assignment_list(
    request: HTMXRequest,
    page_number: Annotated[int, QueryParameter(name="page", ge=1, le=100_000)] = 1,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    h = TEXTS[lang]
    found = await assign.history(
        actor,
        household_id=None,
        citizen_id=None,
        request_id=None,
        page=page_number,
        page_size=PAGE_SIZE,
    )
    await audit.read(
        actor,
        "subsidies.assignment.list",
        ASSIGNMENT,
        None,
        {"route": _route(request), "citizen_ids": [r.citizen_id for r in found.items]},
    )
    return await page(
        request,
        "subsidies/assignments.html",
        title=h["assignments"],
        context={
            "h": h,
            "rows": found.items,
            "total": found.total,
            "day": lambda d: day(d, lang),
            "money": lambda a: money(a, lang),
        },
    )


async def _pay_page(
    request: HTMXRequest,
    values: dict[str, str],
    errors: dict[str, str],
    job: Any = None,
    status: int = 200,
) -> Template:
    lang = page_lang(request)
    h = TEXTS[lang]
    return await page(
        request,
        "subsidies/pay.html",
        title=h["pay"],
        context={
            "h": h,
            "base": BASE,
            "values": values,
            "errors": errors,
            "job": job,
            "jt": JOB_TEXTS[lang],
        },
        status_code=status,
    )


@get("/pay", opt=PAY)
async def pay_form(request: HTMXRequest) -> Template:
    """The run's form and, after a start (``?job=``), its progress (docs/jobs.md)."""
    actor = signed_in(request)
    month = request.query_params.get("month", "")
    if not MONTH.match(month):
        month = clock.today().strftime("%Y-%m")
    job = None
    job_id = request.query_params.get("job", "")
    if job_id.isdigit():
        try:
            found = await visible_job(actor, int(job_id))
        except DomainError:
            found = None
        if found is not None:
            job = job_view(request, found, f"{BASE}/pay?month={month}")
    return await _pay_page(request, {"month": month}, {}, job=job)


@post("/pay", opt=PAY)
async def pay_run(request: HTMXRequest) -> Response[Any]:
    """Start the month's pay run as a job (a second click while it runs shows the same
    job); the page then shows its progress."""
    actor = signed_in(request)
    lang = page_lang(request)
    data = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    values = {"month": data.get("month", "").strip()}
    raw = {"month": values["month"]} if values["month"] else {}
    body, errors = forms.convert(PayIn, raw, lang)
    if errors:
        return await _pay_page(request, values, errors, status=400)
    try:
        pay_job.check_month(body.month)
    except DomainError as exc:
        found = forms.domain_error(exc, lang)
        return await _pay_page(request, values, found, status=400)
    job_id, _ = await job_queue.enqueue(
        request.app.state.platform,
        pay_job.NAME,
        pay_job.PayMonthArgs(month=body.month),
        key=pay_job.pay_run_key(actor.municipality_id, body.month),
        municipality_id=actor.municipality_id,
        user_id=actor.id,
    )
    return Redirect(f"{BASE}/pay?month={body.month}&job={job_id}", status_code=303)


HANDLERS = [household_list, household_page, assignment_list, pay_form, pay_run]


def pages() -> PluginPages:
    return PluginPages(
        handlers=list(HANDLERS), menu=list(MENU), templates=str(Path(__file__).parent / "templates")
    )
