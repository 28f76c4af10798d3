"""Background jobs: long work (a month's invoice run, a rental billing run, the outbox)
that runs outside the request that asked for it, shows its progress, can be cancelled,
and is retried after a crash without doing anything twice.

A job is a registered :class:`JobSpec` (name, arguments as a msgspec Struct, an async
function). :func:`core.jobs.store.enqueue` records a :class:`core.db.jobs.Job` row and
hands it to the queue: on PostgreSQL the queue library (procrastinate, in the same
database) and ``hromada worker`` processes; on the embedded SQLite default a background
task of the web process. Either way :func:`core.jobs.runner.execute` runs the same
function. See docs/jobs.md.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from core.service import Text


class JobCancelled(Exception):
    """Raised inside a job by :meth:`JobContext.progress` once a cancel was asked."""


@dataclass(frozen=True, kw_only=True)
class Schedule:
    """When a job runs by itself: a cron line on the Kyiv wall clock.

    ``args`` turns the moment of the tick (Kyiv time) into the job's arguments, e.g.
    "last month" for a billing run on the 1st at 02:00 (``cron="0 2 1 * *"``).
    """

    cron: str
    args: Callable[[datetime], msgspec.Struct]
    #: Distinguishes two schedules of one job (default: the cron line).
    name: str = ""


@dataclass(frozen=True, kw_only=True)
class JobSpec:
    """A kind of job a plugin (or the core) registers.

    ``run(ctx, args)`` does the work in steps, each committed on its own, and calls
    ``await ctx.progress(done, total, message)`` between them: that records how far it
    got and raises :class:`JobCancelled` once someone asked to cancel. After a crash the
    job runs again from the start with the same arguments, so every step must skip what
    is already done (claim rows with a conditional UPDATE, use idempotency keys).
    """

    name: str
    title: Text
    args_type: type[msgspec.Struct]
    run: Callable[[JobContext, Any], Awaitable[None]]
    schedules: tuple[Schedule, ...] = ()
    #: Whether a finished run stays listed (the outbox's every-minute runs do not).
    keep_done: bool = True


@dataclass(kw_only=True)
class JobContext:
    """What a running job sees: the platform, its row, and the progress reporter."""

    platform: Any
    job_id: int
    municipality_id: int | None
    user_id: int | None
    attempt: int
    #: The job's record of its work so far (kept across retries; saved with progress).
    state: dict[str, Any] = field(default_factory=dict)
    #: Steps done by earlier attempts (a resumed job counts on from here).
    done_before: int = 0

    async def progress(self, done: int, total: int, message: str = "") -> None:
        from core.jobs import store

        if await store.save_progress(self.job_id, done, total, message, self.state):
            raise JobCancelled(self.job_id)
        await _step_pause()

    async def actor(self) -> Any:
        """The user who asked for the job, as an :class:`core.actor.Actor`."""
        from core.jobs import store

        return await store.actor_of(self.user_id)


async def _step_pause() -> None:
    """``HROMADA_JOB_STEP_PAUSE`` seconds after every step (tests and demos watch a job
    run; unset in production)."""
    import asyncio
    import os

    pause = float(os.environ.get("HROMADA_JOB_STEP_PAUSE", "0") or 0)
    if pause > 0:
        await asyncio.sleep(pause)


__all__ = ["JobCancelled", "JobContext", "JobSpec", "Schedule"]
