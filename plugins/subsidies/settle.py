"""What a utility provider is due for a month under the non-cash channel, with the
carry-over of unused amounts (DOMAIN §1.3, §1.6).

A provider is paid the month's assigned amount, or, once it reported its charge for the
month, at most that charge; money left unused because consumption was lower stays on
the household's account and pays later months of the same utility, up to their charges.
What was paid is read from the recorded deliveries (a voided delivery is no payment),
so the balance can never disagree with the money actually billed.

    due = assigned                                    (no charge reported)
    due = max(0, min(assigned + carried_in, charge))  (charge reported)
    carried_in(M) = Σ over earlier settled months (assigned − paid)

A month is settled when its delivery is recorded, or when its charge is zero (nothing
to pay: all of its amount carries over).
"""

from __future__ import annotations

from typing import Any

from core.sdk import Delivery
from plugins.subsidies.billing import SERVICE_CODE as CODE
from plugins.subsidies.billing import key_of
from plugins.subsidies.tables import SubsidyMonth

M = SubsidyMonth


def due(amount_kop: int, carried_kop: int, charged_kop: int | None) -> int:
    if charged_kop is None:
        return amount_kop
    return max(0, min(amount_kop + carried_kop, charged_kop))


async def recorded_by_key(municipality_id: int, keys: list[str]) -> dict[str, dict[str, Any]]:
    """The recorded deliveries (id, amount) by delivery key."""
    if not keys:
        return {}
    rows = await Delivery.select(Delivery.id, Delivery.unique_key, Delivery.amount_kop).where(
        (Delivery.municipality == municipality_id)
        & (Delivery.service_code == CODE)
        & (Delivery.status == "recorded")
        & Delivery.unique_key.is_in(keys)
    )
    return {r["unique_key"]: r for r in rows}


async def paid_by_key(municipality_id: int, keys: list[str]) -> dict[str, int]:
    """Recorded payments by delivery key."""
    found = await recorded_by_key(municipality_id, keys)
    return {k: int(r["amount_kop"]) for k, r in found.items()}


async def utility_months(request_id: int, utility: str) -> list[dict[str, Any]]:
    """The request's active non-cash months of a utility, over all its assignments."""
    rows: list[dict[str, Any]] = (
        await M.select(M.id, M.assignment, M.month, M.utility, M.amount_kop, M.charged_kop)
        .where(
            (M.assignment.request == request_id)
            & (M.utility == utility)
            & (M.status == "active")
            & (M.assignment.channel == "non_cash")
        )
        .order_by(M.month)
        .order_by(M.id)
    )
    return rows


def balance(rows: list[dict[str, Any]], paid: dict[str, int], before: str) -> int:
    """What the settled months before ``before`` left unused."""
    total = 0
    for r in rows:
        if r["month"] >= before:
            break
        key = key_of(r["assignment"], r["utility"], r["month"])
        if key in paid:
            total += r["amount_kop"] - paid[key]
        elif r["charged_kop"] == 0:
            total += r["amount_kop"]
    return total


async def dues(
    municipality_id: int, lines: list[tuple[int, dict[str, Any]]]
) -> list[tuple[int, int]]:
    """:func:`due_for` of many (request, line) pairs in two reads, whatever their number.
    Each (request, utility) once: the carry-over counts the months paid before the line's,
    not another line of the same list."""
    if not lines:
        return []
    requests = sorted({request for request, _ in lines})
    rows = (
        await M.select(
            M.id,
            M.assignment,
            M.month,
            M.utility,
            M.amount_kop,
            M.charged_kop,
            M.assignment.request.as_alias("request"),
        )
        .where(
            M.assignment.request.is_in(requests)
            & (M.status == "active")
            & (M.assignment.channel == "non_cash")
        )
        .order_by(M.month)
        .order_by(M.id)
    )
    months: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for r in rows:
        months.setdefault((int(r["request"]), r["utility"]), []).append(r)
    paid = await paid_by_key(
        municipality_id, [key_of(r["assignment"], r["utility"], r["month"]) for r in rows]
    )
    out = []
    for request, line in lines:
        carried = balance(months.get((request, line["utility"]), []), paid, line["month"])
        out.append((due(line["amount_kop"], carried, line["charged_kop"]), carried))
    return out


async def due_for(municipality_id: int, request_id: int, line: dict[str, Any]) -> tuple[int, int]:
    """The month line's due amount and the balance carried into it."""
    rows = await utility_months(request_id, line["utility"])
    paid = await paid_by_key(
        municipality_id, [key_of(r["assignment"], r["utility"], r["month"]) for r in rows]
    )
    carried = balance(rows, paid, line["month"])
    return due(line["amount_kop"], carried, line["charged_kop"]), carried
