"""Validating a plugin's application form, reporting every bad field at once."""

from __future__ import annotations

import re
from typing import Any

import msgspec

from core.validators import OutOfRange, check_tree
from core.workflow.eligibility import partial_form

_AT = re.compile(r"^(?P<msg>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)


class FieldError(msgspec.Struct, frozen=True):
    key: str
    message: str
    source: str = "body"


def _split(error: msgspec.ValidationError, prefix: str) -> tuple[str, str]:
    match = _AT.match(str(error))
    assert match is not None
    path = match.group("path") or ""
    return prefix + path, match.group("msg")


def validate_form(
    form: type[msgspec.Struct], data: Any, prefix: str = "form"
) -> tuple[msgspec.Struct | None, list[FieldError]]:
    """Convert ``data`` to ``form``; on failure list an error for each bad field. A date,
    month or amount outside the bounds (:mod:`core.validators`) is a 422 naming the field's
    whole path, e.g. ``tariff.base_fee``."""
    try:
        converted = msgspec.convert(data, form)
    except OutOfRange as exc:
        exc.field = f"{prefix}.{exc.field}" if exc.field else prefix
        raise
    except msgspec.ValidationError as exc:
        first = exc
    else:
        check_tree(converted, prefix)
        return converted, []
    if not isinstance(data, dict):
        key, msg = _split(first, prefix)
        return None, [FieldError(key, msg)]
    errors: list[FieldError] = []
    fields = {f.name: f for f in msgspec.structs.fields(form)}
    partial = partial_form(form)
    for name, field in fields.items():
        if name not in data:
            if field.required:
                errors.append(FieldError(f"{prefix}.{name}", "Object missing required field"))
            continue
        try:
            msgspec.convert({name: data[name]}, partial)
        except OutOfRange as exc:
            errors.append(FieldError(f"{prefix}.{exc.field or name}", exc.message))
        except msgspec.ValidationError as exc:
            key, msg = _split(exc, prefix)
            errors.append(FieldError(key, msg))
    forbid = form.__struct_config__.forbid_unknown_fields
    if forbid:
        errors.extend(
            FieldError(f"{prefix}.{k}", "Object contains unknown field")
            for k in data
            if k not in fields
        )
    if not errors:  # a check in the form's __post_init__ failed: "<field>: message"
        key, msg = _split(first, prefix)
        name, sep, rest = msg.partition(": ")
        if sep and name in fields:
            key, msg = f"{prefix}.{name}", rest
        errors.append(FieldError(key, msg))
    return None, errors


def partial_answers(form: type[msgspec.Struct], answers: dict[str, Any]) -> tuple[Any, list[str]]:
    """The answers that fit the form (others dropped and listed), as a partial form."""
    partial = partial_form(form)
    names = set(form.__struct_fields__)
    mine = {k: v for k, v in answers.items() if k in names}
    invalid: list[str] = []
    while True:
        try:
            converted = msgspec.convert(mine, partial)
            check_tree(converted, "")
            return converted, invalid
        except (msgspec.ValidationError, OutOfRange) as exc:
            if isinstance(exc, OutOfRange):
                key = exc.field or ""
            else:
                key, _ = _split(exc, "")
            top = key.lstrip(".").split(".")[0].split("[")[0]
            if top not in mine:
                return msgspec.convert({}, partial), sorted(mine)
            invalid.append(top)
            mine.pop(top)
