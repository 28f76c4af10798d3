"""The housing subsidy as desk pages a plugin adds: households with members and incomes,
the calculation with its trace (a bad date beside its field), the assignments, the
month's payment run (a bad month beside its field, then a run); a role not allowed gets
403, a municipality without the plugin 404."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from core import clock
from core.db.tables import AuditLog
from core.platform import Platform
from tests.jobs.data import complete
from tests.plugins.test_subsidies_formula import form
from tests.web.conftest import form_token, sign_in
from tests.world import World

BASE = "/desk/ext/subsidies"


@pytest.mark.world_plugins("subsidies")
async def test_household_calculation_assignments_and_payment_run(
    world: World, visitor: httpx.AsyncClient, platform: Platform
) -> None:
    data = form()
    body = {
        "applicant_citizen_id": world.citizen_id,
        **{k: data[k] for k in ("members", "dwelling", "utilities")},
    }
    made = await world.post("intake", f"{BASE.replace('/desk', '/api')}/households", body)
    assert made.status_code == 201, made.text
    household = made.json()["id"]

    await sign_in(visitor, f"{world.slug}.caseworker")
    home = await visitor.get("/desk/back-office")
    assert f'href="{BASE}/households"' in home.text
    assert f'href="{BASE}/pay"' not in home.text  # the caseworker does not pay
    listed = await visitor.get(f"{BASE}/households")
    assert listed.status_code == 200
    assert f'href="{BASE}/households/{household}"' in listed.text
    page = await visitor.get(f"{BASE}/households/{household}", params={"on": "2026-10-05"})
    assert page.status_code == 200, page.text
    assert data["members"][0]["name"] in page.text
    assert "Власник" in page.text  # coded values in words
    assert "4.67" in page.text  # the mandatory share, as the API's calculation gives it
    assert page.text.count("<h4>") >= 5  # the steps of the trace
    bad = await visitor.get(f"{BASE}/households/{household}", params={"on": "05.13.2026"})
    assert bad.status_code == 400
    assert 'id="on-error"' in bad.text
    assert 'value="05.13.2026"' in bad.text
    actions = {
        r["action"]
        for r in await AuditLog.select(AuditLog.action).where(
            AuditLog.municipality == world.municipality_id
        )
    }
    assert {"subsidies.household.list", "subsidies.household.read"} <= actions
    assignments = await visitor.get(f"{BASE}/assignments")
    assert assignments.status_code == 200
    assert (await visitor.get(f"{BASE}/pay")).status_code == 403

    await visitor.post("/sign-out", data={"_csrf": form_token(listed.text)})
    await sign_in(visitor, f"{world.slug}.accountant")
    run = await visitor.get(f"{BASE}/pay")
    assert run.status_code == 200
    wrong = await visitor.post(
        f"{BASE}/pay", data={"_csrf": form_token(run.text), "month": "2026-13"}
    )
    assert wrong.status_code == 400
    assert 'id="month-error"' in wrong.text
    assert 'value="2026-13"' in wrong.text
    later = clock.today().replace(day=28) + timedelta(days=5)
    future = await visitor.post(
        f"{BASE}/pay", data={"_csrf": form_token(run.text), "month": later.strftime("%Y-%m")}
    )
    assert future.status_code == 400
    assert 'id="month-error"' in future.text
    # The run is a job (docs/jobs.md): the page shows its progress, then its outcome.
    month = clock.today().strftime("%Y-%m")
    started = await visitor.post(
        f"{BASE}/pay", data={"_csrf": form_token(run.text), "month": month}
    )
    assert started.status_code == 303, started.text
    where = started.headers["location"]
    assert where.startswith(f"{BASE}/pay?month={month}&job=")
    job_id = int(where.rsplit("=", 1)[1])
    assert (await complete(platform, job_id)).state == "done"
    done = await visitor.get(where)
    assert done.status_code == 200, done.text
    assert f'id="job-{job_id}"' in done.text
    assert "Записано виплат: 0" in done.text  # nothing assigned in this world
    assert f'value="{month}"' in done.text
    assert (await visitor.get(f"{BASE}/households")).status_code == 403


@pytest.mark.world_plugins("homeless")
async def test_closed_where_the_plugin_is_not_enabled(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.accountant")
    home = await visitor.get("/desk/accounts")
    assert BASE not in home.text
    r = await visitor.get(f"{BASE}/pay")
    assert r.status_code == 404
    assert "<html" in r.text
