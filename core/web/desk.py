"""The desk: each role's home page, opening on that role's work.

``/desk`` sends a signed-in person to their role's home (:data:`core.web.menus.HOMES`);
each home is open to its role only. The request counts of the front and back office
filter by service in place with htmx, and work as a plain form without it.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Response, get
from litestar.params import QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from core.actor import Actor
from core.api.access import roles
from core.schemas import ROLES
from core.web import panels, quality_pages
from core.web.layout import page, page_lang, signed_in
from core.web.menus import home_of
from core.web.texts import texts

ServiceParam = Annotated[str | None, QueryParameter(name="service", required=False)]
#: How many records a home lists before saying how many there are in all.
LIST_LIMIT = 10
COUNTS_TARGET = "request-counts"


def _title(request: HTMXRequest, actor: Actor) -> str:
    return texts(page_lang(request))[f"home_{actor.role}"]


async def _counts(request: HTMXRequest, actor: Actor, service: str | None) -> dict[str, Any]:
    """The request-counts panel; an unknown service is a 400 with the message beside the
    service field."""
    lang = page_lang(request)
    t = texts(lang)
    platform = request.app.state.platform
    options = await panels.service_options(platform, actor, lang)
    chosen = service or None
    context: dict[str, Any] = {
        "path": request.url.path,
        "service_options": options,
        "service": chosen or "",
        "filter_error": "",
        "counts": [],
        "counts_total": 0,
    }
    if chosen is not None and chosen not in {o.value for o in options}:
        context["filter_error"] = t["unknown_service"]
        return context
    counts = await panels.request_counts(actor, chosen, lang)
    context["counts"] = counts
    context["counts_total"] = panels.counts_total(counts, lang)
    name = next((o.label for o in options if o.value == chosen), t["all_services"])
    context["counts_caption"] = f"{t['requests_by_status']}: {name}"
    return context


async def _counts_home(
    request: HTMXRequest, service: str | None, *, with_overdue: bool
) -> Response[Any]:
    actor = signed_in(request)
    lang = page_lang(request)
    context = await _counts(request, actor, service)
    status = 400 if context["filter_error"] else 200
    htmx = request.htmx
    if htmx and htmx.target == COUNTS_TARGET and not htmx.history_restore_request:
        base = {"t": texts(lang), "lang": lang}
        return Template(
            "desk/_counts_table.html",
            context={**base, **context},
            status_code=status,
            headers={"Vary": "HX-Request, Cookie"},
        )
    sections = ["request_counts"]
    if with_overdue:
        platform = request.app.state.platform
        rows, total = await panels.requests_page(
            platform, actor, lang, overdue=True, limit=LIST_LIMIT
        )
        context["overdue_rows"] = rows
        context["overdue_note"] = panels.more_note(len(rows), total, lang)
        sections.append("overdue")
    return await page(
        request,
        "desk/home.html",
        title=_title(request, actor),
        context={**context, "sections": sections},
        status_code=status,
    )


@get("/desk", opt=roles(*ROLES), include_in_schema=False)
async def desk(request: HTMXRequest) -> Redirect:
    return Redirect(home_of(signed_in(request).role))


@get("/desk/front-office", opt=roles("intake"), include_in_schema=False)
async def front_office(request: HTMXRequest, service: ServiceParam = None) -> Response[Any]:
    return await _counts_home(request, service, with_overdue=False)


@get("/desk/back-office", opt=roles("caseworker"), include_in_schema=False)
async def back_office(request: HTMXRequest, service: ServiceParam = None) -> Response[Any]:
    return await _counts_home(request, service, with_overdue=True)


@get("/desk/audit", opt=roles("auditor"), include_in_schema=False)
async def audit_home(request: HTMXRequest, service: ServiceParam = None) -> Response[Any]:
    return await _counts_home(request, service, with_overdue=False)


@get("/desk/admin", opt=roles("admin"), include_in_schema=False)
async def admin_home(request: HTMXRequest) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    rows = await panels.plugin_rows(request.app.state.platform, actor, lang)
    return await page(
        request,
        "desk/home.html",
        title=_title(request, actor),
        context={
            "sections": ["plugins"],
            "plugins": rows,
            "saved": request.query_params.get("saved") == "1",
        },
    )


@get("/desk/accounts", opt=roles("accountant"), include_in_schema=False)
async def accounts_home(request: HTMXRequest) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    return await page(
        request,
        "desk/home.html",
        title=_title(request, actor),
        context={
            "sections": ["invoices"],
            "invoice_counts": await panels.invoice_counts(actor, lang),
        },
    )


@get("/desk/provider", opt=roles("provider"), include_in_schema=False)
async def provider_home(request: HTMXRequest) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    platform = request.app.state.platform
    return await page(
        request,
        "desk/home.html",
        title=_title(request, actor),
        context={
            "sections": ["contracts", "invoices", "provider_quality"],
            "contracts": await panels.contract_rows(platform, actor, lang),
            "invoice_counts": await panels.invoice_counts(actor, lang),
            **await quality_pages.provider_panel(request, actor),
        },
    )


@get("/desk/citizen", opt=roles("citizen"), include_in_schema=False)
async def citizen_home(request: HTMXRequest) -> Template:
    actor = signed_in(request)
    lang = page_lang(request)
    rows, total = await panels.requests_page(
        request.app.state.platform, actor, lang, overdue=None, limit=LIST_LIMIT
    )
    return await page(
        request,
        "desk/home.html",
        title=_title(request, actor),
        context={
            "sections": ["my_surveys", "my_requests"],
            "my_requests": rows,
            "my_requests_note": panels.more_note(len(rows), total, lang),
            **await quality_pages.surveys_panel(request, actor),
        },
    )


HANDLERS = [
    desk,
    front_office,
    back_office,
    audit_home,
    admin_home,
    accounts_home,
    provider_home,
    citizen_home,
]
