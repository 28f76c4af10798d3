"""A request's receipt date set in the past by staff: within the municipality's
``core.intake_backdate_days`` (30 days by default), stated in the audit record; never
by a citizen. The limit is a core parameter, listed and set like the plugins' ones."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from core import clock
from core.db.tables import AuditLog
from core.platform import decode
from tests.funeral import funeral_form
from tests.market.flow import ok
from tests.world import World

SERVICE = "funeral_aid.lump_sum"
KEY = "core.intake_backdate_days"


def body(w: World, received: date | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "service_code": SERVICE,
        "citizen_id": w.citizen_id,
        "form": funeral_form(received),
    }
    if received is not None:
        out["received_on"] = received.isoformat()
    return out


async def submit_audit(request_id: int) -> dict[str, Any]:
    row = (
        await AuditLog.select(AuditLog.details)
        .where((AuditLog.action == "request.submit") & (AuditLog.subject_id == request_id))
        .first()
    )
    assert row is not None
    return dict(decode(row["details"], {}))


async def test_intake_may_date_a_receipt_back_within_the_limit_and_the_audit_says_so(
    world: World,
) -> None:
    w = world
    back = clock.today() - timedelta(days=30)
    req = await ok(await w.post("intake", "/api/requests", body(w, back)), 201)
    assert date.fromisoformat(req["received_on"]) >= back  # a weekend moves to Monday
    details = await submit_audit(req["id"])
    assert details["received_on"] == req["received_on"]
    assert details["backdated_days"] == 30
    fresh = await ok(await w.post("intake", "/api/requests", body(w, None)), 201)
    assert (await submit_audit(fresh["id"]))["backdated_days"] == 0


async def test_a_receipt_dated_further_back_is_refused_naming_the_field_and_the_limit(
    world: World,
) -> None:
    w = world
    back = clock.today() - timedelta(days=31)
    r = await w.post("intake", "/api/requests", body(w, back))
    assert r.status_code == 400, r.text
    (error,) = r.json()["extra"]
    assert error["key"] == "received_on"
    assert "at most 30" in error["message"]
    assert "щонайбільше за 30 дн." in error["message"]
    assert KEY in error["message"]
    assert f"{clock.today() - timedelta(days=30):%d.%m.%Y}" in error["message"]
    future = await w.post("intake", "/api/requests", body(w, clock.today() + timedelta(days=1)))
    assert future.status_code == 400
    assert future.json()["extra"][0]["key"] == "received_on"


async def test_a_citizen_may_not_set_the_receipt_date(world: World) -> None:
    w = world
    r = await w.post("citizen", "/api/requests", body(w, clock.today()))
    assert r.status_code == 400, r.text
    assert r.json()["extra"][0]["key"] == "received_on"
    made = await ok(await w.post("citizen", "/api/requests", body(w, None)), 201)
    assert made["channel"] == "online"


async def test_the_limit_is_a_municipal_core_parameter(world: World) -> None:
    w = world
    listed = await ok(await w.get("caseworker", "/api/parameters"))
    (own,) = [p for p in listed if p["key"] == KEY]
    assert own["service"] == "core"
    assert own["in_force_today"] == 30
    assert own["series"][0]["source"] == "default"
    today = clock.today().isoformat()
    wrong = await w.post(
        "admin", "/api/parameters", {"key": KEY, "valid_from": today, "value": "45"}
    )
    assert wrong.status_code == 400
    assert wrong.json()["extra"][0]["key"] == "value"
    assert (
        await w.post(
            "caseworker", "/api/parameters", {"key": KEY, "valid_from": today, "value": 45}
        )
    ).status_code == 403
    set_ = await ok(
        await w.post(
            "admin",
            "/api/parameters",
            {"key": KEY, "valid_from": today, "value": 45, "note": "Рішення № 7"},
        ),
        201,
    )
    assert set_["service"] == "core"
    assert set_["in_force_today"] == 45
    assert set_["series"][-1] == {"valid_from": today, "value": 45, "source": "municipality"}
    back = clock.today() - timedelta(days=45)
    req = await ok(await w.post("intake", "/api/requests", body(w, back)), 201)
    assert (await submit_audit(req["id"]))["backdated_days"] == 45
    r = await w.post("intake", "/api/requests", body(w, back - timedelta(days=1)))
    assert r.status_code == 400
    assert "at most 45" in r.text
