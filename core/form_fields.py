"""A service's form Struct described field by field, for pages and for the load-time check.

A plugin declares how each field of its form is shown in ``Service.labels``: a
:class:`~core.service.FieldLabel` per dotted path (``"deceased_last_name"``,
``"members.incomes.amount"`` for a field of the Structs in a list), with the label and
optional help in Ukrainian and English and, for a field with fixed choices, each choice in
words. :func:`describe` turns the Struct and its labels into :class:`FormField` rows a page
renders without plugin HTML; :func:`label_problems` lists what the plugin left out.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import msgspec
import msgspec.inspect as mi

from core.service import FieldLabel, Text

Kind = Literal["text", "date", "bool", "int", "decimal", "choice", "choices", "group", "rows"]


class FormField(msgspec.Struct, frozen=True, kw_only=True):
    """One field as a page shows it."""

    path: str
    name: str
    kind: Kind
    required: bool
    label: Text
    help: Text | None = None
    #: ``(value, words)`` for ``choice`` and ``choices``, in the order declared.
    choices: tuple[tuple[str, Text], ...] = ()
    nullable: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    ge: int | None = None
    le: int | None = None
    default: Any = None
    #: The fields of a ``group`` (one nested Struct) or of each row of ``rows``.
    children: tuple[FormField, ...] = ()


_MISSING = Text("", "")


def _unwrap(t: mi.Type) -> tuple[mi.Type, bool]:
    nullable = False
    while True:
        if isinstance(t, mi.Metadata):
            t = t.type
        elif isinstance(t, mi.UnionType):
            rest = [x for x in t.types if not isinstance(x, mi.NoneType)]
            nullable = nullable or len(rest) < len(t.types)
            if len(rest) != 1:
                return t, nullable
            t = rest[0]
        else:
            return t, nullable


def _choices(t: mi.Type) -> tuple[Any, ...] | None:
    if isinstance(t, mi.LiteralType):
        return tuple(t.values)
    if isinstance(t, mi.EnumType):
        return tuple(member.value for member in t.cls)
    return None


def _default(field: mi.Field) -> Any:
    if field.default is not msgspec.NODEFAULT:
        value = field.default
    elif field.default_factory is not msgspec.NODEFAULT:
        value = field.default_factory()
    else:
        return None
    if isinstance(value, datetime.date | decimal.Decimal):
        return str(value)
    return value


def _field(path: str, field: mi.Field, labels: Mapping[str, FieldLabel]) -> FormField:
    t, nullable = _unwrap(field.type)
    label = labels.get(path)
    common: dict[str, Any] = {
        "path": path,
        "name": field.encode_name,
        "required": field.required,
        "label": label.label if label else _MISSING,
        "help": label.help if label else None,
        "nullable": nullable,
        "default": _default(field),
    }
    words = dict(label.choices) if label else {}

    def listed(values: tuple[Any, ...]) -> tuple[tuple[str, Text], ...]:
        return tuple((str(v), words.get(str(v), _MISSING)) for v in values)

    values = _choices(t)
    if values is not None:
        return FormField(kind="choice", choices=listed(values), **common)
    if isinstance(t, mi.ListType | mi.SetType | mi.FrozenSetType | mi.VarTupleType):
        item, _ = _unwrap(t.item_type)
        values = _choices(item)
        bounds: dict[str, Any] = {"min_length": t.min_length, "max_length": t.max_length}
        if values is not None:
            return FormField(kind="choices", choices=listed(values), **bounds, **common)
        if isinstance(item, mi.StructType):
            rows = tuple(_fields(item, path + ".", labels))
            return FormField(kind="rows", children=rows, **bounds, **common)
        return FormField(kind="text", **bounds, **common)
    if isinstance(t, mi.StructType):
        return FormField(kind="group", children=tuple(_fields(t, path + ".", labels)), **common)
    if isinstance(t, mi.BoolType):
        return FormField(kind="bool", **common)
    if isinstance(t, mi.DateType):
        return FormField(kind="date", **common)
    if isinstance(t, mi.IntType):
        return FormField(kind="int", ge=t.ge, le=t.le, **common)
    if isinstance(t, mi.DecimalType | mi.FloatType):
        return FormField(kind="decimal", **common)
    if isinstance(t, mi.StrType):
        return FormField(
            kind="text",
            min_length=t.min_length,
            max_length=t.max_length,
            pattern=t.pattern,
            **common,
        )
    return FormField(kind="text", **common)


def _fields(
    info: mi.StructType, prefix: str, labels: Mapping[str, FieldLabel]
) -> Iterator[FormField]:
    for field in info.fields:
        yield _field(prefix + field.encode_name, field, labels)


def describe(form: type[msgspec.Struct], labels: Mapping[str, FieldLabel]) -> list[FormField]:
    """The form's fields in declaration order, nested Structs as groups and rows."""
    info = mi.type_info(form)
    assert isinstance(info, mi.StructType)
    return list(_fields(info, "", labels))


def walk(fields: list[FormField] | tuple[FormField, ...]) -> Iterator[FormField]:
    for field in fields:
        yield field
        yield from walk(field.children)


def _blank(text: Text | None) -> bool:
    return text is not None and not (text.uk.strip() and text.en.strip())


def label_problems(form: type[msgspec.Struct], labels: Mapping[str, FieldLabel]) -> list[str]:
    """What the labels leave out: a field without a label in both languages, help in one
    language only, a choice not put in words, or a label for a field the form lacks."""
    problems: list[str] = []
    known: set[str] = set()
    for field in walk(describe(form, labels)):
        known.add(field.path)
        if field.path not in labels or _blank(field.label):
            problems.append(f"field {field.path!r} has no label in Ukrainian and English")
        if _blank(field.help):
            problems.append(f"field {field.path!r} has help in one language only")
        for value, words in field.choices:
            if _blank(words):
                problems.append(
                    f"choice {value!r} of field {field.path!r} is not put in words in "
                    "Ukrainian and English"
                )
    problems.extend(
        f"a label is given for {path!r}, which the form does not have"
        for path in labels
        if path not in known
    )
    return problems
