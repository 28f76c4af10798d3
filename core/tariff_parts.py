"""Load-time checks of a service's multi-part tariff (``Service.tariff_parts``)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, get_args, get_origin

import msgspec

from core.service import Service

KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def _is_decimal(kind: Any) -> bool:
    """Whether a tariff field's type is a Decimal (also inside ``Annotated``)."""
    if kind is Decimal:
        return True
    return get_origin(kind) is not None and any(a is Decimal for a in get_args(kind))


def problems(service: Service) -> list[str]:
    """What is wrong with the service's tariff parts, each naming the part: a bad or
    repeated key, a price field the tariff Struct lacks or that is not a Decimal, and a
    tariff that cannot be built from the prices alone when there is no
    ``tariff_from_prices``, and reference prices of other parts than the declared ones."""
    if not service.tariff_parts:
        return []
    if service.tariff is None:
        return ["tariff_parts without a tariff"]
    fields = {f.name: f for f in msgspec.structs.fields(service.tariff)}
    found: list[str] = []
    seen: set[str] = set()
    for part in service.tariff_parts:
        if not KEY.match(part.key):
            found.append(f"part {part.key!r}: the key must match {KEY.pattern}")
        if part.key in seen:
            found.append(f"part {part.key!r}: the key repeats")
        seen.add(part.key)
        field = fields.get(part.price_field)
        if field is None:
            found.append(f"part {part.key!r}: the tariff has no field {part.price_field!r}")
        elif not _is_decimal(field.type):
            found.append(f"part {part.key!r}: the tariff's {part.price_field!r} is not a Decimal")
        if not (part.label.uk and part.label.en and part.unit.uk and part.unit.en):
            found.append(f"part {part.key!r}: label and unit need both languages")
    if service.reference_prices and set(service.reference_prices) != seen:
        found.append(
            f"reference_prices {sorted(service.reference_prices)} are not the parts {sorted(seen)}"
        )
    if service.tariff_from_prices is None:
        prices = {p.price_field for p in service.tariff_parts}
        needed = [f.name for f in fields.values() if f.required and f.name not in prices]
        if needed:
            found.append(f"tariff fields {needed} are not prices of parts: give tariff_from_prices")
    return found
