"""The month's subsidy pay run as a background job (``subsidies.pay_month``), started from
the desk's payments page: households in chunks of :data:`CHUNK`, progress and the cancel
check between chunks (docs/jobs.md).

Each household is paid by :func:`plugins.subsidies.pay.pay_month` in its own transaction
under the assignment's row lock, with the delivery keys (``subsidy:<assignment>:<utility>:
<month>``) and the payout's one-per-request-and-month as idempotency keys: a chunk run
twice pays nothing twice. The run lists only the households **not yet paid** for the
month (:func:`unpaid_assignments`), so a run started again after a cancel does only the
rest; a retried attempt also keeps a cursor (the last assignment done) in its state.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from core import clock
from core.db.market import Delivery, Payout
from core.errors import Invalid
from core.jobs import JobContext, JobSpec
from core.service import Text
from core.validators import Month
from plugins.subsidies.billing import SERVICE_CODE, key_of
from plugins.subsidies.schemas import PayIn, PayOut
from plugins.subsidies.tables import SubsidyMonth

NAME = "subsidies.pay_month"
#: Households per step: progress and the cancel check come between two chunks.
CHUNK = 200
OUTCOMES = ("recorded", "already_recorded", "nothing_due", "skipped")

M = SubsidyMonth


class PayMonthArgs(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    month: Month


def pay_run_key(municipality_id: int, month: str) -> str:
    """One active pay run per municipality and month."""
    return f"{NAME}:{municipality_id}:{month}"


def check_month(month: str) -> None:
    """A month that has begun (the pay run refuses a later one)."""
    if date(int(month[:4]), int(month[5:]), 1) > clock.today():
        raise Invalid("місяць ще не настав / the month has not begun", "month")


async def unpaid_assignments(municipality_id: int, month: str) -> list[int]:
    """The assignments with a line of the month to pay that is not paid yet, ascending.

    A non-cash line is paid when its delivery is recorded (its key); a cash household
    when its payout of the month exists, or when every line was paid to the providers.
    Lines the run cannot pay (no contract, nothing due) stay listed: a new run tries
    them again and records nothing twice."""
    rows = await M.select(
        M.assignment,
        M.utility,
        M.assignment.request.as_alias("request"),
        M.assignment.channel.as_alias("channel"),
    ).where(
        (M.municipality == municipality_id)
        & (M.month == month)
        & (M.status == "active")
        & ((M.amount_kop > 0) | M.charged_kop.is_not_null())
    )
    if not rows:
        return []
    paid_keys = {
        r["unique_key"]
        for r in await Delivery.select(Delivery.unique_key).where(
            (Delivery.municipality == municipality_id)
            & (Delivery.service_code == SERVICE_CODE)
            & (Delivery.status == "recorded")
            & Delivery.unique_key.like(f"subsidy:%:{month}")
        )
    }
    paid_requests = {
        r["request"]
        for r in await Payout.select(Payout.request).where(
            (Payout.municipality == municipality_id)
            & (Payout.service_code == SERVICE_CODE)
            & (Payout.period == month)
        )
    }
    todo: set[int] = set()
    for r in rows:
        if r["channel"] == "cash" and r["request"] in paid_requests:
            continue
        if key_of(r["assignment"], r["utility"], month) not in paid_keys:
            todo.add(r["assignment"])
    return sorted(todo)


def _tally(state: dict[str, Any], out: PayOut) -> None:
    for line in out.lines:
        state[line.outcome] = state.get(line.outcome, 0) + 1
    state["total_kop"] = state.get("total_kop", 0) + int(out.total * 100)


async def pay_month_job(ctx: JobContext, args: PayMonthArgs) -> None:
    """Pay the month's unpaid households chunk by chunk (see the module's docstring)."""
    from plugins.subsidies.pay import pay_month

    check_month(args.month)
    actor = await ctx.actor()
    after = int(ctx.state.get("after", 0))
    ids = [i for i in await unpaid_assignments(actor.municipality_id, args.month) if i > after]
    for outcome in OUTCOMES:
        ctx.state.setdefault(outcome, 0)
    total = ctx.done_before + len(ids)
    done = ctx.done_before
    await ctx.progress(done, total, "")
    body = PayIn(month=args.month)
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        out = await pay_month(ctx.platform, actor, body, only=part)
        _tally(ctx.state, out)
        ctx.state["after"] = part[-1]
        done += len(part)
        await ctx.progress(done, total, "")


JOBS = (
    JobSpec(
        name=NAME,
        title=Text("Субсидії: виплати за місяць", "Subsidies: the month's payments"),
        args_type=PayMonthArgs,
        run=pay_month_job,
    ),
)
