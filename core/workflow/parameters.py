"""A municipality's view of the dated parameters, and setting its own values: the core's
own (``core.*``, service ``"core"``) and those of the services enabled here."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from core import clock
from core.actor import Actor
from core.db.engine import write_transaction
from core.db.tables import ParameterValue
from core.errors import Invalid
from core.parameters import CORE_PARAMETERS, coerce_like
from core.platform import Platform
from core.service import Service
from core.workflow import audit

#: The ``service`` of the core's own parameters in the listing.
CORE = "core"


class ParameterPoint(msgspec.Struct):
    valid_from: date
    value: Any
    source: str  # "default" | "municipality"


class ParameterOut(msgspec.Struct):
    key: str
    service: str
    in_force_today: Any
    in_force_since: date | None
    series: list[ParameterPoint]


async def _own(municipality_id: int) -> set[tuple[str, date]]:
    rows = await ParameterValue.select(ParameterValue.key, ParameterValue.valid_from).where(
        ParameterValue.municipality == municipality_id
    )
    return {(r["key"], r["valid_from"]) for r in rows}


async def _describe(
    platform: Platform,
    municipality_id: int,
    service: Service | None,
    keys: list[str] | None = None,
) -> list[ParameterOut]:
    """The parameters of a service, or the core's own when ``service`` is None."""
    params = (
        await platform.core_parameters(municipality_id)
        if service is None
        else await platform.parameters(municipality_id, service)
    )
    own = await _own(municipality_id)
    today = clock.today()
    out = []
    for key in keys or params.names():
        series = params.series(key)
        current = [p for p in series if p[0] <= today]
        out.append(
            ParameterOut(
                key=key,
                service=CORE if service is None else service.code,
                in_force_today=current[-1][1] if current else None,
                in_force_since=current[-1][0] if current else None,
                series=[
                    ParameterPoint(d, v, "municipality" if (key, d) in own else "default")
                    for d, v in series
                ],
            )
        )
    return out


async def listing(platform: Platform, actor: Actor) -> list[ParameterOut]:
    out = await _describe(platform, actor.municipality_id, None)
    for service in await platform.services(actor.municipality_id):
        out.extend(await _describe(platform, actor.municipality_id, service))
    return out


async def set_value(
    platform: Platform, actor: Actor, key: str, valid_from: date, value: Any, note: str
) -> ParameterOut:
    service: Service | None = None
    if key in CORE_PARAMETERS:
        defaults = CORE_PARAMETERS[key]
    else:
        for service in await platform.services(actor.municipality_id):
            if key in service.parameters:
                break
        else:
            raise Invalid(f"невідомий параметр / unknown parameter {key!r}", "key")
        defaults = list(service.parameters[key])
    example = defaults[-1][1]
    try:
        value = coerce_like(example, value, key)
    except ValueError as exc:
        raise Invalid(str(exc), "value") from exc
    async with write_transaction():
        await ParameterValue.delete().where(
            (ParameterValue.municipality == actor.municipality_id)
            & (ParameterValue.key == key)
            & (ParameterValue.valid_from == valid_from)
        )
        await ParameterValue(
            municipality=actor.municipality_id,
            key=key,
            valid_from=valid_from,
            value=msgspec.json.encode(value).decode(),
            note=note,
            set_by=actor.id,
        ).save()
        await audit.record(
            actor,
            "parameter.set",
            "parameter",
            None,
            {"key": key, "valid_from": str(valid_from), "value": value, "note": note},
        )
    platform.forget()  # this process's copy of the values; others within cache_seconds
    (out,) = await _describe(platform, actor.municipality_id, service, [key])
    return out
