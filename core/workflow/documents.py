"""Documents attached to a request: the one package of the single window.

Content is stored once per SHA-256; metadata rows point to it. Only PDF, JPEG and PNG are
accepted, recognised by their first bytes rather than by the name the client sent.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime
from typing import Any
from urllib.parse import quote

import msgspec

from core.actor import Actor
from core.db.engine import write_transaction
from core.db.tables import Document, DocumentBlob, Request
from core.errors import Invalid, NotFound
from core.workflow import audit

#: The largest file accepted (10 MiB). The HTTP layer caps a whole request body a little
#: above it (``core.api.app.MAX_BODY_BYTES``), for the multipart framing.
MAX_BYTES = 10 * 1024 * 1024
SIGNATURES: dict[bytes, str] = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
#: The extensions a recognised content type may carry; the first is added when the name
#: sent has none of them.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe"),
}
#: The longest display name kept, extension included.
NAME_LENGTH = 120
#: Characters no file system or header should see in a name.
_SPACES = {"Cc": " ", "Zs": " ", "Zl": " ", "Zp": " ", "Cf": "", "Co": "", "Cn": "", "Cs": ""}
_UNSAFE = re.compile(r'[<>:"|?*;\x00-\x1f\x7f]')


def display_name(sent: str | None, content_type: str) -> str:
    """A safe name to show and to offer on download for the file name the client sent.

    Only the last path part is kept (``../../x`` → ``x``); control and formatting
    characters, characters Windows forbids and the header separators are dropped or
    replaced; leading dots and spaces go; the length is bounded; the extension is the one
    of the type recognised from the content (``scan.exe`` of a PDF is ``scan.exe.pdf``).
    Ukrainian and other letters stay.
    """
    name = unicodedata.normalize("NFC", sent or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(_SPACES.get(unicodedata.category(c), c) for c in name)
    name = " ".join(_UNSAFE.sub("_", name).split()).lstrip(". ")
    allowed = EXTENSIONS.get(content_type, ())
    stem, dot, ext = name.rpartition(".")
    if dot and stem and ("." + ext).lower() in allowed:
        suffix = "." + ext.lower()
    else:
        stem, suffix = name, allowed[0] if allowed else ""
    stem = stem[: NAME_LENGTH - len(suffix)].rstrip(". ") or "document"
    return stem + suffix


def content_disposition(name: str) -> str:
    """``attachment`` with the name: an ASCII ``filename`` for old clients and the exact
    one as ``filename*`` (RFC 5987, UTF-8) when it is not plain ASCII."""
    ascii_name = "".join(c if " " <= c <= "~" and c not in '"\\%' else "_" for c in name)
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


class DocumentOut(msgspec.Struct, kw_only=True):
    id: int
    request_id: int | None
    #: The citizen the document is about (the request's applicant).
    citizen_id: int | None
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
        citizen_id=row["citizen"],
        kind=row["kind"],
        filename=display_name(row["filename"], row["content_type"]),
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
        raise Invalid(
            f"файл більший за 10 МБ ({MAX_BYTES} байт) / the file is over 10 MB "
            f"({MAX_BYTES} bytes)",
            "file",
        )
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
            filename=display_name(filename, content_type),
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
    await audit.read(actor, "document.read", "document", document_id)
    return _out(row), bytes(blob["content"])
