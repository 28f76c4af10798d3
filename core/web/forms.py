"""Forms on pages, generated from a Struct and its labels (:mod:`core.form_fields`).

A page renders the fields with the ``desk/_fields.html`` macro; on a post,
:func:`parse` turns the browser's form data back into the nested dict the Struct
expects (inputs are named by dotted path, rows by index: ``members.0.name``),
:func:`convert` validates it, and every problem comes back keyed by field path with a
message in the person's language, so the page shows it beside the field with what they
typed kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from core.errors import DomainError
from core.form_fields import FormField
from core.web.texts import Lang, texts
from core.workflow.eligibility import partial_form

_AT = re.compile(r"^(?P<msg>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_INDEX = re.compile(r"\[(\d+)\]")


def _set(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def _rows(data: Mapping[str, list[str]], prefix: str) -> list[int]:
    found = set()
    for key in data:
        if key.startswith(prefix):
            head = key[len(prefix) :].split(".", 1)[0]
            if head.isdigit():
                found.add(int(head))
    return sorted(found)


def _parse(
    fields: Iterable[FormField], data: Mapping[str, list[str]], prefix: str
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in fields:
        name = prefix + field.name
        values = [v for v in data.get(name, []) if v is not None]
        if field.kind == "bool":
            if name in data or f"{name}.present" in data:
                out[field.name] = any(v in ("on", "true", "1") for v in values)
            continue
        if field.kind == "choices":
            if values or f"{name}.present" in data:
                out[field.name] = [v for v in values if v]
            continue
        if field.kind == "group":
            out[field.name] = _parse(field.children, data, name + ".")
            continue
        if field.kind == "rows":
            rows = [_parse(field.children, data, f"{name}.{i}.") for i in _rows(data, name + ".")]
            if rows or f"{name}.present" in data:
                out[field.name] = [r for r in rows if any(v not in ("", None) for v in r.values())]
            continue
        text = values[-1].strip() if values else ""
        if text == "":
            if field.nullable and name in data:
                out[field.name] = None
            continue
        if field.kind == "decimal":
            text = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
        out[field.name] = text
    return out


def parse(fields: Iterable[FormField], data: Mapping[str, list[str]]) -> dict[str, Any]:
    """The posted form as the Struct's dict: empty inputs left out (so defaults apply),
    ticked boxes as booleans, several ticked choices as a list, groups and rows nested."""
    return _parse(fields, data, "")


def values_of(data: Mapping[str, list[str]]) -> dict[str, Any]:
    """What the person typed, by input name, to put back into the form."""
    return {k: (v if len(v) > 1 else (v[0] if v else "")) for k, v in data.items()}


def humane(message: str, lang: Lang) -> str:
    """A validation message in the person's language.

    Our own messages are written "українською / in English"; msgspec's are English and
    are turned into a plain sentence.
    """
    t = texts(lang)
    uk, sep, en = message.partition(" / ")
    if sep:
        return (en if lang == "en" else uk).strip()
    low = message.lower()
    if "missing required field" in low:
        return t["field_required"]
    if "expected `date`" in low or "invalid rfc3339" in low or "invalid date" in low:
        return t["field_date"]
    if "expected `int` >=" in low or "expected `int` <=" in low:
        return t["field_range"]  # a whole number, but out of its bounds
    if "expected `int`" in low:
        return t["field_int"]
    if (
        "expected `decimal`" in low
        or "invalid decimal" in low
        or "expected `number`" in low
        or "expected `float`" in low
    ):
        return t["field_number"]
    if "length <=" in low:
        return t["too_long"]
    if "length >=" in low:
        return t["field_required"]
    if "expected `str` matching" in low:
        return t["field_format"]
    if "expected `int` >=" in low or ">=" in low or "<=" in low:
        return t["field_range"]
    if "invalid enum value" in low:
        return t["field_choice"]
    return t["field_invalid"]


def _one_error(exc: msgspec.ValidationError, lang: Lang) -> tuple[str, str]:
    match = _AT.match(str(exc))
    assert match is not None
    path = _INDEX.sub(r".\1", (match.group("path") or "").lstrip("."))
    message = match.group("msg")
    name, sep, rest = message.partition(": ")
    if not path and sep and re.fullmatch(r"[a-z_][a-z0-9_.]*", name):
        path, message = name, rest  # a check in __post_init__: "<field>: message"
    if "missing required field" in message.lower():
        field = re.search(r"`([^`]+)`", message)
        if field:
            path = f"{path}.{field.group(1)}" if path else field.group(1)
    return path or "form", humane(message, lang)


def convert(
    struct: type[msgspec.Struct], raw: dict[str, Any], lang: Lang
) -> tuple[Any, dict[str, str]]:
    """Validate ``raw`` as ``struct``; the Struct, or an error message per field path
    (every bad field at once, not only the first)."""
    try:
        return msgspec.convert(raw, struct, strict=False), {}
    except msgspec.ValidationError as exc:
        first = _one_error(exc, lang)
    except DomainError as exc:  # a bound checked after decoding (core.validators.Checked)
        return None, domain_error(exc, lang)
    errors: dict[str, str] = {}
    partial = partial_form(struct)
    for field in msgspec.structs.fields(struct):
        if field.encode_name not in raw:
            if field.required:
                errors[field.encode_name] = texts(lang)["field_required"]
            continue
        try:
            msgspec.convert({field.encode_name: raw[field.encode_name]}, partial, strict=False)
        except msgspec.ValidationError as exc:
            path, message = _one_error(exc, lang)
            errors[path] = message
    return None, errors or dict([first])


def domain_error(exc: DomainError, lang: Lang) -> dict[str, str]:
    """A use case's refusal as an error beside its field (or above the form)."""
    return {exc.field or "form": humane(str(exc), lang)}
