"""The pages' routers: the public catalogue, sign-in and the desk.

Every page answers with :data:`core.web.layout.SECURITY_HEADERS`; the sign-in pages and
the desk are never cached and their form posts need the form token (:mod:`core.web.csrf`).
Requests are :class:`~litestar.plugins.htmx.HTMXRequest`, so a handler can tell an htmx
call (``request.htmx``) and answer it with a fragment.
"""

from __future__ import annotations

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.plugins.htmx import HTMXRequest

from core.web import (
    account_pages,
    accounts_desk,
    admin,
    apply,
    auth_pages,
    back_office,
    cabinet,
    card_pages,
    check,
    csrf,
    desk,
    export_pages,
    front_office,
    job_pages,
    kiosk_rating_pages,
    message_pages,
    notify_pages,
    pages,
    provider_desk,
    provider_market,
    quality_pages,
    queue_pages,
    report_pages,
    request_papers,
)
from core.web.layout import SECURITY_HEADERS


def web_routers() -> list[Router]:
    return [
        Router(
            path="/",
            route_handlers=pages.HANDLERS,
            response_headers=SECURITY_HEADERS,
            request_class=HTMXRequest,
        ),
        Router(
            path="/",
            route_handlers=[
                *auth_pages.HANDLERS,
                *account_pages.HANDLERS,
                *notify_pages.HANDLERS,
                *message_pages.HANDLERS,
                *card_pages.HANDLERS,
                *check.HANDLERS,
                *cabinet.HANDLERS,
                *desk.HANDLERS,
                *front_office.HANDLERS,
                *apply.HANDLERS,
                *request_papers.HANDLERS,
                *back_office.HANDLERS,
                *admin.HANDLERS,
                *accounts_desk.HANDLERS,
                *provider_desk.HANDLERS,
                *job_pages.HANDLERS,
                *export_pages.HANDLERS,
                *provider_market.HANDLERS,
                *queue_pages.HANDLERS,
                *kiosk_rating_pages.HANDLERS,
                *quality_pages.HANDLERS,
                *report_pages.HANDLERS,
            ],
            response_headers=SECURITY_HEADERS,
            cache_control=CacheControlHeader(no_store=True),
            opt=csrf.checked(),
            request_class=HTMXRequest,
        ),
    ]
