"""Utility providers' charges of a month (within the social norms): under the non-cash
channel a provider is paid at most its charge, and the rest carries over (see
:mod:`plugins.subsidies.settle`). A provider's own user reports only for its own lines;
a month already paid cannot be charged again. All lines are stored, or none."""

from __future__ import annotations

from typing import Any

from core.sdk import Actor, Conflict, Forbidden, Invalid, audit, to_kopiyky, write_transaction
from plugins.subsidies.billing import key_of
from plugins.subsidies.schemas import ChargesIn, ChargesOut
from plugins.subsidies.settle import paid_by_key
from plugins.subsidies.tables import SubsidyMonth

M = SubsidyMonth


async def _rows(actor: Actor, body: ChargesIn) -> dict[tuple[int, str], dict[str, Any]]:
    ids = sorted({x.assignment_id for x in body.lines})
    rows = await M.select(
        M.id,
        M.assignment,
        M.utility,
        M.provider,
        M.assignment.channel.as_alias("channel"),
    ).where(
        (M.municipality == actor.municipality_id)
        & (M.month == body.month)
        & (M.status == "active")
        & M.assignment.is_in(ids)
    )
    return {(r["assignment"], r["utility"]): r for r in rows}


async def store(actor: Actor, body: ChargesIn) -> ChargesOut:
    rows = await _rows(actor, body)
    seen: set[tuple[int, str]] = set()
    for n, x in enumerate(body.lines):
        field = f"lines[{n}]"
        pair = (x.assignment_id, x.utility)
        if pair in seen:
            raise Invalid(f"{field}: рядок повторюється / the line is repeated", field)
        seen.add(pair)
        row = rows.get(pair)
        if row is None:
            raise Invalid(
                f"{field}: субсидію за «{x.utility}» на {body.month} за призначенням "
                f"{x.assignment_id} не призначено / no such month of the assignment",
                f"{field}.assignment_id",
            )
        if row["channel"] != "non_cash":
            raise Invalid(
                f"{field}: субсидію виплачують готівкою / the subsidy is paid in cash",
                f"{field}.assignment_id",
            )
        if actor.role == "provider" and row["provider"] != actor.provider_id:
            raise Forbidden(
                f"{field}: послугу надає інший надавач / another provider's line",
                f"{field}.assignment_id",
            )
    keys = [key_of(a, u, body.month) for a, u in seen]
    async with write_transaction():
        paid = await paid_by_key(actor.municipality_id, keys)
        if paid:
            raise Conflict(
                f"за {body.month} уже сплачено ({len(paid)} рядків) / already paid for the month",
                "lines",
            )
        for x in body.lines:
            await M.update({M.charged_kop: to_kopiyky(x.charged)}).where(
                M.id == rows[(x.assignment_id, x.utility)]["id"]
            )
        await audit.record(
            actor,
            "subsidies.charges",
            "subsidy_month",
            None,
            {"month": body.month, "lines": len(body.lines)},
        )
    return ChargesOut(month=body.month, stored=len(body.lines))
