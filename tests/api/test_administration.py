"""Municipal administration: enabled plugins, dated parameters, the audit trail."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from core import clock
from tests.funeral import funeral_form
from tests.world import World


@pytest.mark.world_plugins("funeral_aid")
async def test_admin_chooses_the_plugins_enabled_here(world: World) -> None:
    r = await world.get("caseworker", "/api/plugins")
    assert r.json()["enabled_here"] == ["funeral_aid"]
    plugin = next(p for p in r.json()["plugins"] if p["name"] == "funeral_aid")
    assert plugin["enabled"] is True
    assert plugin["services"] == ["funeral_aid.lump_sum"]

    r = await world.client.put(
        "/api/plugins/enabled", json={"plugins": []}, headers=world.auth("admin")
    )
    assert r.status_code == 200, r.text
    assert r.json()["enabled_here"] == []
    services = await world.get(None, "/api/services", params={"municipality": world.slug})
    assert services.json() == []

    r = await world.client.put(
        "/api/plugins/enabled", json={"plugins": ["ghost"]}, headers=world.auth("admin")
    )
    assert r.status_code == 400
    assert r.json()["extra"][0]["key"] == "plugins"
    r = await world.client.put(
        "/api/plugins/enabled", json={"plugins": ["funeral_aid"]}, headers=world.auth("admin")
    )
    assert r.json()["enabled_here"] == ["funeral_aid"]


async def test_parameters_show_defaults_and_the_value_in_force(world: World) -> None:
    r = await world.get("accountant", "/api/parameters")
    params = {p["key"]: p for p in r.json()}
    amount = params["funeral_aid.amount"]
    assert amount["in_force_today"] == "3209.00"
    assert amount["in_force_since"] == "2026-01-01"
    assert {p["source"] for p in amount["series"]} == {"default"}


async def test_municipal_amount_applies_from_its_date(world: World) -> None:
    since = clock.today() - timedelta(days=5)
    r = await world.post(
        "admin",
        "/api/parameters",
        {
            "key": "funeral_aid.amount",
            "valid_from": since.isoformat(),
            "value": 5000,
            "note": "рішення виконкому № 1",
        },
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["in_force_today"] == "5000"
    assert body["series"][-1] == {
        "valid_from": since.isoformat(),
        "value": "5000",
        "source": "municipality",
    }
    today = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": world.citizen_id,
            "form": funeral_form(),
        },
    )
    assert today.json()["amount"] == "5000.00"
    before = since - timedelta(days=3)
    earlier = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": world.other_citizen_id,
            "received_on": before.isoformat(),
            "form": funeral_form(before, deceased_first_name="Інший"),
        },
    )
    assert earlier.json()["amount"] == "3209.00"
    used = {p["key"]: p for p in today.json()["parameters_used"]}
    assert used["funeral_aid.amount"]["valid_from"] == since.isoformat()


async def test_bad_parameter_values_are_refused(world: World) -> None:
    for key, value, field in (
        ("funeral_aid.amount", "lots", "value"),
        ("funeral_aid.amount", True, "value"),
        ("funeral_aid.amount", "NaN", "value"),
        ("funeral_aid.deadline_months", "6", "value"),
        ("funeral_aid.nothing", 1, "key"),
    ):
        r = await world.post(
            "admin", "/api/parameters", {"key": key, "valid_from": "2026-01-01", "value": value}
        )
        assert r.status_code == 400, (key, value)
        assert r.json()["extra"][0]["key"] == field


async def test_extra_checks_of_a_plugin_disabled_here_do_not_apply() -> None:
    from types import ModuleType

    import msgspec

    from core.hookspecs import hookimpl
    from core.parameters import Parameters
    from core.plugin_info import PluginInfo
    from core.plugins import Candidate, PluginHost
    from core.service import Applicant, Municipality, Text
    from core.workflow.eligibility import evaluate
    from plugins.funeral_aid.service import SERVICE, FuneralAidForm

    module = ModuleType("strict")
    module.plugin_info = hookimpl(  # type: ignore[attr-defined]
        lambda: PluginInfo(name="strict", contract=1, title=Text("С", "S"))
    )
    module.register_services = hookimpl(  # type: ignore[attr-defined]
        lambda: [msgspec.structs.replace(SERVICE, code="strict.x")]
    )
    module.extra_checks = hookimpl(  # type: ignore[attr-defined]
        lambda service, ctx: [ctx.failed("strict.no", "Ні", "No")]
    )
    host = PluginHost(
        ["funeral_aid", "strict"],
        [
            Candidate(
                "funeral_aid",
                "hromada",
                "0",
                lambda: __import__("plugins.funeral_aid", fromlist=["x"]),
            ),
            Candidate("strict", "strict", "0", lambda: module),
        ],
    )
    form = msgspec.convert(funeral_form(date(2026, 3, 1)), FuneralAidForm)
    muni = Municipality(id=1, slug="k", name=Text("К", "K"), settlements=("Ковель",))
    args: dict[str, Any] = {
        "applicant": Applicant(),
        "form": form,
        "on": date(2026, 3, 1),
        "params": Parameters(SERVICE.parameters),
        "municipality": muni,
    }
    assert evaluate(host, SERVICE, **args, plugins=["funeral_aid"]).verdict == "eligible"
    assert (
        evaluate(host, SERVICE, **args, plugins=["funeral_aid", "strict"]).verdict == "not_eligible"
    )


async def test_earlier_pending_application_blocks_a_later_one_only(world: World) -> None:
    first = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": world.citizen_id,
            "form": funeral_form(),
        },
    )
    second = await world.post(
        "intake",
        "/api/requests",
        {
            "service_code": "funeral_aid.lump_sum",
            "citizen_id": world.other_citizen_id,
            "form": funeral_form(relation="sibling"),
        },
    )
    assert second.json()["eligibility"] == "not_eligible"
    r = await world.post(
        "caseworker", f"/api/requests/{second.json()['id']}/decision", {"decision": "approve"}
    )
    assert r.status_code == 400
    r = await world.post(
        "caseworker", f"/api/requests/{first.json()['id']}/decision", {"decision": "approve"}
    )
    assert r.status_code == 200, r.text
