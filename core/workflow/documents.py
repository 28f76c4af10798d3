"""Documents attached to a request: the one package of the single window.

Content is stored once per SHA-256; metadata rows point to it. Only PDF, JPEG and PNG are
accepted, recognised by their first bytes rather than by the name the client sent.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import msgspec

from core.actor import Actor
from core.db.engine import write_transaction
from core.db.tables import Document, DocumentBlob, Request
from core.errors import Invalid, NotFound
from core.workflow import audit

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES: dict[bytes, str] = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


class DocumentOut(msgspec.Struct, kw_only=True):
    id: int
    request_id: int | None
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


def sniff(content: bytes) -> str | None:
    for signature, content_type in SIGNATURES.items():
        if content.startswith(signature):
            return content_type
    return None


def _out(row: dict[str, Any]) -> DocumentOut:
    return DocumentOut(
        id=row["id"],
        request_id=row["request"],
        kind=row["kind"],
        filename=row["filename"],
        content_type=row["content_type"],
        size=row["size"],
        sha256=row["sha256"],
        uploaded_at=row["uploaded_at"],
    )


async def _request(actor: Actor, request_id: int) -> dict[str, Any]:
    row = (
        await Request.select(Request.id, Request.citizen)
        .where((Request.id == request_id) & (Request.municipality == actor.municipality_id))
        .first()
    )
    if row is None or (actor.role == "citizen" and row["citizen"] != actor.citizen_id):
        raise NotFound(f"звернення {request_id} не знайдено / request not found", "request_id")
    return row


async def attach(
    actor: Actor, request_id: int, filename: str, kind: str, content: bytes
) -> DocumentOut:
    req = await _request(actor, request_id)
    if not content:
        raise Invalid("порожній файл / the file is empty", "file")
    if len(content) > MAX_BYTES:
        raise Invalid("файл більший за 10 МБ / the file is over 10 MB", "file")
    content_type = sniff(content)
    if content_type is None:
        raise Invalid("приймаються PDF, JPEG або PNG / only PDF, JPEG or PNG", "file")
    digest = hashlib.sha256(content).hexdigest()
    async with write_transaction():
        if not await DocumentBlob.exists().where(DocumentBlob.sha256 == digest):
            await DocumentBlob(sha256=digest, content=content).save()
        row = Document(
            municipality=actor.municipality_id,
            request=request_id,
            citizen=req["citizen"],
            kind=kind,
            filename=filename[:255] or "document",
            content_type=content_type,
            size=len(content),
            sha256=digest,
            uploaded_by=actor.id,
        )
        await row.save()
        await audit.record(
            actor,
            "document.attach",
            "request",
            request_id,
            {"document": row.id, "sha256": digest, "kind": kind},
        )
    saved = await Document.select().where(Document.id == row.id).first()
    assert saved is not None
    return _out(saved)


async def listing(actor: Actor, request_id: int) -> list[DocumentOut]:
    await _request(actor, request_id)
    rows = await Document.select().where(Document.request == request_id).order_by(Document.id)
    return [_out(r) for r in rows]


async def content(actor: Actor, document_id: int) -> tuple[DocumentOut, bytes]:
    row = (
        await Document.select()
        .where((Document.id == document_id) & (Document.municipality == actor.municipality_id))
        .first()
    )
    if row is None or (actor.role == "citizen" and row["citizen"] != actor.citizen_id):
        raise NotFound(f"документ {document_id} не знайдено / document not found", "document_id")
    blob = (
        await DocumentBlob.select(DocumentBlob.content)
        .where(DocumentBlob.sha256 == row["sha256"])
        .first()
    )
    assert blob is not None
    await audit.record(actor, "document.read", "document", document_id)
    return _out(row), bytes(blob["content"])
