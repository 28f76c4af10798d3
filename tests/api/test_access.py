"""Every route declares who may call it, and the guard enforces it for every role."""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

import pytest
from litestar import Litestar

from core.api import access
from core.api.app import all_handlers
from core.schemas import ROLES
from core.testkit.session import plugins_under_test
from tests.world import World

#: Each API route with the roles that may call it ("public" for anonymous too).
MATRIX: dict[tuple[str, str], set[str] | str] = {
    ("GET", "/api/services"): "public",
    ("GET", "/api/services/{code:str}"): "public",
    ("GET", "/api/services/{code:str}/form-schema"): "public",
    ("POST", "/api/screening"): "public",
    # Open Referral HSDS 3.0 (core/hsds/routes.py)
    ("GET", "/api/hsds/{municipality:str}"): "public",
    ("GET", "/api/hsds/{municipality:str}/services"): "public",
    ("GET", "/api/hsds/{municipality:str}/services/{id:str}"): "public",
    ("GET", "/api/hsds/{municipality:str}/organizations"): "public",
    ("GET", "/api/hsds/{municipality:str}/organizations/{id:str}"): "public",
    ("GET", "/api/hsds/{municipality:str}/service_at_locations"): "public",
    ("GET", "/api/hsds/{municipality:str}/service_at_locations/{id:str}"): "public",
    ("GET", "/api/hsds/{municipality:str}/taxonomies"): "public",
    ("GET", "/api/hsds/{municipality:str}/taxonomies/{id:str}"): "public",
    ("GET", "/api/hsds/{municipality:str}/taxonomy_terms"): "public",
    ("GET", "/api/hsds/{municipality:str}/taxonomy_terms/{id:str}"): "public",
    ("GET", "/api/hsds/{municipality:str}/datapackage.zip"): "public",
    ("POST", "/api/auth/login"): "public",
    ("POST", "/api/auth/logout"): set(ROLES),
    ("GET", "/api/auth/me"): set(ROLES),
    ("POST", "/api/citizens"): {"admin", "intake", "caseworker"},
    ("GET", "/api/citizens"): {"admin", "intake", "caseworker", "auditor"},
    ("GET", "/api/citizens/{citizen_id:int}"): {
        "admin",
        "intake",
        "caseworker",
        "auditor",
        "citizen",
    },
    ("PATCH", "/api/citizens/{citizen_id:int}"): {"admin", "intake", "caseworker", "citizen"},
    ("POST", "/api/providers"): {"admin", "caseworker"},
    ("GET", "/api/providers"): {"admin", "caseworker", "accountant", "auditor", "provider"},
    ("GET", "/api/providers/{provider_id:int}"): {
        "admin",
        "caseworker",
        "accountant",
        "auditor",
        "provider",
    },
    ("PATCH", "/api/providers/{provider_id:int}"): {"admin", "provider"},
    ("POST", "/api/providers/{provider_id:int}/verify"): {"admin"},
    ("POST", "/api/requests"): {"admin", "intake", "caseworker", "citizen"},
    ("GET", "/api/requests"): {"admin", "intake", "caseworker", "accountant", "auditor", "citizen"},
    ("GET", "/api/requests/{request_id:int}"): {
        "admin",
        "intake",
        "caseworker",
        "accountant",
        "auditor",
        "citizen",
    },
    ("POST", "/api/requests/{request_id:int}/decision"): {"admin", "caseworker"},
    ("POST", "/api/requests/{request_id:int}/withdraw"): {
        "admin",
        "intake",
        "caseworker",
        "citizen",
    },
    ("GET", "/api/plugins"): {"admin", "intake", "caseworker", "accountant", "auditor"},
    ("PUT", "/api/plugins/enabled"): {"admin"},
    ("GET", "/api/parameters"): {"admin", "intake", "caseworker", "accountant", "auditor"},
    ("POST", "/api/parameters"): {"admin"},
    ("GET", "/api/audit"): {"admin", "auditor"},
    ("GET", "/api/offices"): "public",
    ("POST", "/api/offices"): {"admin"},
    ("POST", "/api/households"): {"admin", "intake", "caseworker"},
    ("GET", "/api/households/{household_id:int}"): {
        "admin",
        "intake",
        "caseworker",
        "auditor",
        "citizen",
    },
    ("POST", "/api/requests/{request_id:int}/documents"): {
        "admin",
        "intake",
        "caseworker",
        "citizen",
    },
    ("GET", "/api/requests/{request_id:int}/documents"): {
        "admin",
        "intake",
        "caseworker",
        "accountant",
        "auditor",
        "citizen",
    },
    ("GET", "/api/documents/{document_id:int}"): {
        "admin",
        "intake",
        "caseworker",
        "accountant",
        "auditor",
        "citizen",
    },
    ("GET", "/api/users"): {"admin"},
    ("POST", "/api/users"): {"admin"},
    ("PATCH", "/api/users/{user_id:int}"): {"admin"},
    ("POST", "/api/users/{user_id:int}/unlock"): {"admin"},
}


#: The social order and billing.
MARKET: dict[tuple[str, str], set[str] | str] = {
    ("POST", "/api/bids/{bid_id:int}/score"): {"admin", "caseworker"},
    ("POST", "/api/bids/{bid_id:int}/withdraw"): {"provider"},
    ("GET", "/api/budget-lines"): {"admin", "caseworker", "accountant", "auditor"},
    ("POST", "/api/budget-lines"): {"admin", "accountant"},
    ("GET", "/api/budget-lines/{line_id:int}"): {"admin", "caseworker", "accountant", "auditor"},
    ("PATCH", "/api/budget-lines/{line_id:int}"): {"admin", "accountant"},
    ("GET", "/api/calls"): {"admin", "caseworker", "accountant", "provider", "auditor"},
    ("POST", "/api/calls"): {"admin", "caseworker"},
    ("GET", "/api/calls/{call_id:int}"): {
        "admin",
        "caseworker",
        "accountant",
        "provider",
        "auditor",
    },
    ("POST", "/api/calls/{call_id:int}/award"): {"admin"},
    ("GET", "/api/calls/{call_id:int}/bids"): {
        "admin",
        "caseworker",
        "accountant",
        "provider",
        "auditor",
    },
    ("POST", "/api/calls/{call_id:int}/bids"): {"provider"},
    ("POST", "/api/calls/{call_id:int}/cancel"): {"admin", "caseworker"},
    ("GET", "/api/contracts"): {"admin", "caseworker", "accountant", "provider", "auditor"},
    ("POST", "/api/contracts"): {"admin"},
    ("GET", "/api/contracts/{contract_id:int}"): {
        "admin",
        "caseworker",
        "accountant",
        "provider",
        "auditor",
    },
    ("POST", "/api/contracts/{contract_id:int}/status"): {"admin"},
    ("GET", "/api/deliveries"): {"admin", "caseworker", "accountant", "provider", "auditor"},
    ("POST", "/api/deliveries"): {"admin", "provider"},
    ("GET", "/api/deliveries/{delivery_id:int}"): {
        "admin",
        "caseworker",
        "accountant",
        "provider",
        "auditor",
    },
    ("POST", "/api/deliveries/{delivery_id:int}/void"): {"admin", "provider"},
    ("GET", "/api/invoices"): {"admin", "caseworker", "accountant", "provider", "auditor"},
    ("POST", "/api/invoices/run"): {"admin", "accountant", "provider"},
    ("GET", "/api/invoices/{invoice_id:int}"): {
        "admin",
        "caseworker",
        "accountant",
        "provider",
        "auditor",
    },
    ("GET", "/api/invoices/{invoice_id:int}/act.pdf"): {
        "admin",
        "caseworker",
        "accountant",
        "provider",
        "auditor",
    },
    ("POST", "/api/invoices/{invoice_id:int}/approve"): {"accountant"},
    ("GET", "/api/invoices/{invoice_id:int}/invoice.pdf"): {
        "admin",
        "caseworker",
        "accountant",
        "provider",
        "auditor",
    },
    ("POST", "/api/invoices/{invoice_id:int}/pay"): {"accountant"},
    ("POST", "/api/invoices/{invoice_id:int}/reject"): {"accountant"},
    ("POST", "/api/invoices/{invoice_id:int}/submit"): {"accountant", "provider"},
    ("GET", "/api/offers"): {"admin", "caseworker", "accountant", "provider", "auditor"},
    ("POST", "/api/offers"): {"admin", "provider"},
    ("PATCH", "/api/offers/{offer_id:int}"): {"admin", "provider"},
    ("GET", "/api/payouts"): {"admin", "caseworker", "accountant", "auditor"},
    ("POST", "/api/payouts/{payout_id:int}/pay"): {"accountant"},
    ("GET", "/api/registers/payments"): {"admin", "accountant", "auditor"},
    ("GET", "/api/reports/open-invoices"): {"admin", "caseworker", "accountant", "auditor"},
    ("GET", "/api/reports/spending"): {"admin", "caseworker", "accountant", "auditor"},
    ("GET", "/api/reports/utilisation"): {"admin", "caseworker", "accountant", "auditor"},
    ("POST", "/api/requests/{request_id:int}/assign"): {"admin", "caseworker"},
    ("POST", "/api/requests/{request_id:int}/close"): {"admin", "caseworker"},
    ("GET", "/api/local-cards/{code:str}"): {"admin"},
    ("PUT", "/api/local-cards/{code:str}"): {"admin"},
}
MATRIX.update(MARKET)

#: Each plugin's routes: ``tests/plugins/<plugin>_access.py`` defines ``MATRIX`` for them.
for _module in sorted(Path(__file__).resolve().parents[1].glob("plugins/*_access.py")):
    if _module.stem.removesuffix("_access") in plugins_under_test():
        MATRIX.update(import_module(f"tests.plugins.{_module.stem}").MATRIX)


def test_every_route_declares_its_access(app: Litestar) -> None:
    undeclared = [
        path
        for path, handler in all_handlers(app)
        if not access.declared(handler) and not path.startswith(access.OPENAPI_PATH)
    ]
    assert undeclared == []


def test_no_route_runs_a_litestar_guard(app: Litestar) -> None:
    """Access, the plugin's and the form token's checks run in the authentication
    middleware with the route's handler itself (core/api/auth.py): a Litestar guard
    would copy the handler on every request."""
    guarded = [path for path, handler in all_handlers(app) if handler.resolve_guards()]
    assert guarded == []


def test_the_matrix_covers_every_api_route(app: Litestar) -> None:
    api = {
        (method, path)
        for path, handler in all_handlers(app)
        if path.startswith("/api/")
        for method in handler.http_methods  # type: ignore[attr-defined]
    }
    assert api == set(MATRIX)


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX))
def test_declared_roles_match_the_matrix(app: Litestar, method: str, path: str) -> None:
    handler = next(h for p, h in all_handlers(app) if p == path and method in h.http_methods)  # type: ignore[attr-defined]
    expected = MATRIX[(method, path)]
    if expected == "public":
        assert handler.opt.get("public") is True
    else:
        assert set(handler.opt["roles"]) == expected


def _concrete(path: str, w: World) -> str:
    path = path.replace("{code:str}", "funeral_aid.lump_sum")
    path = path.replace("{citizen_id:int}", str(w.citizen_id))
    path = path.replace("{provider_id:int}", str(w.provider_id))
    return re.sub(r"\{[a-z_]+:int\}", "1", path)


@pytest.mark.parametrize(("method", "path"), sorted(k for k, v in MATRIX.items() if v != "public"))
async def test_guard_refuses_anonymous_and_other_roles(
    world: World, method: str, path: str
) -> None:
    url = _concrete(path, world)
    r = await world.client.request(method, url, json={})
    assert r.status_code == 401, (method, url)
    allowed = MATRIX[(method, path)]
    for role in ROLES:
        if role in allowed:
            continue
        r = await world.client.request(method, url, json={}, headers=world.auth(role))
        assert r.status_code == 403, (method, url, role)


async def test_unknown_bearer_token_is_a_401(world: World) -> None:
    r = await world.client.get("/api/auth/me", headers={"Authorization": "Bearer nonsense"})
    assert r.status_code == 401
    r = await world.client.get("/api/auth/me", headers={"Authorization": "Basic abc"})
    assert r.status_code == 401


def test_a_route_without_access_is_refused_even_if_added_later() -> None:
    from litestar import get

    @get("/x")
    async def naked() -> None:
        return None

    assert not access.declared(naked)
    with pytest.raises(ValueError, match="unknown roles"):
        access.roles("superuser")


PLUGIN_ROUTES = sorted(k for k in MATRIX if k[1].startswith("/api/ext/"))


@pytest.mark.world_plugins("funeral_aid")
@pytest.mark.parametrize(("method", "path"), PLUGIN_ROUTES)
async def test_a_plugin_route_is_closed_where_the_plugin_is_not_enabled(
    world: World, method: str, path: str
) -> None:
    """The host closes every plugin route (404 naming the plugin) in a municipality that
    has not enabled it, for anonymous callers of public routes as for allowed roles."""
    url = _concrete(path, world)
    plugin = path.split("/")[3]
    allowed = MATRIX[(method, path)]
    role = None if allowed == "public" else sorted(allowed)[0]
    params = {"municipality": world.slug} if role is None else {}
    headers = {} if role is None else world.auth(role)
    r = await world.client.request(method, url, json={}, headers=headers, params=params)
    assert r.status_code == 404, (method, url, r.text)
    assert plugin in r.text
    assert r.json()["extra"][0]["key"] == "plugin"
