"""The wording of messages: a default per kind, which a municipality's admin may reword
(with a preview and a history), in Ukrainian and English, plus a short SMS.

A kind (:class:`MessageKind`) names its event, its variables with sample values for the
preview, and its default wording. Wording is Jinja in a sandbox (``{{ number }}``, ``{% if
service %}``): a variable the kind does not have, or broken syntax, is refused when the
admin saves, naming the field. The core's kinds are the news of a request; a plugin adds
its own with :func:`register` at import (documented in docs/plugin-guide.md).
"""

from __future__ import annotations

import functools
from typing import Any

import msgspec
from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from core import clock
from core.actor import Actor
from core.db.notify import MessageTemplate
from core.errors import Invalid, NotFound
from core.service import Text
from core.workflow import audit

FIELDS = ("subject_uk", "subject_en", "body_uk", "body_en", "sms_uk")
LIMITS = {"subject_uk": 255, "subject_en": 255, "body_uk": 4000, "body_en": 4000, "sms_uk": 400}

_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


@functools.lru_cache(maxsize=512)
def _compiled(source: str) -> Template:
    """A wording's field compiled once per process (compiling costs far more than
    rendering, and every message of an event renders the same few texts)."""
    return _env.from_string(source)


class Wording(msgspec.Struct, frozen=True, kw_only=True):
    subject_uk: str
    subject_en: str
    body_uk: str
    body_en: str
    sms_uk: str


class MessageKind(msgspec.Struct, frozen=True, kw_only=True):
    event: str
    title: Text
    #: Each variable with a sample value for the preview.
    variables: dict[str, str]
    default: Wording


_KINDS: dict[str, MessageKind] = {}


def register(kind: MessageKind) -> None:
    """Add a kind of message (a plugin's, at import); its default must render with its
    own sample values."""
    render_wording(kind.default, kind.variables, kind.variables)
    _KINDS[kind.event] = kind


def kinds() -> list[MessageKind]:
    return sorted(_KINDS.values(), key=lambda k: k.event)


def kind_of(event: str) -> MessageKind:
    found = _KINDS.get(event)
    if found is None:
        raise NotFound(f"немає такого повідомлення / no such message: {event}", "event")
    return found


def render_wording(wording: Wording, values: dict[str, str], allowed: dict[str, str]) -> Wording:
    """Each field rendered with ``values``; :class:`Invalid` naming the first field that
    breaks (a syntax error, or a variable not among ``allowed``)."""
    out: dict[str, str] = {}
    for field in FIELDS:
        source = getattr(wording, field)
        if len(source) > LIMITS[field]:
            raise Invalid(
                f"задовго: до {LIMITS[field]} символів / too long: {LIMITS[field]} at most",
                field,
            )
        try:
            template = _compiled(source)
            out[field] = template.render({k: values.get(k, "") for k in allowed})
        except TemplateError as exc:
            raise Invalid(
                f"шаблон не розібрано: {exc.message} / the template does not work: "
                f"{exc.message}; variables: {', '.join(sorted(allowed))}",
                field,
            ) from exc
    return Wording(**out)


async def in_force(municipality_id: int, event: str) -> Wording:
    """The municipality's newest wording of ``event``, or the default."""
    kind = kind_of(event)
    row = (
        await MessageTemplate.select(*(getattr(MessageTemplate, f) for f in FIELDS))
        .where((MessageTemplate.municipality == municipality_id) & (MessageTemplate.event == event))
        .order_by(MessageTemplate.id, ascending=False)
        .first()
    )
    return kind.default if row is None else msgspec.convert(row, Wording)


async def render(municipality_id: int, event: str, values: dict[str, str]) -> Wording:
    """The message of ``event`` with ``values`` in the municipality's wording."""
    kind = kind_of(event)
    wording = await in_force(municipality_id, event)
    try:
        return render_wording(wording, values, kind.variables)
    except Invalid:  # a saved wording is checked; this guards against a removed variable
        return render_wording(kind.default, values, kind.variables)


def preview(event: str, wording: Wording) -> Wording:
    kind = kind_of(event)
    return render_wording(wording, kind.variables, kind.variables)


async def save(actor: Actor, event: str, wording: Wording) -> None:
    """A new wording of ``event`` for the actor's municipality (checked first)."""
    preview(event, wording)
    await MessageTemplate(
        municipality=actor.municipality_id,
        event=event,
        set_by=actor.id,
        set_at=clock.now(),
        **msgspec.structs.asdict(wording),
    ).save()
    await audit.record(actor, "message_template.save", "message_template", None, {"event": event})


class Version(msgspec.Struct, frozen=True, kw_only=True):
    set_at: Any
    set_by: str
    wording: Wording


async def history(municipality_id: int, event: str, limit: int = 20) -> list[Version]:
    rows = (
        await MessageTemplate.select(
            MessageTemplate.set_at,
            MessageTemplate.set_by._.full_name,
            *(getattr(MessageTemplate, f) for f in FIELDS),
        )
        .where((MessageTemplate.municipality == municipality_id) & (MessageTemplate.event == event))
        .order_by(MessageTemplate.id, ascending=False)
        .limit(limit)
    )
    return [
        Version(
            set_at=r["set_at"],
            set_by=r["set_by.full_name"] or "",
            wording=Wording(**{f: r[f] for f in FIELDS}),
        )
        for r in rows
    ]
