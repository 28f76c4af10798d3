"""The admin's pages: enable or disable plugins, add a dated parameter value (type-checked,
errors beside the field), users (create, deactivate, new password), offices, budget
lines; every change audited through the use cases."""

from __future__ import annotations

import re

import httpx

from core.db.tables import AuditLog, Municipality, User
from tests.web.conftest import form_token, sign_in
from tests.world import World


async def test_admin_disables_and_enables_a_plugin(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.admin")
    home = await visitor.get("/desk/admin")
    enabled = re.findall(r'name="plugins" value="([a-z_]+)" checked', home.text)
    assert "funeral_aid" in enabled
    keep = [p for p in enabled if p != "funeral_aid"]
    r = await visitor.post(
        "/desk/admin/plugins", data={"_csrf": form_token(home.text), "plugins": keep}
    )
    assert r.status_code == 303
    row = (
        await Municipality.select(Municipality.enabled_plugins)
        .where(Municipality.id == world.municipality_id)
        .first()
    )
    assert row is not None
    assert "funeral_aid" not in row["enabled_plugins"]
    page = await visitor.get(r.headers["location"])
    assert "Вибір послуг громади збережено." in page.text
    assert 'value="funeral_aid" checked' not in page.text
    r = await visitor.post(
        "/desk/admin/plugins", data={"_csrf": form_token(page.text), "plugins": enabled}
    )
    assert r.status_code == 303
    audited = await AuditLog.count().where(
        (AuditLog.action == "municipality.plugins")
        & (AuditLog.municipality == world.municipality_id)
    )
    assert audited == 2


async def test_admin_adds_a_parameter_value_from_a_date(
    world: World, visitor: httpx.AsyncClient
) -> None:
    await sign_in(visitor, f"{world.slug}.admin")
    page = await visitor.get("/desk/admin/parameters")
    assert page.status_code == 200
    assert "funeral_aid.amount" in page.text
    assert "Історія значень" in page.text
    bad = await visitor.post(
        "/desk/admin/parameters",
        data={
            "_csrf": form_token(page.text),
            "key": "funeral_aid.amount",
            "valid_from": "2027-01-01",
            "value": "багато",
            "note": "рішення № 1",
        },
    )
    assert bad.status_code == 400
    assert 'id="funeral_aid-amount-value-error"' in bad.text
    assert 'value="багато"' in bad.text  # kept
    assert 'value="рішення № 1"' in bad.text
    good = await visitor.post(
        "/desk/admin/parameters",
        data={
            "_csrf": form_token(bad.text),
            "key": "funeral_aid.amount",
            "valid_from": "2027-01-01",
            "value": "3500.00",
            "note": "рішення № 1",
        },
    )
    assert good.status_code == 303, good.text
    after = await visitor.get(good.headers["location"])
    assert "Значення збережено." in after.text
    assert "встановлено громадою" in after.text
    r = await world.get("admin", "/api/parameters")
    (amount,) = [p for p in r.json() if p["key"] == "funeral_aid.amount"]
    assert any(
        s["valid_from"] == "2027-01-01" and s["source"] == "municipality" for s in amount["series"]
    )


async def test_admin_manages_users_and_offices(world: World, visitor: httpx.AsyncClient) -> None:
    await sign_in(visitor, f"{world.slug}.admin")
    page = await visitor.get("/desk/admin/users")
    assert page.status_code == 200
    short = await visitor.post(
        "/desk/admin/users",
        data={
            "_csrf": form_token(page.text),
            "username": f"{world.slug}.new",
            "full_name": "Ганна Нова",
            "role": "intake",
            "password": "short",
        },
    )
    assert short.status_code == 400
    assert 'id="new-password-error"' in short.text
    assert "Ганна Нова" in short.text
    made = await visitor.post(
        "/desk/admin/users",
        data={
            "_csrf": form_token(short.text),
            "username": f"{world.slug}.new",
            "full_name": "Ганна Нова",
            "role": "intake",
            "office_id": str(world.office_id),
            "password": "довгий-пароль-1",
        },
    )
    assert made.status_code == 303, made.text
    user = await User.select().where(User.username == f"{world.slug}.new").first()
    assert user is not None
    assert user["office"] == world.office_id
    listing = await visitor.get(made.headers["location"])
    off = await visitor.post(
        f"/desk/admin/users/{user['id']}",
        data={"_csrf": form_token(listing.text), "action": "deactivate"},
    )
    assert off.status_code == 303
    state = await User.select(User.active).where(User.id == user["id"]).first()
    assert state is not None
    assert state["active"] is False
    pw = await visitor.post(
        f"/desk/admin/users/{user['id']}",
        data={"_csrf": form_token(listing.text), "action": "password", "password": "123"},
    )
    assert pw.status_code == 400
    assert f'id="user-{user["id"]}-error"' in pw.text

    offices = await visitor.get("/desk/admin/offices")
    r = await visitor.post(
        "/desk/admin/offices",
        data={"_csrf": form_token(offices.text), "name": "", "kind": "remote_workplace"},
    )
    assert r.status_code == 400
    assert 'id="office-name-error"' in r.text
    r = await visitor.post(
        "/desk/admin/offices",
        data={
            "_csrf": form_token(offices.text),
            "name": "Старостат с. Прилісне",
            "kind": "remote_workplace",
            "schedule": "Вт, Чт 9:00–13:00",
            "phone": "+380331234567",
        },
    )
    assert r.status_code == 303, r.text
    assert "Старостат с. Прилісне" in (await visitor.get("/desk/admin/offices")).text
    budget = await visitor.get("/desk/admin/budget-lines")
    assert budget.status_code == 200
    assert "Лише перегляд" in budget.text


async def test_admin_pages_are_for_the_admin_only(world: World, visitor: httpx.AsyncClient) -> None:
    await sign_in(visitor, f"{world.slug}.caseworker")
    for path in ("/desk/admin/parameters", "/desk/admin/users", "/desk/admin/offices"):
        assert (await visitor.get(path)).status_code == 403
