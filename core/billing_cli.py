"""``hromada billing run --period YYYY-MM``: draft every due invoice, with a progress bar."""

from __future__ import annotations

from typing import Any

import click

from core.actor import Actor
from core.db.market import DeliverySheet
from core.db.tables import Municipality, User
from core.platform import Platform
from core.workflow.market import invoices
from core.workflow.market.invoices import RunIn
from core.workflow.market.units import period_bounds

CHUNK = 50


async def acting_user(slug: str, username: str | None) -> Actor:
    """The user a batch command acts as in the municipality: the one named, or its first
    active accountant (else admin)."""
    query = User.select(
        User.id, User.username, User.full_name, User.role, User.municipality, User.municipality.slug
    ).where(
        (User.municipality.slug == slug) & (User.active == True)  # noqa: E712
    )
    query = query.where(User.role.is_in(["accountant", "admin"]))
    if username:
        query = query.where(User.username == username)
    rows = sorted(await query, key=lambda r: (r["role"] != "accountant", r["id"]))
    if not rows:
        raise click.ClickException(
            f"{slug}: no active {'user ' + username if username else 'accountant or admin'}"
        )
    r = rows[0]
    return Actor(
        id=r["id"],
        username=r["username"],
        full_name=r["full_name"],
        role=r["role"],
        municipality_id=r["municipality"],
        municipality_slug=r["municipality.slug"],
    )


async def run_billing(
    platform: Platform, period: str, municipality: str | None, username: str | None
) -> list[dict[str, Any]]:
    from rich.progress import Progress

    period_bounds(period)
    munis = await Municipality.select(Municipality.id, Municipality.slug).order_by(Municipality.id)
    if municipality:
        munis = [m for m in munis if m["slug"] == municipality]
        if not munis:
            raise click.ClickException(f"municipality {municipality!r} not found")
    summary = []
    with Progress() as progress:
        for muni in munis:
            sheets = await DeliverySheet.select(DeliverySheet.contract).where(
                (DeliverySheet.municipality == muni["id"])
                & (DeliverySheet.period == period)
                & (DeliverySheet.status == "open")
                & (DeliverySheet.deliveries > 0)
            )
            contracts = sorted({s["contract"] for s in sheets})
            task = progress.add_task(f"{muni['slug']} {period}", total=len(contracts) or 1)
            drafted, total = 0, 0
            if contracts:
                actor = await acting_user(muni["slug"], username)
                for i in range(0, len(contracts), CHUNK):
                    chunk = contracts[i : i + CHUNK]
                    made = await invoices.run(
                        platform, actor, RunIn(period=period, contract_ids=chunk)
                    )
                    drafted += len(made)
                    total += sum(int(m.total * 100) for m in made)
                    progress.advance(task, len(chunk))
            else:
                progress.advance(task, 1)
            summary.append({"municipality": muni["slug"], "invoices": drafted, "total_kop": total})
    return summary
