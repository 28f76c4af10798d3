"""Corrections: item-days billed beyond a return dated back into a billed month.

Returns are often recorded days after the item came back. When the return date falls in
a month whose item-days were already recorded (perhaps invoiced, even paid) for more days
than the item was really out, the difference is credited: a ``correction`` delivery of
minus those days, recorded on the day the late return becomes known, which the contract's
next invoice shows as its own line ("… — коригування (сторно)"). Nothing invoiced is
rewritten, and the overbilling never stands.

The return records the corrections at once; a billing run of such a month records any
that could not be recorded then (say, the contract was at its cap) and says so.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from core.sdk import Delivery, DeliveryIn, DeliveryRefused, FormInvalid, like
from plugins.rental_aids.billing import RentalDelivery
from plugins.rental_aids.days import days_in_month

D = Delivery


class Billed(msgspec.Struct, frozen=True, kw_only=True):
    """What is recorded for one loan's month: item-days, days already credited, and the
    contract the item-days were recorded under."""

    month: str
    days: int
    credited: int
    contract_id: int
    request_id: int


def _month_and_kind(unique_key: str) -> tuple[str, str]:
    # "loan:<id>:<YYYY-MM>:<kind>" (see billing.delivery_key)
    _, _, month, kind = unique_key.split(":")
    return month, kind


async def billed(municipality_id: int, loan_id: int, month: str | None = None) -> list[Billed]:
    """The loan's months with item-days recorded (live deliveries), with their credits."""
    key = (
        like(D.unique_key, f"loan:{loan_id}:", month, ":%")
        if month
        else like(D.unique_key, f"loan:{loan_id}:%:%")
    )
    rows = (
        await D.select(D.unique_key, D.quantity_milli, D.contract, D.request)
        .where(
            (D.municipality == municipality_id)
            & (D.status == "recorded")
            & key
            & D.service_code.like("rental_aids.%")
        )
        .order_by(D.id)
    )
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        at, kind = _month_and_kind(row["unique_key"])
        entry = found.setdefault(
            at, {"days": 0, "credited": 0, "contract": None, "request": row["request"]}
        )
        if kind == "item_days":
            entry["days"] += row["quantity_milli"] // 1000
            entry["contract"] = row["contract"]
        elif kind == "correction":
            entry["credited"] += -row["quantity_milli"] // 1000
    return [
        Billed(
            month=at,
            days=e["days"],
            credited=e["credited"],
            contract_id=e["contract"],
            request_id=e["request"],
        )
        for at, e in sorted(found.items())
        if e["contract"] is not None
    ]


def excess(loan: dict[str, Any], entry: Billed) -> int:
    """Item-days of the month billed beyond the days the item was really on loan."""
    actual = days_in_month(loan["issued_on"], loan["returned_on"], entry.month)
    return max(0, entry.days - entry.credited - actual)


def correction_body(loan: dict[str, Any], entry: Billed, on: date) -> DeliveryIn:
    delivery = RentalDelivery(
        loan_id=loan["id"], kind="correction", days=-excess(loan, entry), month=entry.month
    )
    return DeliveryIn(
        request_id=entry.request_id,
        contract_id=entry.contract_id,
        delivered_on=on,
        idempotency_key=f"rental:loan:{loan['id']}:{entry.month}:correction",
        data=msgspec.to_builtins(delivery),
    )


def reason(exc: Exception) -> str:
    """A refusal of the core or the plugin's checks, as one bilingual line."""
    if isinstance(exc, DeliveryRefused):
        return "; ".join(f"{f.message.uk} / {f.message.en}" for f in exc.findings)
    if isinstance(exc, FormInvalid):
        return "; ".join(f"{e.key}: {e.message}" for e in exc.errors)
    return str(exc)
