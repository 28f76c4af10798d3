"""The social taxi's people waiting, for the core's coverage report (``report_waiting``):
riders refused a trip in the period because their monthly or yearly cap was used up,
per service and the applicant's settlement — distinct citizens, counted in SQL."""

from __future__ import annotations

from datetime import date

from core.sdk import Actor, Finding, PluginWaiting, settlement_sql
from plugins.disability_transport import booking_rules as br
from plugins.disability_transport.common import today_local
from plugins.disability_transport.tables import CapRefusal

SOURCE = "disability_transport.cap_refusals"
CAPS = (br.MONTHLY, br.YEARLY)


async def note_cap_refusal(
    actor: Actor, request_id: int, citizen_id: int, trip_date: date, findings: list[Finding]
) -> None:
    """Keep a refusal whose failed findings include a trip cap (call after the refused
    booking's transaction, so the row outlives its rollback)."""
    failed = [f.rule for f in findings if f.rule in CAPS and not f.passed]
    if not failed:
        return
    await CapRefusal(
        municipality=actor.municipality_id,
        request=request_id,
        citizen=citizen_id,
        trip_date=trip_date,
        rules=" ".join(failed),
        refused_on=today_local(),
    ).save()


async def waiting(municipality_id: int, start: date, end: date) -> list[PluginWaiting]:
    """Distinct riders refused by a cap from ``start`` to ``end`` (the day refused)."""
    settlement = f"COALESCE({settlement_sql('r')}, '')"
    rows = await CapRefusal.raw(
        f"SELECT r.service_code AS service_code, {settlement} AS settlement, "
        "COUNT(DISTINCT x.citizen) AS n FROM disability_transport_cap_refusal x "
        "JOIN request r ON r.id = x.request WHERE x.municipality = {} "
        f"AND x.refused_on >= {{}} AND x.refused_on <= {{}} GROUP BY r.service_code, {settlement}",
        municipality_id,
        start,
        end,
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
