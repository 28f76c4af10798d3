"""The ``job`` rows: enqueue (one active job per idempotency key), progress, cancel,
listing. The queue itself is :mod:`core.jobs.queue` (PostgreSQL) or
:mod:`core.jobs.runner` (in-process, SQLite)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from core import clock
from core.actor import Actor
from core.db.engine import is_sqlite, write_transaction
from core.db.jobs import Job
from core.db.tables import User
from core.errors import Conflict, NotFound
from core.platform import decode

ACTIVE = ("queued", "running")
FINAL = ("done", "failed", "cancelled")


class JobOut(msgspec.Struct, kw_only=True):
    id: int
    name: str
    args: dict[str, Any]
    state: str
    done: int
    total: int
    message: str
    result: dict[str, Any]
    error: str
    cancel_requested: bool
    attempts: int
    municipality_id: int | None
    created_by: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def active(self) -> bool:
        return self.state in ACTIVE


def _out(row: dict[str, Any]) -> JobOut:
    return JobOut(
        id=row["id"],
        name=row["name"],
        args=decode(row["args"], {}),
        state=row["state"],
        done=row["done"],
        total=row["total"],
        message=row["message"],
        result=decode(row["result"], {}),
        error=row["error"],
        cancel_requested=bool(row["cancel_requested"]),
        attempts=row["attempts"],
        municipality_id=row["municipality"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
    )


async def insert(
    name: str,
    args: msgspec.Struct,
    key: str,
    *,
    municipality_id: int | None,
    user_id: int | None,
) -> tuple[int, bool]:
    """The job's row: a new one, or the queued or running one with the same key.
    Returns (id, created)."""
    encoded = msgspec.json.encode(args).decode()
    for _ in range(3):
        async with write_transaction():
            made = await Job.raw(
                "INSERT INTO job (name, args, idempotency_key, state, done, total, message, "
                "result, error, cancel_requested, attempts, municipality, created_by, "
                "created_at) VALUES ({}, {}, {}, 'queued', 0, 0, '', {}, '', {}, 0, {}, {}, "
                "{}) ON CONFLICT (idempotency_key) WHERE state IN ('queued', 'running') "
                "DO NOTHING RETURNING id",
                name,
                encoded,
                key,
                "{}",
                False,
                municipality_id,
                user_id,
                clock.now(),
            )
            if made:
                return int(made[0]["id"]), True
            active = (
                await Job.select(Job.id)
                .where((Job.idempotency_key == key) & Job.state.is_in(list(ACTIVE)))
                .first()
            )
            if active is not None:
                return int(active["id"]), False
    raise Conflict("задачу не вдалося поставити в чергу / the job could not be queued", "key")


async def key_used(key: str) -> bool:
    """Whether any job, in any state, has this key (a schedule's tick ran)."""
    return bool(await Job.exists().where(Job.idempotency_key == key))


async def read(job_id: int) -> JobOut:
    row = await Job.select().where(Job.id == job_id).first()
    if row is None:
        raise NotFound(f"задачу {job_id} не знайдено / job not found", "job_id")
    return _out(row)


async def listing(
    *, municipality_id: int | None = None, limit: int = 50, states: tuple[str, ...] = ()
) -> list[JobOut]:
    query = Job.select().order_by(Job.id, ascending=False).limit(limit)
    if municipality_id is not None:
        query = query.where(Job.municipality == municipality_id)
    if states:
        query = query.where(Job.state.is_in(list(states)))
    return [_out(r) for r in await query]


async def claim(job_id: int) -> JobOut | None:
    """Mark the job running for one more attempt; None when there is nothing to run (it
    finished, failed or was cancelled; a cancel asked while queued ends it here)."""
    now = clock.now()
    async with write_transaction():
        await Job.update({Job.state: "cancelled", Job.finished_at: now}).where(
            (Job.id == job_id) & Job.state.is_in(list(ACTIVE)) & (Job.cancel_requested == True)  # noqa: E712
        )
        rows = await Job.raw(
            "UPDATE job SET state = 'running', attempts = attempts + 1, started_at = {} "
            "WHERE id = {} AND state IN ('queued', 'running') RETURNING id, state",
            now,
            job_id,
        )
    if not rows or rows[0]["state"] != "running":
        return None
    return await read(job_id)


async def save_progress(
    job_id: int, done: int, total: int, message: str, state: dict[str, Any]
) -> bool:
    """Record progress; returns whether a cancel was asked."""
    rows = await Job.raw(
        "UPDATE job SET done = {}, total = {}, message = {}, result = {} WHERE id = {} "
        "RETURNING cancel_requested",
        done,
        total,
        message[:1000],
        msgspec.json.encode(state).decode(),
        job_id,
    )
    return bool(rows and rows[0]["cancel_requested"])


async def finish(job_id: int, state: str, *, error: str = "", delete: bool = False) -> None:
    if delete:
        await Job.delete().where(Job.id == job_id)
        return
    await Job.update(
        {Job.state: state, Job.error: error[:4000], Job.finished_at: clock.now()}
    ).where(Job.id == job_id)


async def requeue(job_id: int, error: str) -> None:
    """An attempt failed and the queue will try again."""
    await Job.update({Job.state: "queued", Job.error: error[:4000]}).where(
        (Job.id == job_id) & Job.state.is_in(list(ACTIVE))
    )


async def cancel(job_id: int) -> JobOut:
    """Ask the job to stop: a queued job is cancelled at once, a running one stops at its
    next step (its steps done so far stay done)."""
    active = (Job.id == job_id) & Job.state.is_in(list(ACTIVE))
    async with write_transaction():
        await Job.update({Job.cancel_requested: True}).where(active)
        await Job.update({Job.state: "cancelled", Job.finished_at: clock.now()}).where(
            (Job.id == job_id) & (Job.state == "queued")
        )
    return await read(job_id)


async def unfinished(older_than_seconds: float = 0) -> list[int]:
    """Queued or running jobs (to resume after a restart, or to hand to the queue)."""
    rows = await Job.select(Job.id, Job.created_at).where(Job.state.is_in(list(ACTIVE)))
    limit = clock.now().timestamp() - older_than_seconds
    return sorted(r["id"] for r in rows if r["created_at"].timestamp() <= limit)


async def actor_of(user_id: int | None) -> Actor:
    row = (
        await User.select(
            User.id,
            User.username,
            User.full_name,
            User.role,
            User.municipality,
            User.municipality.slug,
            User.provider,
            User.active,
        )
        .where(User.id == (user_id or 0))
        .first()
    )
    if row is None or not row["active"]:
        raise NotFound("користувача задачі немає / the job's user is gone", "created_by")
    return Actor(
        id=row["id"],
        username=row["username"],
        full_name=row["full_name"],
        role=row["role"],
        municipality_id=row["municipality"],
        municipality_slug=row["municipality.slug"],
        provider_id=row["provider"],
    )


def engine_is_embedded() -> bool:
    return is_sqlite()
