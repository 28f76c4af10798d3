"""The export jobs: ``exports.build`` makes one file, ``exports.cleanup`` (every night)
deletes the expired ones."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from core import clock
from core.exports import ExportArgs
from core.exports import store as export_store
from core.exports.files import build
from core.jobs import JobContext, JobSpec, Schedule
from core.service import Text

EXPORT = "exports.build"
CLEANUP = "exports.cleanup"


class CleanupArgs(msgspec.Struct, forbid_unknown_fields=True):
    pass


async def build_export(ctx: JobContext, args: ExportArgs) -> None:
    """Compute the file and store it (two steps). A retried job whose file was stored
    stores nothing twice (one file per job, a unique index)."""
    found = await export_store.of_job(ctx.job_id)
    if found is None:
        await ctx.progress(0, 2, "")
        actor = await ctx.actor()
        built = await build(ctx.platform, actor, args)
        await ctx.progress(1, 2, "")
        days = ctx.platform.settings.export_keep_days
        found = await export_store.save(
            ctx.job_id, actor, args, built, clock.now() + timedelta(days=days)
        )
    ctx.state["export_id"] = found.id
    ctx.state["filename"] = found.filename
    ctx.state["size"] = found.size
    await ctx.progress(2, 2, "")


async def cleanup(ctx: JobContext, args: CleanupArgs) -> None:
    ctx.state["deleted"] = len(await export_store.delete_expired())
    await ctx.progress(1, 1, "")


EXPORT_JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        name=EXPORT,
        title=Text("Підготовка файлу", "Preparing the file"),
        args_type=ExportArgs,
        run=build_export,
    ),
    JobSpec(
        name=CLEANUP,
        title=Text("Видалення застарілих файлів", "Deleting expired files"),
        args_type=CleanupArgs,
        run=cleanup,
        # Kept when done: the tick's key then stays used, so the tick runs once.
        schedules=(Schedule(cron="30 3 * * *", args=lambda _tick: CleanupArgs()),),
    ),
)
