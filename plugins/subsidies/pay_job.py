"""The month's subsidy pay run as a background job (``subsidies.pay_month``), started from
the desk's payments page: households in chunks of :data:`CHUNK`, progress and the cancel
check between chunks (docs/jobs.md).

Each household is paid by :func:`plugins.subsidies.pay.pay_month` in its own transaction
under the assignment's row lock, with the delivery keys (``subsidy:<assignment>:<utility>:
<month>``) and the payout's one-per-request-and-month as idempotency keys: a chunk run
twice pays nothing twice. The run lists only the households **not yet paid** for the
month (:func:`unpaid_assignments`), so a run started again after a cancel does only the
rest; a retried attempt also keeps a cursor (the last assignment done) in its state.

On PostgreSQL a month of more than one chunk is shared out: the job queues one part job
per chunk (the same job with the chunk's ``assignments``, its own key), which any worker
takes; the month's job runs the parts not taken yet itself and reports their sum
(:func:`_share_out`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from core.sdk import Delivery, Invalid, JobContext, JobSpec, Month, Payout, Text, clock
from plugins.subsidies.billing import SERVICE_CODE, key_of
from plugins.subsidies.schemas import PayIn, PayOut
from plugins.subsidies.tables import SubsidyMonth

NAME = "subsidies.pay_month"
#: Households per step: progress and the cancel check come between two chunks.
CHUNK = 200
OUTCOMES = ("recorded", "already_recorded", "nothing_due", "skipped")
#: A part whose progress stood still this long (seconds) is run by the month's own job.
STUCK_SECONDS = 90.0

M = SubsidyMonth


class PayMonthArgs(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    month: Month
    #: A part of a month's run (one chunk's assignments), run by whichever worker takes
    #: it; none: the whole month.
    assignments: list[int] | None = None


def part_key(municipality_id: int, month: str, ids: list[int]) -> str:
    return f"{pay_run_key(municipality_id, month)}:part:{ids[0]}-{ids[-1]}"


def pay_run_key(municipality_id: int, month: str) -> str:
    """One active pay run per municipality and month."""
    return f"{NAME}:{municipality_id}:{month}"


def check_month(month: str) -> None:
    """A month that has begun (the pay run refuses a later one)."""
    if date(int(month[:4]), int(month[5:]), 1) > clock.today():
        raise Invalid("місяць ще не настав / the month has not begun", "month")


async def unpaid_assignments(
    municipality_id: int, month: str, only: list[int] | None = None
) -> list[int]:
    """The assignments with a line of the month to pay that is not paid yet, ascending
    (of the ``only`` ones, for a part of a run: read among them alone, so a month's
    parts together read the month once, not once each).

    A non-cash line is paid when its delivery is recorded (its key); a cash household
    when its payout of the month exists, or when every line was paid to the providers.
    Lines the run cannot pay (no contract, nothing due) stay listed: a new run tries
    them again and records nothing twice."""
    where: Any = (
        (M.municipality == municipality_id)
        & (M.month == month)
        & (M.status == "active")
        & ((M.amount_kop > 0) | M.charged_kop.is_not_null())
    )
    if only is not None:
        if not only:
            return []
        where = where & M.assignment.is_in(sorted(only))
    rows = await M.select(
        M.assignment,
        M.utility,
        M.assignment.request.as_alias("request"),
        M.assignment.channel.as_alias("channel"),
    ).where(where)
    if not rows:
        return []
    paid: Any = (
        (Delivery.municipality == municipality_id)
        & (Delivery.service_code == SERVICE_CODE)
        & (Delivery.status == "recorded")
    )
    if only is not None:
        keys = sorted({key_of(r["assignment"], r["utility"], month) for r in rows})
        paid = paid & Delivery.unique_key.is_in(keys)
    else:
        paid = paid & Delivery.unique_key.like(f"subsidy:%:{month}")
    paid_keys = {r["unique_key"] for r in await Delivery.select(Delivery.unique_key).where(paid)}
    payouts: Any = (
        (Payout.municipality == municipality_id)
        & (Payout.service_code == SERVICE_CODE)
        & (Payout.period == month)
    )
    if only is not None:
        payouts = payouts & Payout.request.is_in(sorted({int(r["request"]) for r in rows}))
    paid_requests = {r["request"] for r in await Payout.select(Payout.request).where(payouts)}
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
    """Pay the month's unpaid households chunk by chunk (see the module's docstring); on
    PostgreSQL a month of more than one chunk is shared out as parts."""
    from core.sdk import job_store as store
    from plugins.subsidies.pay import pay_month

    check_month(args.month)
    actor = await ctx.actor()
    after = int(ctx.state.get("after", 0))
    unpaid = await unpaid_assignments(actor.municipality_id, args.month, args.assignments)
    ids = [i for i in unpaid if i > after]
    whole_month = args.assignments is None
    if whole_month and (
        "parts" in ctx.state or (len(ids) > CHUNK and not store.engine_is_embedded())
    ):
        await _share_out(ctx, args, actor, ids)
        return
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


async def _share_out(ctx: JobContext, args: PayMonthArgs, actor: Any, ids: list[int]) -> None:
    """Several workers share one month: one part job per chunk of households (its own
    idempotency key), queued for every worker; this job runs the parts no worker has
    taken yet itself, then waits for the others, reporting their sum as its progress.

    A part is idempotent like the whole run, so a part run twice (taken here and by a
    worker at the same moment, or retried after a crash) pays nothing twice. Cancelling
    this job cancels the parts not finished."""
    import asyncio
    import contextlib

    from core.sdk import JobCancelled, clock
    from core.sdk import job_queue as queue
    from core.sdk import job_runner as runner
    from core.sdk import job_store as store

    if "parts" not in ctx.state:
        parts = []
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            job_id, _ = await queue.enqueue(
                ctx.platform,
                NAME,
                PayMonthArgs(month=args.month, assignments=chunk),
                key=part_key(actor.municipality_id, args.month, chunk),
                municipality_id=ctx.municipality_id,
                user_id=ctx.user_id,
            )
            parts.append(job_id)
        ctx.state["parts"] = parts
        ctx.state["households"] = len(ids)
    parts = list(ctx.state["parts"])
    total = int(ctx.state["households"])
    seen: dict[int, tuple[int, Any]] = {}
    try:
        while True:
            jobs = [await store.read(p) for p in parts]
            for outcome in (*OUTCOMES, "total_kop"):
                ctx.state[outcome] = sum(int(j.result.get(outcome, 0)) for j in jobs)
            await ctx.progress(sum(j.done for j in jobs), total, "")
            active = [j for j in jobs if j.active]
            if not active:
                break
            now = clock.now()
            for j in active:
                # Not taken yet, or its worker stopped reporting (killed: the queue puts
                # it back after a while; a free slot here need not wait for that).
                last = seen.setdefault(j.id, (j.done, now))
                if last[0] != j.done:
                    seen[j.id] = (j.done, now)
                stuck = (now - seen[j.id][1]).total_seconds() > STUCK_SECONDS
                if j.state == "queued" or stuck:
                    with contextlib.suppress(runner.RetryLater):  # the queue retries it
                        await runner.execute(ctx.platform, j.id)
                    break
            else:
                await asyncio.sleep(0.5)
    except JobCancelled:
        for p in parts:
            await store.cancel(p)
        raise


JOBS = (
    JobSpec(
        name=NAME,
        title=Text("Субсидії: виплати за місяць", "Subsidies: the month's payments"),
        args_type=PayMonthArgs,
        run=pay_month_job,
    ),
)
