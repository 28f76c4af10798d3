"""Reads of the audit log are audited with the ids of the rows they show.

A read of the log (``audit.read``) keeps the ids of the rows shown in ``details.audit_ids``
and names the citizens those rows name only in ``audit_citizen``. Its own row, shown by a
later read, names nobody: reading the newest page again and again names the citizens of
the page, not every citizen any earlier read named.
"""

from __future__ import annotations

from typing import Any

from core.db.tables import AuditCitizen, AuditLog, Citizen
from core.platform import decode
from core.workflow import access_log, audit
from tests.world import World


async def _person(world: World, n: int) -> int:
    row = Citizen(
        municipality=world.municipality_id,
        last_name=f"Мельник{n}",
        first_name="Ірина",
        search_name=f"мельник{n} ірина",
        settlement="Ковель",
        categories="[]",
    )
    await row.save()
    return int(row.id)


async def _newest(world: World) -> dict[str, Any]:
    row = (
        await AuditLog.select()
        .where(AuditLog.municipality == world.municipality_id)
        .order_by(AuditLog.id, ascending=False)
        .first()
    )
    assert row is not None
    return dict(row)


async def _named(audit_id: int) -> list[int]:
    pairs = await AuditCitizen.select(AuditCitizen.citizen_id).where(
        AuditCitizen.audit_id == audit_id
    )
    return sorted(p["citizen_id"] for p in pairs)


async def test_reading_the_newest_page_again_and_again_names_no_more_citizens(
    world: World,
) -> None:
    people = [world.citizen_id, world.other_citizen_id]
    people += [await _person(world, n) for n in range(6)]
    reads: list[int] = []
    pages: list[list[dict[str, Any]]] = []
    first_read_of: dict[int, int] = {}
    for person in people:
        seen = await world.get("caseworker", f"/api/citizens/{person}")
        assert seen.status_code == 200, seen.text
        first_read_of[person] = (await _newest(world))["id"]
        page = await world.get("auditor", "/api/audit", params={"page_size": 2})
        assert page.status_code == 200, page.text
        row = await _newest(world)
        assert (row["action"], row["actor"]) == ("audit.read", world.actors["auditor"].id)
        # Only the citizen of the row shown, however many reads came before.
        assert await _named(row["id"]) == [person]
        reads.append(row["id"])
        pages.append(page.json()["items"])

    for n, (read, shown) in enumerate(zip(reads, pages, strict=True)):
        assert shown[0]["id"] == first_read_of[people[n]]
        if n:
            # The previous read of the log is on the page: its row names nobody.
            assert shown[1]["id"] == reads[n - 1]
            assert "citizen_ids" not in shown[1]["details"]
        kept = await AuditLog.select(AuditLog.details).where(AuditLog.id == read).first()
        assert kept is not None
        details = decode(kept["details"], {})
        # The ids of the rows shown: one per row, not a list that grows.
        assert details == {
            "route": "GET /api/audit",
            "audit_ids": sorted(r["id"] for r in shown),
            "query": {"page_size": "2"},
        }

    # The first citizen's "who looked at my data" lists the caseworker's read and the
    # auditor's read that showed it, not the later reads, which showed no id of theirs.
    mine, _ = await access_log.reads_of_me(world.actors["citizen"], page=1, page_size=100)
    assert [(r.action, r.role) for r in mine] == [
        ("audit.read", "auditor"),
        ("citizen.read", "caseworker"),
    ]
    assert mine[0].id == reads[0]

    # Through the API: the rows naming the citizen, then the reads of the log that showed
    # them, with who read it.
    log = await world.get("admin", "/api/audit", params={"page_size": 100})
    rows = log.json()["items"]
    naming = {r["id"] for r in rows if world.citizen_id in r["details"].get("citizen_ids", [])}
    assert naming == {first_read_of[world.citizen_id]}
    readers = [
        (r["id"], r["actor_id"])
        for r in rows
        if r["action"] == "audit.read" and naming & set(r["details"].get("audit_ids", []))
    ]
    assert readers == [(reads[0], world.actors["auditor"].id)]


async def test_a_read_of_the_log_names_the_citizens_of_an_older_read_it_shows(
    world: World,
) -> None:
    """A read of the log written before its citizens moved out of ``details`` still shows
    them, so the read that shows it names them."""
    await audit.record(
        world.actors["auditor"],
        "audit.read",
        "audit",
        None,
        {"route": "GET /api/audit", "citizen_ids": [world.citizen_id, world.other_citizen_id]},
    )
    page = await world.get("admin", "/api/audit", params={"page_size": 1})
    assert page.status_code == 200, page.text
    row = await _newest(world)
    assert row["action"] == "audit.read"
    assert decode(row["details"], {})["audit_ids"] == [page.json()["items"][0]["id"]]
    assert await _named(row["id"]) == sorted([world.citizen_id, world.other_citizen_id])
