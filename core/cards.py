"""Information cards as data: a plugin's card lives in a TOML file beside its code,
Ukrainian and English side by side, and is checked when the plugin loads.

One card to a file::

    term_days = 10
    term_kind = "working"
    keywords = ["поховання", "funeral"]

    [title]
    uk = "Допомога на поховання"
    en = "Funeral aid"

    [[documents]]
    name.uk = "Заява"
    name.en = "Application"
    form = "original"

or several, by the name after the plugin's prefix in the service code
(``[cards.night_stay]``), each starting from the optional ``[common]`` table: a list a
card gives is added after the common list, any other field replaces the common one.

Any problem (invalid TOML, a field of the wrong type, an unknown or missing field, a
text blank in one language, money not written as a string) is a :class:`CardError`
naming the file and the field, e.g.
``plugins/funeral_aid/card.toml: $.documents[2].name.en: Expected `str`, got `int```.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import msgspec
from msgspec import inspect

from core.service import InfoCard, Text

#: Fields of a card that only a municipality sets on its local card.
LOCAL_ONLY = ("contacts", "local_decision")

_AT = re.compile(r"^(?P<msg>.*?)(?: - at `(?P<path>\$[^`]*)`)?$", re.S)
_MISSING = re.compile(r"^Object missing required field `(?P<field>[^`]+)`$")


class CardError(ValueError):
    """A card file that does not hold a valid card; the message names the file and the
    field."""


def _shown(source: Path | Traversable) -> str:
    """The file as an error names it: relative to the working directory when inside it."""
    if isinstance(source, Path):
        try:
            return str(source.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(source)
    return str(source)


def _read(source: Path | Traversable) -> dict[str, Any]:
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CardError(f"{_shown(source)}: the card file is missing") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CardError(f"{_shown(source)}: not valid TOML: {exc}") from exc
    return data


def _problems(value: Any, kind: Any, path: str) -> str | None:
    """The first problem msgspec would not report: an unknown field, a blank text, money
    not written as a string. ``None`` when there is none of these."""
    if isinstance(kind, inspect.UnionType):
        structs = [t for t in kind.types if isinstance(t, inspect.StructType)]
        if isinstance(value, dict) and structs:
            return _problems(value, structs[0], path)
        decimals = [t for t in kind.types if isinstance(t, inspect.DecimalType)]
        if decimals and value is not None:
            return _problems(value, decimals[0], path)
        return None
    if isinstance(kind, inspect.DecimalType):
        if not isinstance(value, str):
            return f'{path}: write money as a string ("12.50"), not {type(value).__name__}'
        return None
    if isinstance(kind, inspect.VarTupleType | inspect.ListType) and isinstance(value, list):
        for i, item in enumerate(value):
            found = _problems(item, kind.item_type, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(kind, inspect.StructType) and isinstance(value, dict):
        fields = {f.encode_name: f for f in kind.fields}
        for key in value:
            if key not in fields:
                known = ", ".join(sorted(fields))
                return f"{path}.{key}: unknown field (known: {known})"
        if kind.cls is Text:
            for lang in ("uk", "en"):
                text = value.get(lang)
                if isinstance(text, str) and not text.strip():
                    return f"{path}.{lang}: the text is blank"
        for key, item in value.items():
            found = _problems(item, fields[key].type, f"{path}.{key}")
            if found:
                return found
    return None


def _local_only(data: Mapping[str, Any]) -> str | None:
    for key in LOCAL_ONLY:
        if key in data:
            return f"$.{key}: set by a municipality on its local card, not in a plugin's file"
    for i, document in enumerate(data.get("documents") or ()):
        if isinstance(document, dict) and "local" in document:
            return (
                f"$.documents[{i}].local: set by a municipality on its local card, not in "
                "a plugin's file"
            )
    return None


def _convert(data: dict[str, Any]) -> InfoCard:
    """The card, or ``ValueError("<path>: <problem>")``."""
    problem = _local_only(data) or _problems(data, inspect.type_info(InfoCard), "$")
    if problem:
        raise ValueError(problem)
    try:
        card = msgspec.convert(data, InfoCard)
    except msgspec.ValidationError as exc:
        match = _AT.match(str(exc))
        assert match is not None
        message, path = match.group("msg"), match.group("path") or "$"
        missing = _MISSING.match(message)
        if missing:
            path, message = f"{path}.{missing.group('field')}", "required field missing"
        raise ValueError(f"{path}: {message}") from exc
    if card.term_days <= 0:
        raise ValueError(f"$.term_days: must be a positive number of days, not {card.term_days}")
    if card.fee is not None and (card.fee <= 0 or card.fee != card.fee.quantize(Decimal("0.01"))):
        raise ValueError(
            f"$.fee: {card.fee} is not an amount above zero with at most two decimal places "
            "(leave fee out for a free service)"
        )
    codes = [g.code for g in card.refusal_grounds]
    for i, code in enumerate(codes):
        if code in codes[:i]:
            raise ValueError(f"$.refusal_grounds[{i}].code: {code!r} is listed twice")
    return card


def _with(data: dict[str, Any], computed: Mapping[str, Any] | None) -> dict[str, Any]:
    for key in computed or {}:
        if key in data:
            raise ValueError(f"$.{key}: the plugin computes it; leave it out of the file")
    return {**data, **(computed or {})}


def load_card(
    source: Path | Traversable,
    name: str | None = None,
    *,
    computed: Mapping[str, Any] | None = None,
) -> InfoCard:
    """The card in ``source`` (a path or a package resource). ``name``: the card of that
    name in a file of several. ``computed``: fields the plugin computes (from its
    parameters), which the file must leave out."""
    if name is not None:
        return load_cards(source, computed=computed, only=name)[name]
    data = _read(source)
    if "cards" in data or "common" in data:
        raise CardError(f"{_shown(source)}: holds several cards; name the one to load")
    try:
        return _convert(_with(data, computed))
    except ValueError as exc:
        raise CardError(f"{_shown(source)}: {exc}") from exc


def _merged(common: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    out = dict(common)
    for key, value in own.items():
        before = out.get(key)
        out[key] = before + value if isinstance(before, list) and isinstance(value, list) else value
    return out


def _where(path: str, name: str, common: dict[str, Any], own: dict[str, Any]) -> str:
    """A path in the merged card as the file has it: ``$.cards.<name>...`` or
    ``$.common...``, with a list's index counted within its part."""
    match = re.match(r"^\$\.(?P<key>[a-z_]+)(?:\[(?P<i>\d+)\])?(?P<rest>.*)$", path)
    if match is None:
        return f"$.cards.{name}"
    key, index, rest = match.group("key"), match.group("i"), match.group("rest")
    shared = common.get(key)
    if index is not None and isinstance(shared, list) and key in own:
        i = int(index)
        if i < len(shared):
            return f"$.common.{key}[{i}]{rest}"
        return f"$.cards.{name}.{key}[{i - len(shared)}]{rest}"
    part = f"$.cards.{name}" if key in own or key not in common else "$.common"
    return f"{part}.{key}{f'[{index}]' if index is not None else ''}{rest}"


def load_cards(
    source: Path | Traversable,
    *,
    computed: Mapping[str, Any] | None = None,
    only: str | None = None,
) -> dict[str, InfoCard]:
    """Every card of a file of several (``[common]`` and ``[cards.<name>]``), by name."""
    data = _read(source)
    shown = _shown(source)
    if "cards" not in data:
        raise CardError(
            f"{shown}: $.cards: no [cards.<name>] tables (a file of one card is "
            "loaded without a name)"
        )
    extra = sorted(set(data) - {"common", "cards"})
    if extra:
        raise CardError(f"{shown}: $.{extra[0]}: unknown field (known: cards, common)")
    common, cards = data.get("common", {}), data.get("cards", {})
    if not isinstance(common, dict):
        raise CardError(f"{shown}: $.common: must be a table")
    if not isinstance(cards, dict) or not cards:
        raise CardError(f"{shown}: $.cards: no [cards.<name>] tables")
    if only is not None and only not in cards:
        raise CardError(f"{shown}: $.cards.{only}: no such card (cards: {', '.join(cards)})")
    out: dict[str, InfoCard] = {}
    for name, own in cards.items():
        if only is not None and name != only:
            continue
        if not isinstance(own, dict):
            raise CardError(f"{shown}: $.cards.{name}: must be a table")
        try:
            out[name] = _convert(_with(_merged(common, own), computed))
        except ValueError as exc:
            path, _, problem = str(exc).partition(": ")
            raise CardError(f"{shown}: {_where(path, name, common, own)}: {problem}") from exc
    return out
