"""The accountant's desk: budget lines, invoices to approve and pay, lump sums to pay,
the payment register and the spending report.

Everything goes through the billing use cases, so the four-eyes rule, the budget checks
and the audit rows are the API's. The submitter of an invoice sees its approve button
disabled with the reason, rather than a refusal after clicking.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from litestar import Response, get, post
from litestar.params import QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core import clock
from core.actor import Actor
from core.api.access import roles
from core.api.deps import PathId
from core.db.tables import User
from core.errors import DomainError
from core.web import forms
from core.web.formats import day, money
from core.web.layout import page, page_lang, signed_in
from core.web.texts import INVOICE_STATUS, Lang, label, texts
from core.workflow import audit
from core.workflow.market import budget, invoices, payouts
from core.workflow.market import reports as market_reports
from core.workflow.market.invoices import PayIn, RejectIn
from core.workflow.market.payouts import PayoutPayIn

ACCOUNTS = roles("accountant")
READ = roles("accountant", "admin", "auditor")
INVOICE_STATUSES = ("submitted", "approved", "paid", "rejected", "draft")


def _share(part: Decimal, whole: Decimal) -> int:
    """A whole percentage for a bar, 0..100."""
    if whole <= 0:
        return 0
    return max(0, min(100, int(part * 100 / whole)))


async def _budget_rows(actor: Actor, lang: Lang) -> list[dict[str, Any]]:
    return [
        {
            "id": b.id,
            "name": b.name,
            "codes": f"{b.programme_code} / {b.economic_code}",
            "year": b.year,
            "allocated": money(b.allocated, lang),
            "committed": money(b.committed, lang),
            "invoiced": money(b.invoiced, lang),
            "paid": money(b.paid, lang),
            "remaining": money(b.remaining, lang),
            "paid_share": _share(b.paid, b.allocated),
            "committed_share": _share(b.committed, b.allocated),
        }
        for b in await budget.figures(actor.municipality_id)
    ]


@get("/desk/accounts/budget", opt=READ, include_in_schema=False)
async def budget_page(request: HTMXRequest) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    return await page(
        request,
        "desk/accounts_budget.html",
        title=texts(lang)["budget_lines"],
        context={"lines": await _budget_rows(actor, lang)},
    )


async def _usernames(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await User.select(User.id, User.username, User.full_name).where(User.id.is_in(list(ids)))
    return {r["id"]: r["full_name"] or r["username"] for r in rows}


async def _invoices_page(
    request: HTMXRequest,
    status: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    code: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    listed = await invoices.listing(actor, status=status or None, period=None, contract_id=None)
    names = await _usernames({i.submitted_by for i in listed if i.submitted_by is not None})
    rows = [
        {
            "id": i.id,
            "number": i.number,
            "provider": i.provider_name,
            "contract": i.contract_number,
            "period": i.period,
            "total": money(i.total, lang),
            "status": label(INVOICE_STATUS, lang, i.status),
            "raw_status": i.status,
            "submitted_by": names.get(i.submitted_by or 0, "—"),
            "own": i.submitted_by == actor.id,
            "rejected_reason": i.rejected_reason,
            "paid_on": day(i.paid_on, lang) if i.paid_on else "",
            "reference": i.payment_reference,
        }
        for i in listed
    ]
    return await page(
        request,
        "desk/accounts_invoices.html",
        title=t["invoices"],
        context={
            "rows": rows,
            "status": status,
            "statuses": [(s, label(INVOICE_STATUS, lang, s)) for s in INVOICE_STATUSES],
            "errors": errors or {},
            "values": values or {},
            "today_iso": clock.today().isoformat(),
            "done": request.query_params.get("done", ""),
            "can_act": actor.role == "accountant",
        },
        status_code=code,
    )


@get("/desk/accounts/invoices", opt=READ, include_in_schema=False)
async def invoice_list(
    request: HTMXRequest, status: Annotated[str, QueryParameter(max_length=20)] = "submitted"
) -> Template:
    if status and status not in INVOICE_STATUSES:
        status = "submitted"
    return await _invoices_page(request, status)


async def _form(request: HTMXRequest) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


async def _act(
    request: HTMXRequest, invoice_id: int, action: str, posted: dict[str, str]
) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    platform = request.app.state.platform
    key = f"invoice-{invoice_id}"
    errors: dict[str, str] = {}
    try:
        if action == "approve":
            await invoices.approve(platform, actor, invoice_id)
        elif action == "reject":
            reason = posted.get("reason", "").strip()
            if len(reason) < 3:
                errors[key] = t["reason_needed"]
            else:
                await invoices.reject(platform, actor, invoice_id, RejectIn(reason=reason))
        elif action == "pay":
            body, problems = forms.convert(
                PayIn,
                {
                    k: v
                    for k, v in {
                        "paid_on": posted.get("paid_on", ""),
                        "reference": posted.get("reference", "").strip(),
                    }.items()
                    if v
                },
                lang,
            )
            if problems:
                errors[key] = next(iter(problems.values()))
            else:
                await invoices.pay(platform, actor, invoice_id, body)
    except DomainError as exc:
        errors[key] = forms.humane(str(exc), lang)
    status = posted.get("status", "submitted")
    if errors:
        return await _invoices_page(
            request, status, errors=errors, values={**posted, "for": key}, code=400
        )
    return Redirect(f"/desk/accounts/invoices?status={status}&done={key}", status_code=303)


@post("/desk/accounts/invoices/{invoice_id:int}/approve", opt=ACCOUNTS, include_in_schema=False)
async def approve(request: HTMXRequest, invoice_id: PathId) -> Response[Any]:
    return await _act(request, invoice_id, "approve", await _form(request))


@post("/desk/accounts/invoices/{invoice_id:int}/reject", opt=ACCOUNTS, include_in_schema=False)
async def reject(request: HTMXRequest, invoice_id: PathId) -> Response[Any]:
    return await _act(request, invoice_id, "reject", await _form(request))


@post("/desk/accounts/invoices/{invoice_id:int}/pay", opt=ACCOUNTS, include_in_schema=False)
async def pay(request: HTMXRequest, invoice_id: PathId) -> Response[Any]:
    return await _act(request, invoice_id, "pay", await _form(request))


async def _payouts_page(
    request: HTMXRequest,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    code: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    platform = request.app.state.platform
    titles = {s.code: s.card.title.get(lang) for s in platform.host.services.values()}
    due = await payouts.listing(actor, "due")
    await audit.read(
        actor,
        "payout.list",
        "payout",
        None,
        {"route": f"GET {request.url.path}", "citizen_ids": sorted({p.citizen_id for p in due})},
    )
    rows = [
        {
            "id": p.id,
            "payee": p.payee_name,
            "service": titles.get(p.service_code, p.service_code),
            "period": p.period,
            "iban": p.iban,
            "amount": money(p.amount, lang),
            "due_since": day(p.due_since, lang),
            "needs_line": p.budget_line_id is None,
        }
        for p in due
    ]
    lines = [
        (b.id, f"{b.name} ({b.programme_code}/{b.economic_code})")
        for b in await budget.figures(actor.municipality_id)
    ]
    return await page(
        request,
        "desk/accounts_payouts.html",
        title=t["payouts"],
        context={
            "rows": rows,
            "lines": lines,
            "errors": errors or {},
            "values": values or {},
            "today_iso": clock.today().isoformat(),
            "done": request.query_params.get("done", ""),
        },
        status_code=code,
    )


@get("/desk/accounts/payouts", opt=ACCOUNTS, include_in_schema=False)
async def payout_list(request: HTMXRequest) -> Template:
    return await _payouts_page(request)


@post("/desk/accounts/payouts/{payout_id:int}/pay", opt=ACCOUNTS, include_in_schema=False)
async def pay_payout(request: HTMXRequest, payout_id: PathId) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    posted = await _form(request)
    key = f"payout-{payout_id}"
    raw = {
        "paid_on": posted.get("paid_on", ""),
        "reference": posted.get("reference", "").strip(),
        "budget_line_id": posted.get("budget_line_id", ""),
    }
    body, problems = forms.convert(PayoutPayIn, {k: v for k, v in raw.items() if v}, lang)
    errors: dict[str, str] = {}
    if problems:
        errors[key] = next(iter(problems.values()))
    else:
        try:
            await payouts.pay(actor, payout_id, body)
        except DomainError as exc:
            errors[key] = forms.humane(str(exc), lang)
    if errors:
        return await _payouts_page(request, errors=errors, values={**posted, "for": key}, code=400)
    return Redirect(f"/desk/accounts/payouts?done={key}", status_code=303)


@get("/desk/accounts/reports", opt=READ, include_in_schema=False)
async def reports(
    request: HTMXRequest,
    year: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
    by: Annotated[str, QueryParameter(max_length=20)] = "budget_line",
) -> Template:
    """The payment register of a month (CSV, XLSX) and the spending of a year."""
    actor = signed_in(request)
    lang = page_lang(request)
    t = texts(lang)
    today = clock.today()
    chosen_year = year or today.year
    groups = ("budget_line", "service", "provider", "month")
    if by not in groups:
        by = "budget_line"
    spending = await market_reports.spending(actor, chosen_year, by)  # type: ignore[arg-type]
    months = []
    year_, month_ = today.year, today.month
    for _ in range(12):
        months.append(f"{year_:04d}-{month_:02d}")
        year_, month_ = (year_ - 1, 12) if month_ == 1 else (year_, month_ - 1)
    return await page(
        request,
        "desk/accounts_reports.html",
        title=t["reports"],
        context={
            "months": months,
            "year": chosen_year,
            "years": list(range(today.year, today.year - 5, -1)),
            "by": by,
            "groups": [(g, t[f"by_{g}"]) for g in groups],
            "spending": [
                {
                    "label": row.label,
                    "approved": money(row.approved, lang),
                    "paid": money(row.paid, lang),
                    "total": money(row.total, lang),
                }
                for row in spending
            ],
        },
    )


HANDLERS = [
    budget_page,
    invoice_list,
    approve,
    reject,
    pay,
    payout_list,
    pay_payout,
    reports,
]
