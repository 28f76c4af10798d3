"""The ``export_file`` rows: stored once per job, read back only by the users who may
read what they hold, deleted once expired."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from core import clock
from core.actor import Actor
from core.db.exports import ExportFile
from core.errors import Forbidden, NotFound
from core.exports import READERS, ExportArgs
from core.exports.files import Built
from core.platform import decode

GONE = "файл більше не зберігається / the file is no longer kept"


class ExportOut(msgspec.Struct, kw_only=True):
    id: int
    job_id: int | None
    kind: str
    filename: str
    content_type: str
    size: int
    citizen_ids: list[int]
    municipality_id: int
    created_by: int | None
    created_at: datetime
    expires_at: datetime


_COLUMNS = (
    ExportFile.id,
    ExportFile.job,
    ExportFile.kind,
    ExportFile.filename,
    ExportFile.content_type,
    ExportFile.size,
    ExportFile.citizen_ids,
    ExportFile.municipality,
    ExportFile.created_by,
    ExportFile.created_at,
    ExportFile.expires_at,
)


def _out(row: dict[str, Any]) -> ExportOut:
    return ExportOut(
        id=row["id"],
        job_id=row["job"],
        kind=row["kind"],
        filename=row["filename"],
        content_type=row["content_type"],
        size=row["size"],
        citizen_ids=decode(row["citizen_ids"], []),
        municipality_id=row["municipality"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
    )


async def of_job(job_id: int) -> ExportOut | None:
    row = await ExportFile.select(*_COLUMNS).where(ExportFile.job == job_id).first()
    return None if row is None else _out(row)


async def save(
    job_id: int, actor: Actor, args: ExportArgs, built: Built, expires_at: datetime
) -> ExportOut:
    """Store the job's file, unless an earlier attempt of the job already did."""
    found = await of_job(job_id)
    if found is not None:
        return found
    await ExportFile.insert(
        ExportFile(
            job=job_id,
            kind=args.kind,
            params=msgspec.json.encode(args).decode(),
            filename=built.filename,
            content_type=built.content_type,
            size=len(built.content),
            content=built.content,
            citizen_ids=msgspec.json.encode(built.citizen_ids).decode(),
            municipality=actor.municipality_id,
            created_by=actor.id,
            created_at=clock.now(),
            expires_at=expires_at,
        )
    )
    saved = await of_job(job_id)
    assert saved is not None
    return saved


async def readable(actor: Actor, export_id: int) -> ExportOut:
    """The export, if the actor may download it: a user of its municipality with the
    access its kind requires, before it expires."""
    row = await ExportFile.select(*_COLUMNS).where(ExportFile.id == export_id).first()
    if row is None or row["municipality"] != actor.municipality_id:
        raise NotFound("файл не знайдено / file not found", "export_id")
    found = _out(row)
    if actor.role not in READERS.get(found.kind, ()):
        raise Forbidden("цей файл вам недоступний / you may not read this file", "export_id")
    if found.expires_at <= clock.now():
        raise NotFound(GONE, "export_id")
    return found


async def content(export_id: int) -> bytes:
    row = await ExportFile.select(ExportFile.content).where(ExportFile.id == export_id).first()
    if row is None:
        raise NotFound(GONE, "export_id")
    return bytes(row["content"])


async def delete_expired(now: datetime | None = None) -> list[int]:
    """Delete every export whose time is up; returns their ids."""
    moment = now or clock.now()
    rows = await ExportFile.select(ExportFile.id).where(ExportFile.expires_at <= moment)
    ids = sorted(r["id"] for r in rows)
    if ids:
        await ExportFile.delete().where(ExportFile.id.is_in(ids))
    return ids
