"""``hromada subsidies pay-month --municipality <slug> --month YYYY-MM``: the month's pay
run from the command line, in chunks of assignments with a progress bar, for a city whose
run would outlast an HTTP request (see docs/performance.md). A rerun pays nothing twice."""

from __future__ import annotations

from typing import Any

import click
import msgspec

from core.sdk import OutOfRange, Platform
from plugins.subsidies.schemas import PayIn
from plugins.subsidies.tables import SubsidyMonth

CHUNK = 200
OUTCOMES = ("recorded", "already_recorded", "nothing_due", "skipped")


async def month_assignments(municipality_id: int, month: str) -> list[int]:
    rows = await SubsidyMonth.select(SubsidyMonth.assignment).where(
        (SubsidyMonth.municipality == municipality_id)
        & (SubsidyMonth.month == month)
        & (SubsidyMonth.status == "active")
    )
    return sorted({r["assignment"] for r in rows})


async def pay_in_chunks(
    platform: Platform, slug: str, month: str, username: str | None, chunk: int = CHUNK
) -> dict[str, Any]:
    """Pay the month chunk by chunk; returns the counts per outcome and the total paid."""
    from rich.progress import Progress

    from core.sdk import acting_user
    from plugins.subsidies.pay import pay_month

    try:
        body = msgspec.convert({"month": month}, PayIn)
    except msgspec.ValidationError as exc:
        raise click.ClickException(f"--month: {exc} (YYYY-MM)") from exc
    except OutOfRange as exc:
        raise click.ClickException(f"--month: {exc.message}") from exc
    actor = await acting_user(slug, username)
    ids = await month_assignments(actor.municipality_id, body.month)
    summary: dict[str, Any] = dict.fromkeys(OUTCOMES, 0) | {"total_kop": 0, "reasons": {}}
    with Progress() as progress:
        task = progress.add_task(f"{slug} {body.month}", total=len(ids) or 1)
        for i in range(0, len(ids), chunk):
            part = ids[i : i + chunk]
            out = await pay_month(platform, actor, body, only=part)
            for line in out.lines:
                summary[line.outcome] += 1
                if line.reason:
                    summary["reasons"][line.reason] = summary["reasons"].get(line.reason, 0) + 1
            summary["total_kop"] += int(out.total * 100)
            progress.advance(task, len(part))
        if not ids:
            progress.advance(task, 1)
    return summary


@click.group("subsidies")
def subsidies() -> None:
    """Housing subsidies (житлові субсидії)."""


@subsidies.command("pay-month")
@click.option("--month", required=True, help="The month to pay, YYYY-MM.")
@click.option("--municipality", required=True, help="The municipality's slug.")
@click.option("--user", "username", default=None, help="Act as this user (default: an accountant).")
def pay_month_command(month: str, municipality: str, username: str | None) -> None:
    """Pay a month: deliveries to the utility providers, payouts to cash recipients."""
    from core.sdk import DomainError, from_kopiyky, platform_for_command, run

    platform = platform_for_command()
    try:
        summary = run(lambda: pay_in_chunks(platform, municipality, month, username))
    except DomainError as exc:
        raise click.ClickException(f"{exc.field}: {exc.message}") from exc
    click.echo(
        f"{municipality} {month}: "
        + ", ".join(f"{summary[k]} {k.replace('_', ' ')}" for k in OUTCOMES)
        + f"; {from_kopiyky(summary['total_kop'])} UAH"
    )
    for reason, n in sorted(summary["reasons"].items(), key=lambda kv: -kv[1]):
        click.echo(f"  {n} × {reason}")
