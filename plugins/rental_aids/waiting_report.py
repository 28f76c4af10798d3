"""The rental point's people waiting, for the core's coverage report (``report_waiting``):
citizens on the waiting list today (waiting, or offered an item not yet issued), per
service and the applicant's settlement — distinct citizens, counted in SQL."""

from __future__ import annotations

from core.sdk import PluginWaiting, settlement_sql
from plugins.rental_aids.tables import RentalWaiting

SOURCE = "rental_aids.waiting_list"


async def waiting(municipality_id: int) -> list[PluginWaiting]:
    settlement = f"COALESCE({settlement_sql('r')}, '')"
    rows = await RentalWaiting.raw(
        f"SELECT r.service_code AS service_code, {settlement} AS settlement, "
        "COUNT(DISTINCT w.citizen) AS n FROM rental_waiting w "
        "JOIN request r ON r.id = w.request WHERE w.municipality = {} "
        f"AND w.status IN ('waiting', 'offered') GROUP BY r.service_code, {settlement}",
        municipality_id,
    )
    return [
        PluginWaiting(
            service_code=str(r["service_code"]),
            settlement=str(r["settlement"]),
            people=int(r["n"]),
            source=SOURCE,
        )
        for r in rows
    ]
