"""Running a job, the same code on either engine: :func:`execute` claims the job's row,
runs its function with a progress reporter, and records how it ended.

On the embedded SQLite default there is no worker: :func:`spawn` runs a job as a
background task of the web process, :func:`run_in_process` (started by the web app's
lifespan) resumes the jobs a stopped process left unfinished and fires the schedules
once a minute. On PostgreSQL :mod:`core.jobs.queue` calls :func:`execute` from
``hromada worker`` processes.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

import msgspec
from croniter import croniter

from core import clock
from core.jobs import JobCancelled, JobContext, JobSpec, Schedule, store
from core.jobs.registry import specs

log = logging.getLogger("hromada.jobs")

#: Attempts at one job (a crash or an error each count) before it is marked failed.
MAX_ATTEMPTS = 5
#: How late a schedule's tick may still fire (a process that was down longer skips it).
CATCH_UP = timedelta(minutes=10)


class RetryLater(Exception):
    """The attempt failed; the queue should run the job again."""


async def execute(platform: Any, job_id: int) -> str:
    """Run the job once more; returns the state it ended in, or raises
    :class:`RetryLater` when it failed and has attempts left."""
    job = await store.claim(job_id)
    if job is None:
        return (await store.read(job_id)).state
    spec = specs(platform).get(job.name)
    if spec is None:
        await store.finish(job_id, "failed", error=f"unknown job {job.name!r}")
        return "failed"
    ctx = JobContext(
        platform=platform,
        job_id=job_id,
        municipality_id=job.municipality_id,
        user_id=job.created_by,
        attempt=job.attempts,
        state=dict(job.result),
        done_before=job.done,
    )
    try:
        args = msgspec.convert(job.args, spec.args_type)
        await spec.run(ctx, args)
    except JobCancelled:
        await store.finish(job_id, "cancelled")
        return "cancelled"
    except asyncio.CancelledError:
        raise  # the process stops: the row stays running and is resumed
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        if job.attempts >= MAX_ATTEMPTS:
            log.exception("job %s (%s) failed", job_id, job.name)
            await store.finish(job_id, "failed", error=error)
            return "failed"
        log.warning("job %s (%s) attempt %s failed: %s", job_id, job.name, job.attempts, error)
        await store.requeue(job_id, error)
        raise RetryLater(error) from exc
    await store.finish(job_id, "done", delete=not spec.keep_done)
    return "done"


# ---------------------------------------------------------------- in-process (SQLite)

_tasks: set[asyncio.Task[Any]] = set()


async def run_here(platform: Any, job_id: int) -> str:
    """Execute the job in this process, retrying with a growing pause."""
    for attempt in range(MAX_ATTEMPTS + 1):
        try:
            return await execute(platform, job_id)
        except RetryLater:
            await asyncio.sleep(min(60.0, 0.5 * 2**attempt))
    return (await store.read(job_id)).state


def spawn(platform: Any, job_id: int) -> None:
    task = asyncio.get_running_loop().create_task(run_here(platform, job_id))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def settle() -> None:
    """Wait for the jobs :func:`spawn` started (tests, shutdown)."""
    while _tasks:
        await asyncio.gather(*list(_tasks), return_exceptions=True)


async def stop() -> None:
    """Stop the in-process jobs (their rows stay running: resumed at the next start)."""
    for task in list(_tasks):
        task.cancel()
    await settle()


async def drain(platform: Any) -> list[int]:
    """Run every queued or running job now, in this process, one after another."""
    ids = await store.unfinished()
    for job_id in ids:
        await run_here(platform, job_id)
    return ids


# ---------------------------------------------------------------- schedules


def _name(spec: JobSpec, schedule: Schedule) -> str:
    return f"{spec.name}@{schedule.name or schedule.cron}"


def due(schedule: Schedule, now: datetime) -> datetime | None:
    """The schedule's latest tick at or before ``now`` (Kyiv wall clock), if it is no
    older than :data:`CATCH_UP`."""
    local = now.astimezone(clock.KYIV)
    tick: datetime = croniter(schedule.cron, local + timedelta(seconds=1)).get_prev(datetime)
    if tick.tzinfo is None:
        tick = tick.replace(tzinfo=clock.KYIV)
    return tick if local - tick <= CATCH_UP else None


async def tick_schedules(platform: Any, now: datetime | None = None) -> list[int]:
    """Enqueue every schedule whose tick is due and has not run yet (the tick is in the
    job's idempotency key, so each tick runs once across processes)."""
    from core.jobs.queue import enqueue

    now = now or clock.now()
    made = []
    for spec in specs(platform).values():
        for schedule in spec.schedules:
            tick = due(schedule, now)
            if tick is None:
                continue
            key = f"schedule:{_name(spec, schedule)}:{tick.isoformat()}"
            if await store.key_used(key):
                continue
            job_id, created = await enqueue(platform, spec.name, schedule.args(tick), key=key)
            if created:
                made.append(job_id)
    return made


async def run_in_process(platform: Any, every_seconds: float = 60.0) -> None:
    """The embedded default's worker, inside the web process: resume what a stopped
    process left, then fire due schedules every minute until cancelled."""
    for job_id in await store.unfinished():
        spawn(platform, job_id)
    while True:
        try:
            await tick_schedules(platform)
        except Exception:
            log.exception("job schedules")
        await asyncio.sleep(every_seconds)
