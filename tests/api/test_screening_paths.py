"""Screening over HTTP names exactly the answers each rule's path lacks; the household
facts rules read come from the household recorded for the citizen."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from core import clock
from core.db.tables import Citizen
from core.parameters import Parameters
from core.plugins import PluginHost
from core.service import Applicant, RuleContext
from core.workflow import citizens
from core.workflow.eligibility import evaluate, partial_form
from tests.unit.test_rule_answers import HOME_HELP, MUNI
from tests.unit.test_rule_answers import SERVICE as HOME_HELP_SERVICE
from tests.world import World

TAXI = "disability_transport.registration"
MINE = pytest.mark.world_plugins("disability_transport")


async def taxi_screening(world: World, role: str | None, answers: dict[str, Any]) -> Any:
    body = {"applicant": {"settlement": "Ковель"}, "answers": answers}
    r = await world.post(role, "/api/screening", body, params={"municipality": world.slug})
    assert r.status_code == 200, r.text
    return next(x for x in r.json()["results"] if x["service"] == TAXI)


@MINE
@pytest.mark.parametrize("role", [None, "intake"])
async def test_screening_reports_exactly_what_the_path_taken_lacks(
    world: World, role: str | None
) -> None:
    assert (await taxi_screening(world, role, {}))["missing"] == ["wheelchair"]
    wheelchair = await taxi_screening(world, role, {"wheelchair": "manual"})
    assert wheelchair["verdict"] == "eligible"
    assert wheelchair["missing"] == []
    group_one = {"wheelchair": "none", "disability_group": 1}
    assert (await taxi_screening(world, role, group_one))["missing"] == ["impairments"]
    group_one["impairments"] = ["musculoskeletal"]
    decided = await taxi_screening(world, role, group_one)
    assert decided["verdict"] == "eligible"
    assert decided["missing"] == []
    group_three = {"wheelchair": "none", "disability_group": 3}
    asked = await taxi_screening(world, role, group_three)
    assert asked["verdict"] == "needs_data"
    assert asked["missing"] == ["child_with_disability"]
    (category,) = [f for f in asked["findings"] if f["rule"].endswith(".category")]
    assert category["outcome"] == "unknown"
    assert "child_with_disability" in category["message"]["uk"]


def born(years_ago: int) -> date:
    """A birth date exactly ``years_ago`` full years back whatever today is (1 January)."""
    return date(clock.today().year - years_ago, 1, 1)


async def applicant_of(citizen_id: int) -> Applicant:
    row = await Citizen.select().where(Citizen.id == citizen_id).first()
    assert row is not None
    return await citizens.snapshot_with_household(row)


def context(applicant: Applicant) -> RuleContext:
    return RuleContext(
        applicant=applicant, form=None, on=clock.today(), params=Parameters({}), municipality=MUNI
    )


@MINE
async def test_household_facts_come_from_the_recorded_household(world: World) -> None:
    for citizen_id, years in ((world.citizen_id, 70), (world.other_citizen_id, 40)):
        patch = {"birth_date": born(years).isoformat()}
        r = await world.patch("intake", f"/api/citizens/{citizen_id}", patch)
        assert r.status_code == 200, r.text
    members = {"member_ids": [world.citizen_id, world.other_citizen_id]}
    assert (await world.post("intake", "/api/households", members)).status_code == 201
    mine = context(await applicant_of(world.citizen_id)).household
    assert (mine.size, mine.lives_alone, mine.ages) == (2, False, (70, 40))
    assert mine.birth_dates == (born(70), born(40))
    theirs = context(await applicant_of(world.other_citizen_id)).household
    assert theirs.ages == (40, 70)  # the applicant first
    body = {
        "service_code": TAXI,
        "citizen_id": world.citizen_id,
        "form": {"wheelchair": "manual", "disability_group": None},
    }
    r = await world.post("intake", "/api/requests", body)
    assert r.status_code == 201, r.text
    assert r.json()["eligibility"] == "eligible", r.json()["findings"]
    snapshot = r.json()["applicant"]
    assert snapshot["household"] == {"birth_dates": [born(70).isoformat(), born(40).isoformat()]}
    assert snapshot["household_size"] == 2


@MINE
async def test_without_a_recorded_household_a_rule_reaching_it_reports_it_missing(
    world: World,
) -> None:
    members = {"member_ids": [world.citizen_id]}
    assert (await world.post("intake", "/api/households", members)).status_code == 201
    alone = await applicant_of(world.citizen_id)
    unknown = await applicant_of(world.other_citizen_id)
    assert unknown.household is None
    assert context(unknown).household.lives_alone is None
    assert context(alone).household.lives_alone is True
    form = partial_form(HOME_HELP_SERVICE.form)()
    results = {
        name: evaluate(
            PluginHost([]),
            HOME_HELP_SERVICE,
            applicant=applicant,
            form=form,
            on=clock.today(),
            params=Parameters({}),
            municipality=MUNI,
        )
        for name, applicant in (("alone", alone), ("unknown", unknown))
    }
    assert results["alone"].missing == ("note",)
    assert results["unknown"].missing == ("household.lives_alone", "note")
    outcomes = {
        k: next(f.outcome for f in v.findings if f.rule == HOME_HELP) for k, v in results.items()
    }
    assert outcomes == {"alone": "passed", "unknown": "unknown"}
