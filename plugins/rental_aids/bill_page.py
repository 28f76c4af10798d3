"""The rental point's month billing as a desk page (``/desk/ext/rental_aids/billing``):
choose a month (last month by default), see what its run would record — each loan's
item-days at the contract's price, the cleanings, the credits of late returns — beside
what earlier runs recorded, run it, and follow the month's invoice once the provider has
made one. The preview and the run are :func:`plugins.rental_aids.bill.preview` and
:func:`~plugins.rental_aids.bill.bill_month`, the same the API's ``/billing/run`` calls;
a second run records nothing twice and says the month is billed already."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from litestar import Response, get, post
from litestar.params import QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.sdk import DomainError, Lang, clock, forms, invoices, page, page_lang, signed_in
from core.sdk import money_text as money
from plugins.rental_aids import bill
from plugins.rental_aids.billing import MONTH
from plugins.rental_aids.pages import BASE, TEXTS
from plugins.rental_aids.routes import BILL
from plugins.rental_aids.schemas import BillPreview, BillProblem

MonthParam = Annotated[str, QueryParameter(max_length=7)]

BILL_TEXTS: dict[str, dict[str, str]] = {
    "uk": {
        "title": "Пункт прокату: рахунок за місяць",
        "month": "Місяць",
        "month_help": "Рік і місяць, наприклад 2026-01; типово — минулий місяць",
        "show": "Показати",
        "month_format": "Місяць: вкажіть рік і місяць у вигляді РРРР-ММ",
        "nothing": "Місяць: за {month} немає чого виставити — жоден предмет не був на прокаті",
        "nothing_pending": "Місяць: за {month} ще немає чого виставити — предмети на прокаті "
        "({n}), їхні дні виставляють, коли місяць мине",
        "preview": "Що буде виставлено за {month}",
        "lines_title": "Рядки за видачами",
        "lines": "Видача № {id} — {kind}",
        "item_days": "предмет-дні",
        "cleaning": "очищення після повернення",
        "correction": "коригування: дні після пізнього повернення",
        "device": "Засіб",
        "days": "Предмет-днів",
        "unit_price": "Ціна",
        "per_day": "{price} за предмет-день",
        "fee": "{price} за очищення",
        "amount": "Сума",
        "state": "Стан",
        "recorded": "уже записано",
        "to_record": "буде записано",
        "month_loans": "Видач у місяці",
        "pending": "Ще на прокаті (виставлять пізніше)",
        "sum_to_record": "Буде записано зараз",
        "sum_recorded": "Уже записано раніше",
        "run": "Виставити за місяць",
        "run_help": "Повторний запуск нічого не записує двічі.",
        "billed": "Місяць {month} виставлено: записано надань — {n}.",
        "already": "Місяць {month} уже виставлено: нового не записано, ось результат.",
        "all_recorded": "Усе за {month} уже записано.",
        "refused": "Не записано: {n}",
        "invoices": "Рахунки за {month}",
        "invoice": "Рахунок № {number} — {total}",
        "no_invoice": "Рахунку за {month} ще немає: надавач формує його на сторінці "
        "рахунків, коли місяць виставлено.",
        "to_invoices": "До рахунків надавача",
    },
    "en": {
        "title": "Rental point: month's billing",
        "month": "Month",
        "month_help": "Year and month, e.g. 2026-01; last month by default",
        "show": "Show",
        "month_format": "Month: give the year and month as YYYY-MM",
        "nothing": "Month: nothing to bill for {month} — no item was on loan",
        "nothing_pending": "Month: nothing to bill for {month} yet — items are on loan ({n}); "
        "their days are billed once the month is over",
        "preview": "What {month} bills",
        "lines_title": "Lines by loan",
        "lines": "Loan No. {id} — {kind}",
        "item_days": "item-days",
        "cleaning": "cleaning after the return",
        "correction": "correction: days after a late return",
        "device": "Item",
        "days": "Item-days",
        "unit_price": "Price",
        "per_day": "{price} per item-day",
        "fee": "{price} per cleaning",
        "amount": "Amount",
        "state": "State",
        "recorded": "recorded already",
        "to_record": "to be recorded",
        "month_loans": "Loans in the month",
        "pending": "Still on loan (billed later)",
        "sum_to_record": "To be recorded now",
        "sum_recorded": "Recorded before",
        "run": "Bill the month",
        "run_help": "Running it again records nothing twice.",
        "billed": "{month} is billed: {n} deliveries recorded.",
        "already": "{month} is already billed: nothing new was recorded; here is the result.",
        "all_recorded": "Everything of {month} is recorded.",
        "refused": "Not recorded: {n}",
        "invoices": "Invoices of {month}",
        "invoice": "Invoice No. {number} — {total}",
        "no_invoice": "No invoice of {month} yet: the provider makes it on the invoices "
        "page once the month is billed.",
        "to_invoices": "To the provider's invoices",
    },
}


def _texts(lang: Lang) -> dict[str, str]:
    return {**TEXTS[lang], **BILL_TEXTS[lang]}


def last_month() -> str:
    """The month before today's (:func:`core.clock.today`)."""
    end = clock.today().replace(day=1) - timedelta(days=1)
    return f"{end:%Y-%m}"


def _nothing(found: BillPreview, h: dict[str, str]) -> str:
    if found.lines:
        return ""
    if found.pending:
        return h["nothing_pending"].format(month=found.month, n=found.pending)
    return h["nothing"].format(month=found.month)


def _invoice_href(role: str, invoice: invoices.InvoiceOut) -> str:
    if role == "provider":
        return f"/desk/provider/invoices?month={invoice.period}#invoice-{invoice.id}"
    return f"/desk/accounts/invoices?status={invoice.status}#invoice-{invoice.id}"


async def _billing_page(
    request: HTMXRequest,
    month: str,
    *,
    error: str = "",
    notice: str = "",
    refused: list[BillProblem] | None = None,
    status: int = 200,
) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    h = _texts(lang)
    found: BillPreview | None = None
    if not error:
        if not MONTH.match(month):
            error, status = h["month_format"], 400
        else:
            try:
                found = await bill.preview(request.app.state.platform, actor, month)
            except DomainError as exc:
                error = f"{h['month']}: {forms.humane(str(exc), lang)}"
                status = 400
    if found is not None and not error:
        error = _nothing(found, h)
    context: dict[str, Any] = {
        "h": h,
        "base": BASE,
        "month": month,
        "error": error,
        "notice": notice,
        "refused": refused or [],
        "found": None,
    }
    if found is not None and found.lines:
        contracts = {x.contract_id for x in found.lines}
        made = await invoices.listing(actor, status=None, period=month, contract_id=None)
        context.update(
            found=found,
            rows=[
                {
                    "title": h["lines"].format(id=x.loan_id, kind=h[x.kind]),
                    "href": f"{BASE}/loans/{x.loan_id}",
                    "line": x,
                    "price": h["fee" if x.kind == "cleaning" else "per_day"].format(
                        price=money(x.unit_price, lang)
                    ),
                    "amount": money(x.amount, lang),
                    "state": h["recorded" if x.recorded else "to_record"],
                }
                for x in found.lines
            ],
            to_record=money(found.to_record, lang),
            recorded=money(found.recorded, lang),
            all_recorded=all(x.recorded for x in found.lines),
            invoices=[
                {
                    "href": _invoice_href(actor.role, i),
                    "label": h["invoice"].format(number=i.number, total=money(i.total, lang)),
                }
                for i in made
                if i.contract_id in contracts
            ],
            provider=actor.role == "provider",
        )
    return await page(
        request, "rental_aids/billing.html", title=h["title"], context=context, status_code=status
    )


@get("/billing", opt=BILL)
async def billing_page(request: HTMXRequest, month: MonthParam = "") -> Template:
    """The month's preview (last month unless one is chosen), its run and its invoice."""
    h = _texts(page_lang(request))
    chosen = month or last_month()
    done = request.query_params.get("done", "")
    notice = ""
    if done == "already":
        notice = h["already"].format(month=chosen)
    elif done == "billed":
        recorded = request.query_params.get("n", "")
        notice = h["billed"].format(month=chosen, n=recorded[:6] if recorded.isdigit() else "—")
    return await _billing_page(request, chosen, notice=notice)


@post("/billing", opt=BILL)
async def run_billing(request: HTMXRequest) -> Response[Any]:
    """Run the month: a refusal (a month to come, nothing to bill) comes back beside the
    month field; a second run records nothing and says the month is billed already."""
    actor = signed_in(request)
    lang = page_lang(request)
    h = _texts(lang)
    form = await request.form()
    raw = form.get("month", "")
    month = raw.strip() if isinstance(raw, str) else ""
    if not MONTH.match(month):
        return await _billing_page(request, month, error=h["month_format"], status=400)
    platform = request.app.state.platform
    try:
        found = await bill.preview(platform, actor, month)
        nothing = _nothing(found, h)
        if nothing:
            return await _billing_page(request, month, error=nothing, status=400)
        out = await bill.bill_month(platform, actor, month)
    except DomainError as exc:
        error = f"{h['month']}: {forms.humane(str(exc), lang)}"
        return await _billing_page(request, month, error=error, status=400)
    if out.refused:
        notice = h["billed"].format(month=month, n=out.recorded)
        return await _billing_page(request, month, notice=notice, refused=out.refused)
    if out.recorded == 0:
        return Redirect(f"{BASE}/billing?month={month}&done=already", status_code=303)
    return Redirect(f"{BASE}/billing?month={month}&done=billed&n={out.recorded}", status_code=303)


HANDLERS = [billing_page, run_billing]
