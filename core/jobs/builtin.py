"""The core's own jobs: the month's invoice run, the outbox delivery and the exports
(:mod:`core.exports.jobs`)."""

from __future__ import annotations

from typing import Any

import msgspec

from core.db.market import DeliverySheet, Invoice
from core.exports.jobs import EXPORT_JOBS
from core.jobs import JobContext, JobSpec, Schedule
from core.service import Text
from core.validators import Month
from core.workflow.market import invoices
from core.workflow.market.invoices import RunIn
from core.workflow.market.units import period_bounds

INVOICE_RUN = "invoices.run"
OUTBOX = "outbox.deliver"


class InvoiceRunArgs(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    period: Month


class NoArgs(msgspec.Struct, forbid_unknown_fields=True):
    pass


def invoice_run_key(municipality_id: int, provider_id: int | None, period: str) -> str:
    """One active invoice run per municipality, provider (or all) and month."""
    return f"{INVOICE_RUN}:{municipality_id}:{provider_id or 'all'}:{period}"


async def due_contracts(actor: Any, period: str) -> list[int]:
    """Contracts with an open sheet of the month that holds deliveries, in the actor's
    reach (a provider's user: its own)."""
    where: Any = (
        (DeliverySheet.municipality == actor.municipality_id)
        & (DeliverySheet.period == period)
        & (DeliverySheet.status == "open")
        & (DeliverySheet.deliveries > 0)
    )
    if actor.role == "provider":
        where = where & (DeliverySheet.contract.provider == actor.provider_id)
    rows = await DeliverySheet.select(DeliverySheet.contract).where(where)
    return sorted({r["contract"] for r in rows})


async def _invoices_of(actor: Any, period: str) -> int:
    where: Any = (Invoice.municipality == actor.municipality_id) & (Invoice.period == period)
    if actor.role == "provider":
        where = where & (Invoice.provider == actor.provider_id)
    return int(await Invoice.count().where(where))


async def invoice_run(ctx: JobContext, args: InvoiceRunArgs) -> None:
    """Draft the month's invoices contract by contract, each in its own transaction.

    A contract's sheet is claimed by a conditional UPDATE inside
    :func:`core.workflow.market.invoices.run`, so a contract already invoiced (by an
    earlier attempt, or by anyone) is no longer due and is skipped: a retried run makes
    no invoice twice."""
    period_bounds(args.period)
    actor = await ctx.actor()
    if "before" not in ctx.state:
        ctx.state["before"] = await _invoices_of(actor, args.period)
    contracts = await due_contracts(actor, args.period)
    total = ctx.done_before + len(contracts)
    await ctx.progress(ctx.done_before, total, "")
    for i, contract_id in enumerate(contracts, 1):
        made = await invoices.run(
            ctx.platform, actor, RunIn(period=args.period, contract_ids=[contract_id])
        )
        ctx.state["total_kop"] = ctx.state.get("total_kop", 0) + sum(
            int(m.total * 100) for m in made
        )
        await ctx.progress(ctx.done_before + i, total, "")
    ctx.state["invoices"] = await _invoices_of(actor, args.period) - ctx.state["before"]
    await ctx.progress(total, total, "")


async def outbox_delivery(ctx: JobContext, args: NoArgs) -> None:
    from core.notify import outbox

    ctx.state["sent"] = await outbox.deliver_due(ctx.platform.settings)


CORE_JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        name=INVOICE_RUN,
        title=Text("Рахунки за місяць", "The month's invoices"),
        args_type=InvoiceRunArgs,
        run=invoice_run,
    ),
    JobSpec(
        name=OUTBOX,
        title=Text("Надсилання повідомлень", "Sending messages"),
        args_type=NoArgs,
        run=outbox_delivery,
        schedules=(Schedule(cron="* * * * *", args=lambda _tick: NoArgs()),),
        keep_done=False,
    ),
    *EXPORT_JOBS,
)
