"""The plugin contract of Hromada (contract version :data:`core.CONTRACT_VERSION`).

A plugin is a module (or package) registered under the entry-point group
``hromada.plugins``. It implements some of the hooks below with ``@hookimpl``; only
:func:`plugin_info` and :func:`register_services` are required. Hooks are synchronous
functions (an ``async def`` hookimpl would break pluggy); where a hook's work is async,
the hook returns an awaitable that the core awaits (``prepare_demo``), or objects whose
methods the core awaits (``check_delivery`` of a service).

A plugin imports the core only through :mod:`core.sdk` (docs/plugin-contract.md).
Example, the whole ``__init__.py`` of a small plugin::

    from core.sdk import PluginInfo, Service, Text, hookimpl

    from .service import SERVICE

    @hookimpl
    def plugin_info() -> PluginInfo:
        return PluginInfo(name="funeral_aid", contract=1,
                          title=Text("Допомога на поховання", "Funeral aid"))

    @hookimpl
    def register_services() -> list[Service]:
        return [SERVICE]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from collections.abc import Awaitable
    from datetime import date

    import click
    from litestar.types import ControllerRouterHandler

    from core.actor import Actor
    from core.events import Event
    from core.jobs import JobSpec
    from core.notify.sms import SmsGateway
    from core.platform import Platform
    from core.plugin_info import PluginInfo
    from core.reports.waiting import PluginWaiting
    from core.service import Finding, RuleContext, Service
    from core.web.plugin_pages import PluginPages
    from core.web.sign_in_methods import SignInMethod

hookspec = pluggy.HookspecMarker("hromada")
hookimpl = pluggy.HookimplMarker("hromada")


@hookspec(firstresult=True)
def plugin_info() -> PluginInfo:  # type: ignore[empty-body]
    """Say who the plugin is: its name, the contract version it was written for, a title.

    Required. The core refuses to start when the plugin's ``contract`` differs from
    :data:`core.CONTRACT_VERSION`, or when ``name`` differs from the entry-point name.

    :returns: a :class:`core.plugin_info.PluginInfo`.

    .. versionadded:: 1
    """


@hookspec
def register_services() -> list[Service]:  # type: ignore[empty-body]
    """Return the catalogue entries this plugin brings.

    Required, and at least one service. Each :class:`core.service.Service` carries its
    information card, its application form (a msgspec Struct), its eligibility rules and,
    where money is paid, who is paid and how much. Service codes must be unique across
    all enabled plugins and start with the plugin's name and a dot
    (``funeral_aid.lump_sum``).

    .. versionadded:: 1
    """


@hookspec
def register_tables() -> list[str]:  # type: ignore[empty-body]
    """Return dotted paths of the plugin's Piccolo apps (modules defining ``APP_CONFIG``).

    Each app holds the plugin's own tables and its own migrations, which run on SQLite and
    PostgreSQL with the core's (``hromada migrate``). Disabling the plugin keeps its tables
    and rows. Example: ``["plugins.homeless.piccolo_app"]``.

    .. versionadded:: 1
    """


@hookspec
def register_routes() -> list[ControllerRouterHandler]:  # type: ignore[empty-body]
    """Return the plugin's own HTTP handlers, controllers or routers.

    The host mounts them under ``/api/ext/<plugin name>/`` (a plugin never chooses its
    own mount point, so it cannot shadow a core route). Every handler must declare who
    may call it, exactly like the core's: ``opt={"roles": [...]}`` or
    ``opt={"public": True}``; a handler without either is refused at start-up.

    .. versionadded:: 1
    """


@hookspec
def register_pages() -> PluginPages:  # type: ignore[empty-body]
    """Return the plugin's own desk pages, its menu entries and its templates folder.

    The host mounts the page handlers under ``/desk/ext/<plugin name>/`` with the desk's
    guards: every handler declares its roles (``opt=roles(...)``; one without is refused
    at start-up), form posts need the form token, answers carry the security headers and
    are never cached, and in a municipality that has not enabled the plugin every page is
    a 404 page. Templates in the folder are found as ``<plugin>/<file>`` and extend
    ``desk/layout.html``; render them with :func:`core.web.layout.page`. Each
    :class:`core.web.plugin_pages.MenuEntry` (label in Ukrainian and English, a path under
    the plugin's prefix, roles) shows in the menu of those roles only where the plugin is
    enabled.

    :returns: a :class:`core.web.plugin_pages.PluginPages`.

    .. versionadded:: 1
    """


@hookspec
def extra_checks(service: Service, ctx: RuleContext) -> list[Finding]:  # type: ignore[empty-body]
    """Add cross-cutting eligibility findings to every service's evaluation.

    Called for every enabled service on every screening and submission, after the
    service's own rules. Use it for rules a municipality applies to all services (a
    residency rule, a blocked-applicant list). Return an empty list when nothing applies.

    :param service: the service being evaluated.
    :param ctx: the same context the service's own rules see.

    .. versionadded:: 1
    """


@hookspec
def on_event(event: Event) -> None:
    """React to something that happened: a request submitted, decided, withdrawn…

    Called after the change is committed, so a failing handler cannot undo it; an
    exception is logged and does not reach the user. Use it for notifications and
    exports; do not write to the core's tables from here.

    :param event: a :class:`core.events.Event` (``kind``, ``municipality_id``,
        ``subject``, ``subject_id``, ``data``).

    .. versionadded:: 1
    """


@hookspec
def prepare_demo(
    platform: Platform, actor: Actor, citizen_ids: list[int], since: date
) -> Awaitable[None] | None:
    """Put the plugin's own demo rows in place before ``hromada demo`` makes requests.

    Called once per municipality that enables the plugin, with a few of its demo
    citizens. A plugin whose services need rows of its own tables (a register the
    delivery checks read, an inventory) creates them here, dated ``since`` or later.
    Return an awaitable (the core awaits it) or ``None``.

    :param platform: the running platform, for the core's use cases (contracts,
        requests, parameters) the plugin's demo goes through.
    :param actor: the municipality's demo admin, for audit records.
    :param citizen_ids: citizens the plugin may use for its demo.
    :param since: the first day demo deliveries may fall on.

    .. versionadded:: 1
    """


@hookspec
def register_sign_in() -> SignInMethod:  # type: ignore[empty-body]
    """Add a way to sign in besides the password (an OpenID Connect provider such as the
    national ID gateway).

    The host mounts the method's handlers under ``/sign-in/ext/<plugin name>/``; each
    must be ``opt=public()`` (one that is not stops start-up), and form posts need the
    form token. The sign-in page links to ``start`` with the method's label. The
    callback proves the identity, finds the account linked to it
    (:func:`core.workflow.identities.user_for`) or links one
    (:func:`core.workflow.identities.link`), and ends with
    :func:`core.web.sign_in_methods.complete`, which opens the session and audits the
    sign-in with the method's name.

    :returns: a :class:`core.web.sign_in_methods.SignInMethod`.

    .. versionadded:: 1
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add sub-commands to the ``hromada`` command line.

    :param cli: the root ``click`` group; call ``cli.add_command(...)``.

    .. versionadded:: 1
    """


@hookspec
def register_jobs() -> list[JobSpec]:  # type: ignore[empty-body]
    """Return the plugin's background jobs, each with its schedules, if any.

    Each :class:`core.jobs.JobSpec` names the job (``<plugin>.<job>``), the msgspec
    Struct of its arguments and an ``async def run(ctx, args)``. The job runs outside
    any request: on PostgreSQL in ``hromada worker`` processes, on the embedded SQLite
    default in a task of the web process. It works in steps, each committed on its own,
    and calls ``await ctx.progress(done, total, message)`` between them (which also
    stops it when someone cancels it). After a crash it runs again with the same
    arguments, so each step must skip what is already done. A
    :class:`core.jobs.Schedule` (a cron line on the Kyiv wall clock, and a function
    from the tick to the arguments) makes it run by itself, e.g. ``"0 2 1 * *"``: on
    the 1st at 02:00. Start a run with :func:`core.jobs.queue.enqueue`.

    .. versionadded:: 1
    """


@hookspec
def register_sms_gateway() -> SmsGateway:  # type: ignore[empty-body]
    """Return an SMS gateway: a wrapper of one SMS provider's API.

    The object has a ``name`` (the deployment picks it with the ``sms_gateway`` setting)
    and ``async def send(phone, text)``, which hands one message to the provider and
    raises when it is refused or the network fails; the outbox then retries with its
    backoff, and records the error on the message. ``phone`` is ``+380XXXXXXXXX``. The
    built-in ``file`` gateway (the default) writes each message as a line of
    ``sms_dir/sms.log``. See :class:`core.notify.sms.SmsGateway`.

    .. versionadded:: 1
    """


@hookspec
def report_waiting(  # type: ignore[empty-body]
    municipality_id: int, start: date, end: date
) -> Awaitable[list[PluginWaiting]]:
    """Count the people waiting that only the plugin knows of, for the coverage report.

    Called for the municipality's enabled plugins when the coverage report
    (``/desk/reports/coverage``) is made for the period ``start``–``end`` (both days
    included). Return an awaitable of :class:`core.reports.waiting.PluginWaiting`, one
    per service and settlement (the applicant's settlement frozen on the request), with
    the number of distinct citizens and a ``source`` name: e.g. the rental point's
    waiting list today, or riders refused a trip in the period because their cap was
    used up. Count in SQL, filtered by ``municipality_id``. A hookimpl may take any
    subset of the arguments; one that raises is logged and left out of the report.

    .. versionadded:: 1
    """


#: Hooks every plugin must implement.
REQUIRED_HOOKS: tuple[str, ...] = ("plugin_info", "register_services")

__all__ = [
    "REQUIRED_HOOKS",
    "extra_checks",
    "hookimpl",
    "hookspec",
    "on_event",
    "plugin_info",
    "prepare_demo",
    "register_commands",
    "register_jobs",
    "register_pages",
    "register_routes",
    "register_services",
    "register_sign_in",
    "register_sms_gateway",
    "register_tables",
    "report_waiting",
]
