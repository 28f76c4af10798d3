"""The ``hromada`` command line: serve, migrate, plugins, users, municipalities, demo data."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click
import msgspec

from core.config import ConfigError, load_settings
from core.platform import Platform
from core.plugins import PluginError, summarize

T = TypeVar("T")


def platform_for_command() -> Platform:
    """The configured platform bound to its database, for a command (plugins' too)."""
    try:
        platform = Platform(load_settings())
    except (ConfigError, PluginError) as exc:
        raise click.ClickException(str(exc)) from exc
    platform.bind_database()
    return platform


def run(fn: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine with the database started (pool or WAL) and stopped."""
    from core.db import engine

    async def main() -> T:
        db = engine.engine()
        await engine.start(db)
        try:
            return await fn()
        finally:
            await engine.stop(db)

    return asyncio.run(main())


@click.group()
@click.version_option(package_name="hromada")
def cli() -> None:
    """Hromada: municipal social services, single window, social order and payments."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="Load demo data when the database is empty.")
@click.option("--no-migrate", is_flag=True, help="Do not apply pending migrations first.")
def serve(host: str, port: int, demo: bool, no_migrate: bool) -> None:
    """Run the web server (embedded SQLite file by default)."""
    import uvicorn

    from core.api.app import create_app
    from core.db.migrate import migrate

    platform = platform_for_command()
    if not no_migrate:
        run(migrate)
    if demo:
        from core import demo as demo_data

        created = run(lambda: demo_data.load_if_empty(platform))
        if created is not None:
            demo_data.print_summary(created)
    try:
        app = create_app(platform)
    except PluginError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Hromada: http://{host}:{port}/  (API docs: http://{host}:{port}/schema)")
    uvicorn.run(app, host=host, port=port, log_level="info")


@cli.command()
def migrate() -> None:
    """Apply pending migrations of the core and the enabled plugins."""
    from core.db.migrate import MigrationFailed
    from core.db.migrate import migrate as do_migrate

    platform_for_command()
    try:
        run(do_migrate)
    except MigrationFailed as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("migrations applied")


@cli.command()
def outbox() -> None:
    """Send the messages that are due (e-mail), as the web process does every minute."""
    from core.notify import outbox as messages

    platform = platform_for_command()
    sent = run(lambda: messages.deliver_due(platform.settings, limit=10_000))
    click.echo(f"sent {sent} message(s)")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def plugins(as_json: bool) -> None:
    """List installed plugins, which are enabled, their versions and services."""
    try:
        platform = Platform(load_settings())
    except (ConfigError, PluginError) as exc:
        raise click.ClickException(str(exc)) from exc
    rows = summarize(platform.host)
    if as_json:
        click.echo(msgspec.json.format(msgspec.json.encode(rows)).decode())
        return
    lines = [
        (p.name, p.version, p.distribution, "yes" if p.enabled else "no", ", ".join(p.services))
        for p in rows
    ]
    header = ("plugin", "version", "distribution", "enabled", "services")
    if not sys.stdout.isatty():
        # Piped (grep, a script): plain tab-separated columns, nothing cut.
        for line in (header, *lines):
            click.echo("\t".join(line))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for name in header:
        # A narrow terminal wraps an identifier; it never cuts it to "assistant_registra…".
        table.add_column(name, overflow="fold")
    for line in lines:
        table.add_row(*line)
    Console().print(table)


@cli.group()
def municipality() -> None:
    """Municipalities (hromadas) hosted by this deployment."""


@municipality.command("create")
@click.argument("slug")
@click.option("--name-uk", required=True)
@click.option("--name-en", required=True)
@click.option("--kind", type=click.Choice(["city", "rural"]), default="city")
@click.option("--settlement", "settlements", multiple=True, help="Repeat for each settlement.")
@click.option(
    "--plugin",
    "plugin_names",
    multiple=True,
    help="Plugins enabled here (default: every plugin enabled in the deployment).",
)
def municipality_create(
    slug: str,
    name_uk: str,
    name_en: str,
    kind: str,
    settlements: tuple[str, ...],
    plugin_names: tuple[str, ...],
) -> None:
    """Create a municipality."""
    from core.db.tables import Municipality

    platform = platform_for_command()
    enabled = list(plugin_names or platform.host.plugins)
    unknown = [p for p in enabled if p not in platform.host.plugins]
    if unknown:
        raise click.ClickException(f"plugins not enabled in this deployment: {unknown}")

    async def go() -> None:
        if await Municipality.exists().where(Municipality.slug == slug):
            raise click.ClickException(f"municipality {slug!r} exists")
        await Municipality(
            slug=slug,
            name_uk=name_uk,
            name_en=name_en,
            kind=kind,
            settlements=msgspec.json.encode(list(settlements or [name_uk])).decode(),
            enabled_plugins=msgspec.json.encode(enabled).decode(),
        ).save()

    run(go)
    click.echo(f"municipality {slug} created with plugins {', '.join(enabled)}")


@municipality.command("plugins")
@click.argument("slug")
@click.argument("plugin_names", nargs=-1)
def municipality_plugins(slug: str, plugin_names: tuple[str, ...]) -> None:
    """Show, or with PLUGIN_NAMES set, the plugins enabled in a municipality."""
    from core.db.tables import Municipality

    platform = platform_for_command()
    unknown = [p for p in plugin_names if p not in platform.host.plugins]
    if unknown:
        raise click.ClickException(f"plugins not enabled in this deployment: {unknown}")

    async def go() -> list[str]:
        row = await Municipality.select(Municipality.id).where(Municipality.slug == slug).first()
        if row is None:
            raise click.ClickException(f"municipality {slug!r} not found")
        if plugin_names:
            await Municipality.update(
                {Municipality.enabled_plugins: msgspec.json.encode(list(plugin_names)).decode()}
            ).where(Municipality.id == row["id"])
            platform.forget()
        return await platform.enabled_plugins(row["id"])

    click.echo(" ".join(run(go)) or "(none)")


@cli.group()
def user() -> None:
    """Users and their roles."""


@user.command("create")
@click.option("--municipality", "slug", required=True, help="Slug of the user's municipality.")
@click.option("--username", required=True)
@click.option(
    "--role",
    type=click.Choice(
        ["admin", "intake", "caseworker", "accountant", "provider", "citizen", "auditor"]
    ),
    default="admin",
    show_default=True,
)
@click.option("--full-name", default="")
@click.option("--provider-id", type=int, default=None)
@click.option("--citizen-id", type=int, default=None)
@click.option("--office-id", type=int, default=None, help="Front office or remote workplace.")
@click.password_option()
def user_create(
    slug: str,
    username: str,
    role: str,
    full_name: str,
    provider_id: int | None,
    citizen_id: int | None,
    office_id: int | None,
    password: str,
) -> None:
    """Create a user (the first admin, for one)."""
    from core.errors import DomainError
    from core.workflow import users

    platform_for_command()

    async def go() -> int:
        muni = await users.municipality_id_by_slug(slug)
        if muni is None:
            raise click.ClickException(
                f"municipality {slug!r} not found: create it with 'hromada municipality create'"
            )
        return await users.create_user(
            municipality_id=muni,
            username=username,
            password=password,
            role=role,
            full_name=full_name,
            provider_id=provider_id,
            citizen_id=citizen_id,
            office_id=office_id,
        )

    try:
        user_id = run(go)
    except DomainError as exc:
        raise click.ClickException(f"{exc.field}: {exc.message}") from exc
    click.echo(f"user {username} ({role}) created with id {user_id}")


@cli.command()
@click.option("--seed", default=2026, show_default=True, help="Random seed of the demo data.")
@click.option("--citizens", default=300, show_default=True, help="Citizens per municipality.")
def demo(seed: int, citizens: int) -> None:
    """Load demo data (two municipalities, staff of every role, citizens, requests)."""
    from core import demo as demo_data
    from core.db.migrate import migrate as do_migrate

    platform = platform_for_command()
    run(do_migrate)
    created = run(lambda: demo_data.load_if_empty(platform, seed=seed, citizens=citizens))
    if created is None:
        raise click.ClickException("the database already holds data; demo data not loaded")
    demo_data.print_summary(created)


@cli.group()
def billing() -> None:
    """Invoices of the social order."""


@billing.command("run")
@click.option("--period", required=True, help="Month to bill, YYYY-MM.")
@click.option("--municipality", default=None, help="Only this municipality (slug).")
@click.option(
    "--as",
    "username",
    default=None,
    help="User the invoices are drafted as (default: an accountant of each).",
)
def billing_run(period: str, municipality: str | None, username: str | None) -> None:
    """Draft every due invoice of a month, contract by contract."""
    from core.billing_cli import run_billing
    from core.errors import DomainError
    from core.money import from_kopiyky

    platform = platform_for_command()
    try:
        summary = run(lambda: run_billing(platform, period, municipality, username))
    except DomainError as exc:
        raise click.ClickException(f"{exc.field}: {exc.message}") from exc
    for row in summary:
        click.echo(
            f"{row['municipality']}: {row['invoices']} invoices drafted, "
            f"{from_kopiyky(row['total_kop'])} UAH"
        )


@cli.command()
@click.option("--concurrency", default=1, show_default=True, type=int, help="Jobs at a time.")
@click.option(
    "--stalled-after",
    default=30.0,
    show_default=True,
    type=float,
    help="Seconds without a heartbeat after which another worker's jobs are retried.",
)
def worker(concurrency: int, stalled_after: float) -> None:
    """Run background jobs from the queue (PostgreSQL; start one or more per machine)."""
    from core.db import engine
    from core.jobs import queue

    platform = platform_for_command()
    if engine.is_sqlite():
        raise click.ClickException(
            "the embedded SQLite default runs jobs inside 'hromada serve'; "
            "a worker needs PostgreSQL (see docs/jobs.md)"
        )
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    click.echo(f"worker: concurrency {concurrency}, stalled after {stalled_after:g} s")
    run(lambda: queue.work(platform, concurrency=concurrency, stalled_after=stalled_after))


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--limit", default=30, show_default=True, type=int)
@click.pass_context
def jobs(ctx: click.Context, as_json: bool, limit: int) -> None:
    """List recent background jobs with their state and progress."""
    if ctx.invoked_subcommand is not None:
        return
    from core.jobs import store

    platform_for_command()
    rows = run(lambda: store.listing(limit=limit))
    if as_json:
        click.echo(msgspec.json.format(msgspec.json.encode(rows)).decode())
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "job", "state", "progress", "message", "created")
    for j in rows:
        progress = f"{j.done}/{j.total} ({j.percent}%)" if j.total else "-"
        state = j.state + (" (cancelling)" if j.cancel_requested and j.active else "")
        created = f"{j.created_at:%Y-%m-%d %H:%M}"
        table.add_row(str(j.id), j.name, state, progress, j.error or j.message, created)
    Console().print(table)


@jobs.command("cancel")
@click.argument("job_id", type=int)
def jobs_cancel(job_id: int) -> None:
    """Cancel a job: a queued one at once, a running one at its next step."""
    from core.errors import DomainError
    from core.jobs import store

    platform_for_command()
    try:
        job = run(lambda: store.cancel(job_id))
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"job {job.id}: {job.state}" + (" (cancel asked)" if job.active else ""))


@cli.group()
def plugin() -> None:
    """Write plugin packages."""


@plugin.command("new")
@click.argument("name")
@click.option("--dir", "target", type=click.Path(), help="Where to write it (default: ./NAME).")
@click.option("--title-uk", default="", help="The service's title in Ukrainian.")
@click.option("--title-en", default="", help="The service's title in English.")
def plugin_new(name: str, target: str | None, title_uk: str, title_en: str) -> None:
    """Write a complete plugin package NAME that installs and passes its own tests."""
    from pathlib import Path

    from core.scaffold import ScaffoldError, new_plugin

    root = Path(target) if target else Path(name)
    try:
        files = new_plugin(name, root, title_uk=title_uk, title_en=title_en)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    for path in files:
        click.echo(str(path))
    click.echo(
        f'next: pip install -e "{root}[test]" && cd {root} && HROMADA_TEST_PLUGINS={name} pytest'
    )


def main() -> Any:
    try:
        platform = Platform(load_settings())
        platform.host.add_commands(cli)
    except (ConfigError, PluginError) as exc:
        click.echo(f"Error: {exc}", err=True)
        if len(sys.argv) > 1 and sys.argv[1] in ("--help", "--version"):
            pass
        else:
            sys.exit(2)
    return cli()
