"""The queue: procrastinate on PostgreSQL (its tables in the application's own database),
an in-process task on the embedded SQLite default.

On PostgreSQL each :class:`core.db.jobs.Job` row is one procrastinate job of the task
``hromada.job`` (argument: the row's id). ``hromada worker`` processes, on any number of
machines, take jobs from it (``SELECT ... FOR UPDATE SKIP LOCKED`` inside procrastinate),
retry a failed attempt with a growing pause, send heartbeats, and put back the jobs of a
worker whose heartbeat stopped (killed, or its machine lost): the job then runs again
and skips the steps it had done. Once a minute the periodic task ``hromada.schedules``
(deferred once per minute across all workers) fires the jobs' schedules.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from datetime import UTC, datetime
from typing import Any

import msgspec

from core.jobs import runner, store

log = logging.getLogger("hromada.jobs")

TASK = "hromada.job"
SCHEDULES = "hromada.schedules"


class _State:
    app: Any = None
    url: str = ""
    platform: Any = None
    opened: bool = False


_state = _State()


async def apply_schema(db: Any) -> None:
    """Create procrastinate's tables and functions unless they exist (called by the
    core's migration on PostgreSQL)."""
    from procrastinate.schema import SchemaManager

    conn = await db.get_new_connection()
    try:
        if await conn.fetchval("SELECT to_regclass('procrastinate_jobs')") is None:
            # Several statements: asyncpg runs them as one simple query (no arguments).
            await conn.execute(SchemaManager.get_schema())
    finally:
        await conn.close()


def _conninfo(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


def app_for(platform: Any) -> Any:
    """The procrastinate app bound to the platform's database (one per process)."""
    import procrastinate

    url = platform.settings.database_url
    if _state.app is not None and _state.url == url:
        _state.platform = platform
        return _state.app
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=_conninfo(url)))

    @app.task(
        name=TASK,
        retry=procrastinate.RetryStrategy(max_attempts=runner.MAX_ATTEMPTS, exponential_wait=2),
    )
    async def run_job(job_id: int) -> None:
        try:
            await runner.execute(_state.platform, job_id)
        except runner.RetryLater as exc:
            raise RuntimeError(str(exc)) from None  # procrastinate retries it

    @app.periodic(cron="* * * * *", periodic_id="schedules")
    @app.task(name=SCHEDULES, queueing_lock=SCHEDULES)
    async def schedules(timestamp: int) -> None:
        await runner.tick_schedules(_state.platform, datetime.fromtimestamp(timestamp, UTC))

    _state.app, _state.url, _state.platform, _state.opened = app, url, platform, False
    return app


async def open_for(platform: Any) -> Any:
    app = app_for(platform)
    if not _state.opened:
        await app.open_async()
        _state.opened = True
    return app


async def close() -> None:
    if _state.app is not None and _state.opened:
        await _state.app.close_async()
        _state.opened = False


async def defer(platform: Any, job_id: int) -> None:
    from procrastinate.exceptions import AlreadyEnqueued

    app = await open_for(platform)
    with contextlib.suppress(AlreadyEnqueued):
        await app.configure_task(TASK, queueing_lock=f"job-{job_id}").defer_async(job_id=job_id)


async def enqueue(
    platform: Any,
    name: str,
    args: msgspec.Struct,
    *,
    key: str,
    municipality_id: int | None = None,
    user_id: int | None = None,
) -> tuple[int, bool]:
    """Queue a run of the job ``name`` (one active run per ``key``): returns (id,
    created). On PostgreSQL a worker runs it; on SQLite a task of this process."""
    from core.jobs.registry import spec

    if spec(platform, name) is None:
        raise KeyError(f"no job named {name!r}")
    job_id, created = await store.insert(
        name, args, key, municipality_id=municipality_id, user_id=user_id
    )
    if created:
        if store.engine_is_embedded():
            runner.spawn(platform, job_id)
        else:
            await defer(platform, job_id)
    return job_id, created


# ---------------------------------------------------------------- the worker (PostgreSQL)


async def _recover(platform: Any, stalled_after: float) -> None:
    """Put back the jobs of workers whose heartbeat stopped, and hand the queue any job
    row that has none (its enqueue stopped between the row and the defer)."""
    app = await open_for(platform)
    manager = app.job_manager
    await manager.prune_stalled_workers(stalled_after)
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
        log.warning("job %s of a stalled worker: retrying", job.id)
        await manager.retry_job(job)
    queued = await app.connector.execute_query_all_async(
        "SELECT (args->>'job_id')::bigint AS id FROM procrastinate_jobs "
        "WHERE task_name = %(task)s AND status IN ('todo', 'doing')",
        task=TASK,
    )
    held = {row["id"] for row in queued}
    for job_id in await store.unfinished(older_than_seconds=30):
        if job_id not in held:
            await defer(platform, job_id)


async def work(platform: Any, *, concurrency: int = 1, stalled_after: float = 30.0) -> None:
    """Run a worker until stopped (SIGINT/SIGTERM finish the running jobs first)."""
    app = await open_for(platform)

    async def recovering() -> None:
        while True:
            try:
                await _recover(platform, stalled_after)
            except Exception:
                log.exception("job recovery")
            await asyncio.sleep(max(1.0, stalled_after / 2))

    side = asyncio.get_running_loop().create_task(recovering())
    try:
        await app.run_worker_async(
            name=f"{socket.gethostname()}-{os.getpid()}",
            concurrency=concurrency,
            update_heartbeat_interval=max(1.0, stalled_after / 4),
            stalled_worker_timeout=stalled_after,
        )
    finally:
        side.cancel()
        await close()
