"""The Litestar application factory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import swagger_ui_bundle
from litestar import Litestar, Router, get
from litestar.config.cors import CORSConfig
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

import core
from core.api import (
    access,
    administration,
    billing_api,
    catalogue,
    citizens,
    local_cards,
    market_api,
    providers,
    reads,
    registry,
    requests,
    screening,
    session,
)
from core.api.auth import TokenAuthMiddleware
from core.api.body import ApiRequest
from core.api.errors import HANDLERS
from core.api.head import HeadAsGet
from core.api.openapi import SCHEMA_PLUGINS, AllowHeader, complete_document
from core.api.outage import quiet_driver_logs
from core.api.retry import RetryMiddleware
from core.api.security import SecurityHeaders
from core.api.strict import strict_body
from core.config import load_settings
from core.db import engine as db_engine
from core.hsds.routes import HsdsController
from core.jobs import queue as job_queue
from core.jobs import runner
from core.notify import outbox
from core.platform import Platform
from core.plugins import PluginError
from core.web import csrf, plugin_pages, sign_in_methods
from core.web.errors import with_pages
from core.web.routes import web_routers
from core.workflow.documents import MAX_BYTES as MAX_DOCUMENT_BYTES

WEB = Path(__file__).resolve().parent.parent / "web"
#: The largest request body read (a larger one is a 413 before it is read): a document of
#: the largest size accepted plus 1 MiB for the multipart framing and the other parts.
MAX_BODY_BYTES = MAX_DOCUMENT_BYTES + 1024 * 1024


@get("/healthz", opt=access.public(), include_in_schema=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def plugin_routers(platform: Platform) -> list[Router]:
    """Each plugin's routes under ``/api/ext/<plugin>``; each handler must declare access
    and, if it answers GET, whether it returns personal data (see :mod:`core.api.reads`),
    and the host closes them (404) in a municipality that has not enabled the plugin."""
    routers = []
    for name, handlers in platform.host.routes().items():
        router = Router(
            path=f"/api/ext/{name}",
            route_handlers=handlers,
            tags=[name],
            opt=access.enabled_by(name),
        )
        for route in router.routes:
            for handler in getattr(route, "route_handlers", []):
                if getattr(handler, "http_methods", None) == {"OPTIONS"}:
                    continue
                if not access.declared(handler):
                    raise PluginError(
                        name, f"route {route.path} declares no access (opt roles or public)"
                    )
                if reads.must_declare(route.path, handler) and not reads.declared(handler):
                    raise PluginError(
                        name,
                        f"route {route.path} does not declare whether it returns personal "
                        "data (opt personal_data(...) or not_personal())",
                    )
        routers.append(router)
    return routers


def all_handlers(app: Litestar) -> list[tuple[str, BaseRouteHandler]]:
    """Every (path, handler) of the app, for the access audit in the tests.

    Litestar's automatic OPTIONS handlers are left out: they reveal only the allowed methods.
    """
    return [
        (route.path, handler)
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if getattr(handler, "http_methods", None) != {"OPTIONS"}
    ]


def _check_personal_reads(app: Litestar) -> None:
    """Every GET route under ``/api`` declares whether it returns personal data, and no
    route reading it replaces the host's ``after_request`` hook that audits the read."""
    for path, handler in all_handlers(app):
        if reads.must_declare(path, handler) and not reads.declared(handler):
            raise RuntimeError(f"route {path} does not declare whether it returns personal data")
        if reads.declaration(handler) is not None:
            hooks = [
                hook
                for layer in handler.ownership_layers
                if (hook := getattr(layer, "after_request", None)) is not None
            ]
            if not hooks or hooks[-1] is not reads.audit_read:
                raise RuntimeError(f"route {path} reads personal data but replaces after_request")


async def _checks(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """What every request passes once its caller is known, in this order: the route's
    access, its plugin being enabled, its form token, then the note of a read of personal
    data. Run by the authentication middleware, not as Litestar guards: Litestar copies
    the route handler for every guard it calls (``core.api.auth``)."""
    await access.access_guard(connection, handler)
    await access.plugin_enabled(connection, handler)
    await csrf.guard(connection, handler)
    await reads.remember(connection, handler)


def create_app(platform: Platform | None = None) -> Litestar:
    platform = platform or Platform(load_settings())
    platform.bind_database()
    quiet_driver_logs()

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        db = db_engine.engine()
        await db_engine.start(db)
        loop = asyncio.get_running_loop()
        if db_engine.is_sqlite():
            # The embedded default has no worker: jobs and their schedules (among them the
            # outbox's every minute) run in this process (docs/jobs.md).
            background = loop.create_task(runner.run_in_process(platform))
        else:
            # Workers run the jobs; the web process still delivers the outbox, as before.
            background = loop.create_task(outbox.run_forever(platform.settings))
        try:
            yield
        finally:
            background.cancel()
            await runner.stop()
            await outbox.settle()
            await job_queue.close()
            await db_engine.stop(db)

    swagger = "/static/swagger"
    openapi = OpenAPIConfig(
        title="Hromada API",
        version=core.__version__,
        description=(
            "Соціальні послуги громади: каталог, єдине вікно, соціальне замовлення, оплата. / "
            "Municipal social services: catalogue, single window, social order, payments. "
            "Log in with POST /api/auth/login; the session cookie then authorises this page."
        ),
        path=access.OPENAPI_PATH,
        render_plugins=[
            SwaggerRenderPlugin(
                path="/",
                js_url=f"{swagger}/swagger-ui-bundle.js",
                css_url=f"{swagger}/swagger-ui.css",
                standalone_preset_js_url=f"{swagger}/swagger-ui-standalone-preset.js",
            )
        ],
        # Security schemes, each operation's requirement and its error answers:
        # core.api.openapi.complete_document below.
    )
    handlers: list[Any] = [
        healthz,
        catalogue.CatalogueController,
        screening.screening,
        HsdsController,
        session.login,
        session.logout,
        session.me,
        citizens.CitizenController,
        providers.ProviderController,
        requests.RequestController,
        administration.AdministrationController,
        local_cards.LocalCardController,
        registry.RegistryController,
        market_api.MarketController,
        billing_api.BillingController,
        billing_api.PapersController,
        *web_routers(),
        create_static_files_router(
            path="/static",
            directories=[WEB / "static"],
            opt=access.public(),
            include_in_schema=False,
        ),
        create_static_files_router(
            path=swagger,
            directories=[Path(swagger_ui_bundle.swagger_ui_path)],
            opt=access.public(),
            include_in_schema=False,
        ),
        *plugin_routers(platform),
        *plugin_pages.routers(platform.host.pages()),
        *sign_in_methods.routers(platform.host.sign_in_methods()),
    ]
    app = Litestar(
        route_handlers=handlers,
        lifespan=[lifespan],
        middleware=[DefineMiddleware(TokenAuthMiddleware, checks=_checks)],
        request_class=ApiRequest,
        before_request=strict_body,
        after_request=reads.audit_read,
        exception_handlers=with_pages(HANDLERS),
        openapi_config=openapi,
        template_config=TemplateConfig(
            directory=WEB / "templates",
            engine=JinjaTemplateEngine,
            engine_callback=lambda engine: plugin_pages.add_templates(
                engine, platform.host.pages()
            ),
        ),
        cors_config=CORSConfig(allow_origins=[]),
        request_max_body_size=MAX_BODY_BYTES,
        debug=False,
        plugins=list(SCHEMA_PLUGINS),
    )
    app.state.platform = platform
    complete_document(app, platform.settings.session_cookie)
    _check_personal_reads(app)
    # Outside Litestar's own exception handling: a request that lost a deadlock or a
    # serialization race runs again with a fresh scope; its body (at most the limit above,
    # as Litestar reads no more) is replayed from memory. See core/api/retry.py.
    app.asgi_handler = RetryMiddleware(reads.scoped(AllowHeader(app.asgi_handler, app)))
    # A HEAD request is answered as its GET, without the body (core/api/head.py).
    app.asgi_handler = HeadAsGet(app.asgi_handler)
    # Outermost: every answer, including errors and static files, gets the security
    # headers (core/api/security.py).
    app.asgi_handler = SecurityHeaders(app.asgi_handler)
    return app
