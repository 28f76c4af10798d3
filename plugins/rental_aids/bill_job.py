"""The monthly rental billing as a background job, run by itself on the 1st at 02:00 for
the month before in every municipality that enables the plugin (or on demand for one).

Each municipality's run is :func:`plugins.rental_aids.bill.bill_month`, whose deliveries
carry idempotency keys per loan, month and kind: a run repeated after a crash records
nothing twice. It acts as the municipality's first active accountant (else admin)."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from core.sdk import Actor, JobContext, JobSpec, Month, Municipality, Schedule, Text, User

NAME = "rental_aids.bill"


class BillArgs(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    month: Month
    #: Only this municipality (default: every one that enables the plugin).
    municipality_id: int | None = None


def previous_month(tick: datetime) -> BillArgs:
    first = date(tick.year, tick.month, 1)
    last = date.fromordinal(first.toordinal() - 1)
    return BillArgs(month=f"{last.year:04d}-{last.month:02d}")


async def _acting(municipality_id: int) -> Actor | None:
    rows = await User.select(
        User.id, User.username, User.full_name, User.role, User.municipality.slug
    ).where(
        (User.municipality == municipality_id)
        & (User.active == True)  # noqa: E712
        & User.role.is_in(["accountant", "admin"])
    )
    if not rows:
        return None
    r = sorted(rows, key=lambda r: (r["role"] != "accountant", r["id"]))[0]
    return Actor(
        id=r["id"],
        username=r["username"],
        full_name=r["full_name"],
        role=r["role"],
        municipality_id=municipality_id,
        municipality_slug=r["municipality.slug"],
    )


async def bill_all(ctx: JobContext, args: BillArgs) -> None:
    from plugins.rental_aids.bill import bill_month

    platform = ctx.platform
    ids = [args.municipality_id] if args.municipality_id else []
    if not ids:
        for m in await Municipality.select(Municipality.id).order_by(Municipality.id):
            if "rental_aids" in await platform.enabled_plugins(m["id"]):
                ids.append(m["id"])
    billed = ctx.state.setdefault("municipalities", {})
    await ctx.progress(0, len(ids), "")
    for i, municipality_id in enumerate(ids, 1):
        actor = await _acting(municipality_id)
        if actor is not None:
            out = await bill_month(platform, actor, args.month)
            billed[str(municipality_id)] = {
                "recorded": out.recorded,
                "repeated": out.repeated,
                "refused": len(out.refused),
            }
        await ctx.progress(i, len(ids), "")


JOBS = (
    JobSpec(
        name=NAME,
        title=Text("Пункт прокату: рахунок за місяць", "Rental point: the month's bill"),
        args_type=BillArgs,
        run=bill_all,
        schedules=(Schedule(cron="0 2 1 * *", args=previous_month, name="monthly"),),
    ),
)
